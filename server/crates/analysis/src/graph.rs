//! The attribution graph: entities, claims and the sources they are
//! attributed to, the conduits that carried the sources' words (`via`) and
//! the stances claims take on each other, with the questions fact-checkers
//! ask of it: how many claims rest on each source, which claims have a
//! single source, which sources are anonymous, and which sources were never
//! defined. Fields of Newsmark 2 are left out when empty, so a version 1
//! corpus gives the same JSON as before.
//!
//! The JSON shape (serde) is a stable contract, documented in
//! `docs/features.md`; the CLI also renders it as Graphviz DOT.

use std::collections::BTreeMap;

use serde::Serialize;

use newsmark_syntax::StanceKind;
use newsmark_syntax::position::Encoding;

use crate::summary::UsageKind;
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AttributionGraph {
    /// Every entity that is a source or is mentioned, sorted by id.
    pub entities: Vec<GraphEntity>,
    /// Every claim, in file and text order.
    pub claims: Vec<GraphClaim>,
    /// Source ids with the number of claims attributed to each, most first.
    pub claims_per_source: Vec<SourceCount>,
    /// Indexes into `claims` of the claims with exactly one source.
    pub single_source_claims: Vec<usize>,
    /// Indexes into `claims` of the claims with no source.
    pub unsourced_claims: Vec<usize>,
    /// Source ids whose entity has `kind: anonymous`.
    pub anonymous_sources: Vec<String>,
    /// Source ids that no file defines.
    pub undefined_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEntity {
    pub id: String,
    /// The display name, when the entity is defined.
    pub name: Option<String>,
    pub kind: Option<String>,
    pub defined: bool,
    pub mentions: u32,
    /// Claims attributed to this entity.
    pub claims: u32,
    /// Claims whose source's words this entity carried (`via @id`).
    #[serde(skip_serializing_if = "is_zero")]
    pub conduit_for: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphClaim {
    /// The file as people read it (relative to the workspace root).
    pub file: String,
    /// Where the claim starts and ends (after its `}` and `#label`): one-based lines,
    /// and one-based columns in characters, as `newsmark check` counts.
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The claim text, whitespace collapsed.
    pub text: String,
    pub quote: bool,
    pub sources: Vec<String>,
    /// Index into `claims` of the claim this one is nested in.
    pub parent: Option<usize>,
    /// The conduits of each source that has some: `@jon via @kcna`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chains: Vec<GraphChain>,
    /// `#label` after the claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The stances the claim takes on other claims of its file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stances: Vec<GraphStance>,
    /// Whether a hedge cue (`~[allegedly]`) qualifies it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hedged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphChain {
    pub source: String,
    /// Nearest first.
    pub via: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphStance {
    pub kind: StanceKind,
    pub label: String,
    /// Index into `claims` of the labelled claim; none when no claim of the
    /// file has the label (`unknown-label`).
    pub target: Option<usize>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub id: String,
    pub claims: u32,
}

/// The graph of `files` (every file of the workspace when empty).
pub fn attribution_graph(ws: &Workspace, files: &[FileId]) -> AttributionGraph {
    let mut chosen: Vec<FileId> = if files.is_empty() {
        ws.files().map(|(f, _)| f).collect()
    } else {
        files.to_vec()
    };
    chosen.sort_by(|a, b| ws.display_path(*a).cmp(ws.display_path(*b)));
    let mut graph = AttributionGraph::default();
    // id → (mentions, claims, claims carried as a conduit)
    let mut counts: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    for file in chosen {
        let summary = ws.summary(file);
        let text = &*ws.text(file);
        let first_claim = graph.claims.len();
        for (claim_index, claim) in summary.claims.iter().enumerate() {
            let sources: Vec<String> = (summary.sources(claim_index as u32))
                .map(|u| u.id.to_string())
                .collect();
            let index = graph.claims.len();
            match sources.len() {
                0 => graph.unsourced_claims.push(index),
                1 => graph.single_source_claims.push(index),
                _ => {}
            }
            for id in &sources {
                counts.entry(id.clone()).or_default().1 += 1;
            }
            let claim_index = claim_index as u32;
            let chains: Vec<GraphChain> = (summary.chains(claim_index).into_iter())
                .filter(|(_, via)| !via.is_empty())
                .map(|(source, via)| GraphChain {
                    source: source.id.to_string(),
                    via: via.iter().map(|u| u.id.to_string()).collect(),
                })
                .collect();
            for conduit in chains.iter().flat_map(|chain| &chain.via) {
                counts.entry(conduit.clone()).or_default().2 += 1;
            }
            let stances = (summary.stances.iter())
                .filter(|stance| stance.claim == claim_index)
                .map(|stance| GraphStance {
                    kind: stance.kind,
                    label: stance.label.to_string(),
                    target: (summary.labelled(&stance.label).next())
                        .map(|target| first_claim + target as usize),
                })
                .collect();
            let at = |offset| summary.lines.position(text, offset, Encoding::Utf32);
            let (start, end) = (at(claim.range().start), at(claim.range().end));
            graph.claims.push(GraphClaim {
                file: ws.display_path(file).to_owned(),
                line: start.line + 1,
                column: start.column + 1,
                end_line: end.line + 1,
                end_column: end.column + 1,
                text: text[claim.text_range()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                quote: claim.is_quote(),
                sources,
                parent: claim.parent().map(|p| first_claim + p as usize),
                chains,
                label: (summary.labels.iter())
                    .find(|label| label.claim == claim_index)
                    .map(|label| label.name.to_string()),
                stances,
                hedged: summary.hedges.iter().any(|h| h.claim == claim_index),
            });
        }
        for usage in summary
            .usages
            .iter()
            .filter(|u| matches!(u.kind, UsageKind::Mention { .. }))
        {
            counts.entry(usage.id.to_string()).or_default().0 += 1;
        }
    }
    for (id, (mentions, claims, conduit_for)) in counts {
        let definition = ws.entity(&id).map(|(_, d)| d);
        let kind = definition.and_then(|d| d.kind()).map(str::to_owned);
        if claims > 0 {
            graph.claims_per_source.push(SourceCount {
                id: id.clone(),
                claims,
            });
            if kind.as_deref() == Some("anonymous") {
                graph.anonymous_sources.push(id.clone());
            }
            if definition.is_none() {
                graph.undefined_sources.push(id.clone());
            }
        }
        graph.entities.push(GraphEntity {
            name: definition.and_then(|d| d.name.clone()),
            kind,
            defined: definition.is_some(),
            mentions,
            claims,
            conduit_for,
            id,
        });
    }
    graph
        .claims_per_source
        .sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.id.cmp(&b.id)));
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn graph_answers_the_attribution_questions() {
        let fixture = fixture::parse(
            "//- r.nmk\n@kcna: KCNA\n  kind: outlet\n@officials: U.S. officials\n  kind: anonymous\n//- a.nmk\n[KCNA]@kcna said {x {\"y\" | @officials} | @kcna, @tass}. {z | @kcna} {w}\n",
        );
        let graph = attribution_graph(&fixture.ws, &[]);
        fn ids(v: &[SourceCount]) -> Vec<(&str, u32)> {
            v.iter().map(|s| (s.id.as_str(), s.claims)).collect()
        }
        assert_eq!(
            ids(&graph.claims_per_source),
            [("kcna", 2), ("officials", 1), ("tass", 1)]
        );
        assert_eq!(graph.single_source_claims, [1, 2]);
        assert_eq!(graph.unsourced_claims, [3]);
        assert_eq!(graph.anonymous_sources, ["officials"]);
        assert_eq!(graph.undefined_sources, ["tass"]);
        assert_eq!(graph.claims[1].parent, Some(0));
        assert!(graph.claims[1].quote);
        assert_eq!(graph.claims[0].text, "x {\"y\" | @officials}");
        let kcna = graph.entities.iter().find(|e| e.id == "kcna").unwrap();
        assert_eq!((kcna.mentions, kcna.claims, kcna.defined), (1, 2, true));
    }

    #[test]
    fn claims_carry_their_full_range_in_characters() {
        let fixture = fixture::parse(
            "//- a.nmk\n최선희 😀 {회담이\r\n잘 됐다 | @choe}#talks and {Рябков\rсказал | @ryabkov}\n",
        );
        let graph = attribution_graph(&fixture.ws, &[]);
        let ranges: Vec<(u32, u32, u32, u32, Option<&str>)> = (graph.claims.iter())
            .map(|c| {
                (
                    c.line,
                    c.column,
                    c.end_line,
                    c.end_column,
                    c.label.as_deref(),
                )
            })
            .collect();
        assert_eq!(ranges, [(1, 7, 2, 20, Some("talks")), (2, 25, 3, 19, None)]);
    }

    #[test]
    fn chains_labels_stances_and_hedges_are_in_the_graph() {
        let fixture = fixture::parse(
            "//- a.nmk\n{x ~[reportedly] | @jon via @kcna via @yonhap, @us}#x {y | @seoul denies #x, confirms #nope}\n",
        );
        let graph = attribution_graph(&fixture.ws, &[]);
        let x = &graph.claims[0];
        assert_eq!(
            x.chains,
            [GraphChain {
                source: "jon".into(),
                via: vec!["kcna".into(), "yonhap".into()]
            }]
        );
        assert_eq!((x.label.as_deref(), x.hedged), (Some("x"), true));
        let stances: Vec<(StanceKind, &str, Option<usize>)> = (graph.claims[1].stances.iter())
            .map(|s| (s.kind, s.label.as_str(), s.target))
            .collect();
        assert_eq!(
            stances,
            [
                (StanceKind::Denies, "x", Some(0)),
                (StanceKind::Confirms, "nope", None)
            ]
        );
        let kcna = graph.entities.iter().find(|e| e.id == "kcna").unwrap();
        assert_eq!((kcna.claims, kcna.conduit_for), (0, 1));
        let json = serde_json::to_value(&graph).unwrap();
        assert_eq!(json["claims"][1]["stances"][0]["kind"], "denies");
        assert!(
            json["claims"][1].get("hedged").is_none(),
            "left out when false"
        );
    }
}
