//! agreement.html, with `--annotators A B …`: the tables of
//! `newsmark agree` (its `measure`), and each pair's disagreements side by
//! side (the changes `newsmark diff` finds from one to the other), one
//! page per pair, split into pages of [`PAGE`](super::PAGE).

use std::fmt::Write as _;

use newsmark_analysis::disagreements::{excerpt, written};

use super::html::{escape, page as frame};
use super::paginate;
use crate::agree::{self, Measured};
use crate::diff;
use crate::versions::Version;

/// agreement.html and the pages of disagreements.
pub fn pages(annotators: &[Version]) -> Vec<(String, String)> {
    let report = agree::measure(annotators);
    let mut body = String::new();
    let names: Vec<String> = report.annotators.iter().map(|n| escape(n)).collect();
    let _ = writeln!(
        body,
        "<p>Annotators: {}. Measured as <code>newsmark agree</code> measures them (docs/agreement.md).</p>",
        names.join(", ")
    );
    body.push_str("<h2>Every annotator together (chance-corrected, on words)</h2>\n");
    body.push_str("<table data-table=\"all\">\n<tr><th scope=\"col\">Kind</th><th scope=\"col\">Words</th><th scope=\"col\">Fleiss κ</th><th scope=\"col\">α</th><th scope=\"col\">αu</th></tr>\n");
    for (kind, k) in &report.all.kinds {
        let _ = writeln!(
            body,
            "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td>{}{}{}</tr>",
            escape(kind),
            k.words,
            measure_cell("fleiss_kappa", k.fleiss_kappa),
            measure_cell("alpha", k.alpha),
            measure_cell("alpha_u", k.alpha_u),
        );
    }
    body.push_str("</table>\n");
    let mut files = Vec::new();
    let mut pair_index = 0;
    for i in 0..annotators.len() {
        for j in i + 1..annotators.len() {
            let pair = &report.pairs[pair_index];
            let (a, b) = (escape(&pair.a), escape(&pair.b));
            let _ = writeln!(body, "<h2>{a} and {b}</h2>");
            let _ = writeln!(
                body,
                "<p>F1 <span data-measure=\"exact_f1\">{:.3}</span> with exact spans, \
                 <span data-measure=\"overlap_f1\">{:.3}</span> with overlapping spans ({} and {} units). \
                 <a href=\"agreement/{pair_index}.html\">Their disagreements, side by side</a></p>",
                pair.overall.exact.f1, pair.overall.overlap.f1, pair.overall.a, pair.overall.b
            );
            body.push_str(&labels_table(&pair.labels));
            body.push_str("<table>\n<tr><th scope=\"col\">Kind</th><th scope=\"col\">Words</th><th scope=\"col\">Cohen κ</th></tr>\n");
            for (kind, k) in &pair.kinds {
                let _ = writeln!(
                    body,
                    "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td>{}</tr>",
                    escape(kind),
                    k.words,
                    measure_cell("cohen_kappa", k.cohen_kappa)
                );
            }
            body.push_str("</table>\n");
            let title = format!("Disagreements of {} and {}", pair.a, pair.b);
            let items = side_by_side(&annotators[i], &annotators[j]);
            let name = move |n: usize| match n {
                1 => format!("agreement/{pair_index}.html"),
                n => format!("agreement/{pair_index}-{n}.html"),
            };
            files.extend(paginate(&items, name).into_iter().map(|(name, list)| {
                let list = format!("<p><a href=\"../agreement.html\">Agreement</a></p>\n{list}");
                (name, frame("../", &title, &list))
            }));
            pair_index += 1;
        }
    }
    for missing in &report.missing {
        let from: Vec<String> = missing.missing_from.iter().map(|a| escape(a)).collect();
        let _ = writeln!(
            body,
            "<p>{} is missing from {}.</p>",
            escape(&missing.path),
            from.join(", ")
        );
    }
    files.push(("agreement.html".to_owned(), frame("", "Agreement", &body)));
    files
}

/// A measure with three decimals, `-` where it is undefined.
fn measure_cell(key: &str, value: Option<f64>) -> String {
    let shown = value.map_or("-".to_owned(), |x| format!("{x:.3}"));
    format!("<td class=\"number\" data-measure=\"{key}\">{shown}</td>")
}

fn labels_table(labels: &std::collections::BTreeMap<String, Measured>) -> String {
    let mut table = String::from(
        "<table>\n<tr><th scope=\"col\">Label</th><th scope=\"col\">a</th><th scope=\"col\">b</th>\
         <th scope=\"col\">Exact F1</th><th scope=\"col\">Overlap F1</th><th scope=\"col\">Precision</th>\
         <th scope=\"col\">Recall</th></tr>\n",
    );
    for (label, m) in labels {
        let _ = writeln!(
            table,
            "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{:.3}</td><td class=\"number\">{:.3}</td><td class=\"number\">{:.3}</td><td class=\"number\">{:.3}</td></tr>",
            escape(label),
            m.a,
            m.b,
            m.exact.f1,
            m.overlap.f1,
            m.overlap.precision,
            m.overlap.recall
        );
    }
    table.push_str("</table>\n");
    table
}

/// Each change from `a` to `b`, as a list item with both versions.
fn side_by_side(a: &Version, b: &Version) -> Vec<String> {
    let found = diff::compare(a, b);
    let side = |version: &str, side: Option<&diff::Side>, label: &str| match side {
        None => format!(
            "<div class=\"side\"><b>{}</b>: (none)</div>",
            escape(version)
        ),
        Some(side) => format!(
            "<div class=\"side\"><b>{}</b> line {}:{}: “{}” {}</div>",
            escape(version),
            side.place.line,
            side.place.column,
            escape(&excerpt(&side.text)),
            escape(&written(label, &side.value)),
        ),
    };
    let mut items = Vec::new();
    for article in &found.articles {
        for change in &article.changes {
            items.push(format!(
                "<li class=\"disagreement\"><p>{} · {}</p>{}{}</li>\n",
                escape(&article.path),
                escape(&change.change),
                side(&found.old, change.old.as_ref(), &change.label),
                side(&found.new, change.new.as_ref(), &change.label),
            ));
        }
    }
    items
}
