//! `newsmark graph`: the attribution graph of `newsmark_analysis::graph`
//! (entities, claims and their sources), as JSON or as Graphviz DOT. The
//! graph covers the files asked for; entities resolve across the whole
//! workspace, as in `check`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use newsmark_analysis::graph::{AttributionGraph, attribution_graph};

use crate::load::load;
use crate::output::escape::visible;
use crate::{GraphArgs, GraphFormat};

pub fn run(args: &GraphArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut graphs = Vec::new();
    let mut unreadable = 0;
    for plan in crate::load::plan(&args.paths, &cwd)? {
        let loaded = load(plan, "reading");
        let mut targets = Vec::new();
        for file in loaded.files.iter().filter(|f| f.planned.target) {
            match &file.file {
                Ok(id) => targets.push(*id),
                Err(reason) => {
                    let shown = crate::paths::display(&cwd, &file.planned.path);
                    eprintln!(
                        "newsmark: error: {}",
                        visible(&format!("{shown}: {reason}"))
                    );
                    unreadable += 1;
                }
            }
        }
        if !targets.is_empty() {
            graphs.push(attribution_graph(&loaded.ws, &targets));
        }
    }
    let text = match args.format {
        GraphFormat::Json => match graphs.as_slice() {
            [graph] => serde_json::to_string_pretty(graph)? + "\n",
            _ => serde_json::to_string_pretty(&graphs)? + "\n",
        },
        GraphFormat::Dot => graphs.iter().map(dot).collect(),
    };
    crate::check::write_stdout(&text)?;
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The graph in Graphviz DOT: one node per entity (boxes for defined
/// ones, red ellipses for undefined sources, dashed for anonymous ones),
/// one node per claim (its label and "hedged" on a second line), an edge
/// from each claim to each of its sources, dashed `via` edges from a source
/// to the conduits that carried its words, and bold stance edges from a
/// claim to the claim it denies, confirms or disputes.
fn dot(graph: &AttributionGraph) -> String {
    let mut out =
        String::from("digraph attribution {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for entity in &graph.entities {
        let label = match &entity.name {
            Some(name) => format!("{}\\n@{}", escape(name), escape(&entity.id)),
            None => format!("@{}", escape(&entity.id)),
        };
        let style = match (entity.defined, entity.kind.as_deref()) {
            (false, _) => "shape=ellipse, color=red",
            (true, Some("anonymous")) => "shape=box, style=dashed",
            (true, _) => "shape=box",
        };
        let _ = writeln!(
            out,
            "  \"e:{}\" [label=\"{label}\", {style}];",
            escape(&entity.id)
        );
    }
    for (index, claim) in graph.claims.iter().enumerate() {
        let text: String = claim.text.chars().take(60).collect();
        let shape = if claim.sources.is_empty() {
            "note, color=orange"
        } else {
            "note"
        };
        let mut marks = String::new();
        if let Some(label) = &claim.label {
            marks.push_str(&format!("#{} ", escape(label)));
        }
        if claim.hedged {
            marks.push_str("(hedged) ");
        }
        let _ = writeln!(
            out,
            "  \"c:{index}\" [label=\"{}\\n{marks}{}:{}\", shape={shape}];",
            escape(&text),
            escape(&claim.file),
            claim.line
        );
        for source in &claim.sources {
            let _ = writeln!(out, "  \"c:{index}\" -> \"e:{}\";", escape(source));
        }
        for chain in &claim.chains {
            let mut from = &chain.source;
            for conduit in &chain.via {
                let _ = writeln!(
                    out,
                    "  \"e:{}\" -> \"e:{}\" [label=\"via\", style=dashed];",
                    escape(from),
                    escape(conduit)
                );
                from = conduit;
            }
        }
        for stance in &claim.stances {
            if let Some(target) = stance.target {
                let _ = writeln!(
                    out,
                    "  \"c:{index}\" -> \"c:{target}\" [label=\"{}\", style=bold];",
                    stance.kind.word()
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// Escapes a DOT string (inside double quotes).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_escapes_quotes_and_marks_undefined_sources() {
        let mut ws = newsmark_analysis::Workspace::default();
        ws.set_file("a.nmk", "{\"unbreakable\" ties | @kcna}\n".into());
        let text = dot(&attribution_graph(&ws, &[]));
        assert!(
            text.contains("\"e:kcna\" [label=\"@kcna\", shape=ellipse, color=red];"),
            "{text}"
        );
        assert!(
            text.contains("[label=\"\\\"unbreakable\\\" ties\\na.nmk:1\", shape=note];"),
            "{text}"
        );
        assert!(text.contains("\"c:0\" -> \"e:kcna\";"), "{text}");
    }
}
