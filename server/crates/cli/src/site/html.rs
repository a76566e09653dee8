//! The HTML every page is made of: [`escape`] for every piece of text from
//! the corpus, the page frame, and SVG bar charts.
//!
//! Text from files is untrusted: every string that reaches a page goes
//! through [`escape`], which also replaces characters a reader cannot see
//! (controls, bidirectional overrides) so that text cannot hide or reorder
//! what is around it.

use std::fmt::Write as _;

/// `text` safe inside HTML text and inside quoted attribute values: `<`,
/// `>`, `&`, `"` and `'` as character references; control characters,
/// bidirectional controls and line or paragraph separators as U+FFFD
/// (tab and line feed stay, as white space).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// One character of [`escape`], pushed onto `out` (no allocation: an
/// article page escapes its text a character at a time).
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\t' | '\n' => out.push(c),
        c if is_invisible(c) => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

/// Controls, and the characters that reorder or hide text around them.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// A link target from a file (`url:`, `wikidata:`): only `http` and
/// `https` addresses are links, so no `javascript:` ever is.
pub fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://")).then(|| escape(url))
}

/// A whole page: `root` is the way back to the report's folder (`""` or
/// `"../"`), `title` is escaped here, `body` is HTML already.
pub fn page(root: &str, title: &str, body: &str) -> String {
    frame(root, title, body, "")
}

/// A page that runs the report's one script (the graph's filters).
pub fn page_with_script(root: &str, title: &str, body: &str) -> String {
    frame(
        root,
        title,
        body,
        &format!("<script src=\"{root}report.js\" defer></script>\n"),
    )
}

fn frame(root: &str, title: &str, body: &str, head: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Newsmark report</title>\n\
         <link rel=\"stylesheet\" href=\"{root}style.css\">\n{head}</head>\n<body>\n\
         <header><nav aria-label=\"Report\"><a href=\"{root}index.html\">Corpus</a> \
         <a href=\"{root}articles/index.html\">Articles</a> \
         <a href=\"{root}entities/index.html\">Entities</a> \
         <a href=\"{root}graph.html\">Graph</a></nav></header>\n\
         <main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n",
        title = escape(title),
    )
}

/// One bar of a chart: its label (escaped here), its value from 0 to 1,
/// and what the bar's end says.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub note: String,
}

/// A horizontal bar chart, as inline SVG with a text alternative.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    const ROW: usize = 24;
    const LABEL: usize = 180;
    const WIDTH: usize = 300;
    let height = ROW * bars.len() + 8;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" \
         viewBox=\"0 0 {} {height}\">\n",
        escape(title),
        LABEL + WIDTH + 120,
        LABEL + WIDTH + 120,
    );
    for (row, bar) in bars.iter().enumerate() {
        let y = row * ROW + 4;
        let length = (bar.value.clamp(0.0, 1.0) * WIDTH as f64).round();
        let label: String = bar.label.chars().take(28).collect();
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{WIDTH}\" height=\"16\" class=\"track\"/>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{length}\" height=\"16\" class=\"bar\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            LABEL - 6,
            y + 13,
            escape(&label),
            LABEL + WIDTH + 6,
            y + 13,
            escape(&bar.note),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A share as people read it: `62%`, or `-` without a value.
pub fn percent(share: Option<f64>) -> String {
    share.map_or("-".to_owned(), |share| format!("{:.0}%", share * 100.0))
}

/// The style sheet of every page.
pub const STYLE: &str = include_str!("style.css");

/// The one script: the graph's filters.
pub const SCRIPT: &str = include_str!("report.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_and_no_hidden_characters() {
        let hostile =
            "</script><img src=x onerror='a'>\"&amp;\u{202E}\u{2066}\u{7}\u{1c}\u{2028}x\ty";
        assert_eq!(
            escape(hostile),
            "&lt;/script&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&quot;&amp;amp;\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x\ty"
        );
        assert_eq!(escape("최선희 🎉 Лавров"), "최선희 🎉 Лавров");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(
            web_link(" https://a.example/?x=1&y=\"2\" ").as_deref(),
            Some("https://a.example/?x=1&amp;y=&quot;2&quot;")
        );
    }
}
