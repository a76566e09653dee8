//! Completion: entity ids after `@` (matching id, display name and
//! aliases), property keys and `kind` values in definitions, front matter
//! keys, and diagnostic codes after `%% ignore:`.
//!
//! Where the cursor is comes from the file's summary: its directives, the
//! property lines of its definitions and front matter, and the blocks the
//! parser could not finish yet (a key typed on the last line, front matter
//! before its closing `---`). Only what is typed after `@`, often not an
//! id yet (`@라브`), is read from the text.

use std::ops::Range;

use newsmark_syntax::is_id_char;
use newsmark_syntax::position::floor_char_boundary;

use crate::code::Code;
use crate::rules::{DEFINITION_KEYS, FRONT_MATTER_KEYS, KINDS};
use crate::summary::{Directive, FileSummary, Name};
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The text the chosen item replaces.
    pub replace: Range<usize>,
    pub items: Vec<CompletionItem>,
    /// More items match than were returned: the client should ask again
    /// as the user types.
    pub incomplete: bool,
}

/// How many entity items one answer holds, the best first: a registry of
/// thousands would cost more to build and send than a keystroke may take,
/// and the answer says it is incomplete so the editor asks again as the
/// user types. 100 is clangd's default limit too.
pub const MAX_ENTITY_ITEMS: usize = 100;

/// An entity as completion offers it, prepared once per workspace version
/// so that each request only filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityChoice {
    pub id: Name,
    /// `Display Name · kind`.
    pub detail: String,
    /// Id, display name and aliases, separated by spaces.
    pub filter_text: String,
    /// `filter_text` in lower case, which the typed text is looked up in.
    lowered: String,
}

/// Builds what entity completion reads from every file, so that the first
/// completion after a scan does not.
pub fn prepare(ws: &Workspace) {
    ws.derived(entity_choices);
}

/// Every entity, sorted by id; kept by the workspace until a change
/// affects other files (see [`Workspace::derived`]).
fn entity_choices(ws: &Workspace) -> Vec<EntityChoice> {
    let mut choices: Vec<EntityChoice> = ws
        .entities()
        .map(|(id, _, definition)| {
            let kind = definition
                .kind()
                .map(|k| format!(" · {k}"))
                .unwrap_or_default();
            let mut filter = vec![id.to_string(), definition.display_name().to_owned()];
            filter.extend(definition.aliases().map(str::to_owned));
            let filter_text = filter.join(" ");
            EntityChoice {
                id: id.clone(),
                detail: format!("{}{kind}", definition.display_name()),
                lowered: filter_text.to_lowercase(),
                filter_text,
            }
        })
        .collect();
    choices.sort_by(|a, b| a.id.cmp(&b.id));
    choices
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// What the client matches the typed text against.
    pub filter_text: Option<String>,
    pub insert_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Entity,
    PropertyKey,
    KindValue,
    DiagnosticCode,
    /// A claim label of the file, after a stance word.
    Label,
}

pub fn completion(ws: &Workspace, file: FileId, offset: usize) -> Option<Completion> {
    let text = &*ws.text(file);
    let summary = ws.summary(file);
    let offset = floor_char_boundary(text, offset.min(text.len()));
    if let Some(directive) = directive_at(summary, text, offset) {
        return Some(directive_codes(directive, offset));
    }
    let line = summary.lines.line(offset);
    let line_start = summary.lines.line_start(line);
    let before = &text[line_start..offset];
    // After `@`, what is typed may be part of an id, a name or an alias in
    // any script (`@라브` finds `lavrov`); the choice replaces all of it.
    let typed_start = offset - trailing(before, is_typed_char);
    if let Some(prefix) = text[line_start..typed_start].strip_suffix('@')
        && !prefix
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    {
        let end = offset + leading(&text[offset..], is_id_char);
        let (items, incomplete) = entity_items(ws, &text[typed_start..offset]);
        return Some(Completion {
            replace: typed_start..end,
            items,
            incomplete,
        });
    }
    if let Some(completion) = stance_labels(summary, text, line_start, offset) {
        return Some(completion);
    }
    if after_via(summary, before, offset) {
        let (mut items, incomplete) = entity_items(ws, "");
        for item in &mut items {
            item.insert_text = format!("@{}", item.insert_text);
        }
        return Some(Completion {
            replace: offset..offset,
            items,
            incomplete,
        });
    }
    let word_start = offset - trailing(before, is_id_char);
    let word_end = offset + leading(&text[offset..], is_id_char);
    let before_word = &text[line_start..word_start];
    if before_word.trim().is_empty() {
        // Typing a key: indented in a definition, at the start of the line
        // in front matter.
        let keys: &[&str] = match property_lines_at(summary, line) {
            Some(Block::Definition) if !before_word.is_empty() => &DEFINITION_KEYS,
            Some(Block::FrontMatter) if before_word.is_empty() => &FRONT_MATTER_KEYS,
            _ => return None,
        };
        let items = keys
            .iter()
            .map(|key| simple_item(key, CompletionKind::PropertyKey, format!("{key}: ")))
            .collect();
        return Some(Completion {
            replace: word_start..word_end,
            items,
            incomplete: false,
        });
    }
    let value = kind_value_at(summary, offset)?;
    let items = KINDS
        .iter()
        .map(|kind| simple_item(kind, CompletionKind::KindValue, (*kind).to_owned()))
        .collect();
    Some(Completion {
        replace: value,
        items,
        incomplete: false,
    })
}

/// What holds a line of `key: value` properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Definition,
    FrontMatter,
}

/// What `line` is a property line of, or the fresh line right after the
/// last one: a definition's (after its header line), or the front
/// matter's (after its opening `---`), finished or not.
fn property_lines_at(summary: &FileSummary, line: u32) -> Option<Block> {
    let lines = &summary.lines;
    // `range` runs from the block's first line to the end of its last
    // property line.
    let holds =
        |range: Range<usize>| lines.line(range.start) < line && line <= lines.line(range.end) + 1;
    if let Some(front_matter) = &summary.front_matter {
        let last = front_matter.properties.last();
        let end = last.map_or(front_matter.range.start, |p| p.value_range.end);
        if holds(front_matter.range.start..end) {
            return Some(Block::FrontMatter);
        }
    }
    if let Some(unfinished) = summary.unfinished.iter().find(|u| holds(u.range.clone())) {
        return Some(if unfinished.front_matter {
            Block::FrontMatter
        } else {
            Block::Definition
        });
    }
    // Definitions are in text order: only the last one that starts above
    // `line` may hold it.
    let above = summary
        .definitions
        .partition_point(|d| lines.line(d.range.start) < line);
    let definition = summary.definitions[..above].last()?;
    holds(definition.range.clone()).then_some(Block::Definition)
}

/// The value of a definition's `kind` property where `offset` is (or where
/// it goes, right after `kind:`).
fn kind_value_at(summary: &FileSummary, offset: usize) -> Option<Range<usize>> {
    summary
        .definitions
        .iter()
        .flat_map(|d| &d.properties)
        .find(|p| {
            let value = &p.value_range;
            p.key == "kind" && value.start <= offset && offset <= value.end
        })
        .map(|p| p.value_range.clone())
}

/// The entities whose id, name or an alias contains `typed` (ignoring
/// case), at most [`MAX_ENTITY_ITEMS`] of them, and whether more match.
/// The best matches make the cut: ids that start with what was typed, then
/// names and aliases with a word that does, then the rest; by id within
/// each.
fn entity_items(ws: &Workspace, typed: &str) -> (Vec<CompletionItem>, bool) {
    let typed = typed.to_lowercase();
    let choices = ws.derived(entity_choices);
    let mut ranked: Vec<(u8, &EntityChoice)> = choices
        .iter()
        .filter_map(|choice| Some((match_rank(&choice.lowered, &typed)?, choice)))
        .collect();
    // Stable: the choices come sorted by id.
    ranked.sort_by_key(|(rank, _)| *rank);
    let incomplete = ranked.len() > MAX_ENTITY_ITEMS;
    let items = ranked
        .into_iter()
        .take(MAX_ENTITY_ITEMS)
        .map(|(_, choice)| CompletionItem {
            label: choice.id.to_string(),
            kind: CompletionKind::Entity,
            detail: Some(choice.detail.clone()),
            filter_text: Some(choice.filter_text.clone()),
            insert_text: choice.id.to_string(),
        })
        .collect();
    (items, incomplete)
}

/// How well `typed` matches a lowered filter text (`id name aliases…`):
/// 0 when the id starts with it, 1 when another word does, 2 when it is
/// only inside a word; `None` when it is nowhere.
fn match_rank(lowered: &str, typed: &str) -> Option<u8> {
    if lowered.starts_with(typed) {
        return Some(0);
    }
    let mut found = lowered.match_indices(typed).peekable();
    found.peek()?;
    let word_start = found.any(|(at, _)| lowered[..at].ends_with(' '));
    Some(if word_start { 1 } else { 2 })
}

/// The `%% ignore:` directive whose list of codes `offset` is in (or
/// right after its `:`).
fn directive_at<'s>(summary: &'s FileSummary, text: &str, offset: usize) -> Option<&'s Directive> {
    summary.directives.iter().find(|d| {
        let after_colon = text
            .get(offset..d.codes_start)
            .is_some_and(|gap| gap.trim().is_empty() && d.range.start < offset);
        (d.codes_start <= offset || after_colon) && offset <= d.range.end
    })
}

/// The codes, replacing the one the cursor is in.
fn directive_codes(directive: &Directive, offset: usize) -> Completion {
    let replace = directive
        .codes
        .iter()
        .map(|(_, range)| range.clone())
        .find(|range| range.start <= offset && offset <= range.end)
        .unwrap_or(offset..offset);
    let items = Code::ALL
        .iter()
        .map(|code| CompletionItem {
            label: code.as_str().to_owned(),
            kind: CompletionKind::DiagnosticCode,
            detail: Some(code.summary().to_owned()),
            filter_text: None,
            insert_text: code.as_str().to_owned(),
        })
        .collect();
    Completion {
        replace,
        items,
        incomplete: false,
    }
}

/// Whether the cursor follows `via ` among a claim's sources, where the
/// conduit's `@id` comes next.
fn after_via(summary: &FileSummary, before: &str, offset: usize) -> bool {
    let in_sources = summary
        .claim_at(offset)
        .is_some_and(|(_, claim)| offset > claim.text_range().end);
    let word = before.trim_end_matches([' ', '\t']);
    in_sources
        && word.len() < before.len()
        && word
            .strip_suffix("via")
            .is_some_and(|rest| rest.ends_with([' ', '\t']) || rest.is_empty())
}

/// After a stance word in a claim's sources (`denies #mu`, or `denies `
/// with nothing typed yet): the labels of the file's claims, with `#`.
fn stance_labels(
    summary: &FileSummary,
    text: &str,
    line_start: usize,
    offset: usize,
) -> Option<Completion> {
    let (_, claim) = summary.claim_at(offset)?;
    if offset <= claim.text_range().end {
        return None;
    }
    let before = &text[line_start..offset];
    let typed_start = offset - trailing(before, is_id_char);
    let hash_start = typed_start - usize::from(text[..typed_start].ends_with('#'));
    let word = text[line_start..hash_start].trim_end_matches([' ', '\t']);
    let is_stance = newsmark_syntax::StanceKind::ALL.iter().any(|kind| {
        word.strip_suffix(kind.word())
            .is_some_and(|rest| rest.ends_with([' ', '\t', ',']))
    });
    if !is_stance || hash_start == line_start + word.len() {
        return None;
    }
    let mut labels: Vec<&str> = summary.labels.iter().map(|l| &*l.name).collect();
    labels.sort_unstable();
    labels.dedup();
    let items = labels
        .into_iter()
        .map(|label| {
            simple_item(
                &format!("#{label}"),
                CompletionKind::Label,
                format!("#{label}"),
            )
        })
        .collect();
    Some(Completion {
        replace: hash_start..offset + leading(&text[offset..], is_id_char),
        items,
        incomplete: false,
    })
}

fn simple_item(label: &str, kind: CompletionKind, insert_text: String) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind,
        detail: None,
        filter_text: None,
        insert_text,
    }
}

/// Characters of what may be typed after `@`: anything but spaces and
/// the characters that start or end marks.
fn is_typed_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '@' | '[' | ']' | '{' | '}' | '|' | ',' | '%' | '\\')
}

fn trailing(text: &str, pred: impl Fn(char) -> bool) -> usize {
    text.len() - text.trim_end_matches(pred).len()
}

fn leading(text: &str, pred: impl Fn(char) -> bool) -> usize {
    text.len() - text.trim_start_matches(pred).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    const REGISTRY: &str = "//- r.nmk\n@lavrov: Sergey Lavrov\n  kind: person\n  aliases: Lavrov, 라브로프\n\n@kcna: Korean Central News Agency\n  kind: outlet\n";

    fn complete(text: &str) -> (String, Vec<String>) {
        let fixture = fixture::parse(text);
        let (file, offset) = fixture.cursor();
        let found = completion(&fixture.ws, file, offset).expect("a completion");
        let replaced = fixture.ws.text(file)[found.replace].to_owned();
        (replaced, found.items.into_iter().map(|i| i.label).collect())
    }

    #[test]
    fn labels_after_a_stance_word_entities_after_via_and_plus() {
        let claims = "{A | @kcna}#munitions {B | @kcna}#talks 🎉 ";
        for (typed, replaced) in [
            ("{No | @lavrov denies #mu$0}", "#mu"),
            ("{No | @lavrov confirms $0}", ""),
            ("{No | @lavrov denies #a, disputes #$0}", "#"),
        ] {
            let (found, labels) = complete(&format!("{REGISTRY}//- a.nmk\n{claims}{typed}\n"));
            assert_eq!(
                (found.as_str(), labels),
                (replaced, vec!["#munitions".to_owned(), "#talks".to_owned()]),
                "{typed}"
            );
        }
        // Not after the claim text's own words, nor typing the stance word.
        assert!(complete_raw("{He denies #x$0}\n").is_none_or(|(_, l)| l.is_empty()));
        assert!(
            complete_raw("{x | @a denies$0}\n")
                .is_none_or(|(_, l)| !l.iter().any(|l| l.starts_with('#')))
        );
        let (replaced, labels) = complete(&format!("{REGISTRY}//- a.nmk\n{{x | @jon via $0}}\n"));
        assert_eq!(
            (replaced.as_str(), labels),
            ("", vec!["kcna".to_owned(), "lavrov".to_owned()])
        );
        let fixture = fixture::parse(&format!("{REGISTRY}//- a.nmk\n{{x | @jon via $0}}\n"));
        let (file, offset) = fixture.cursor();
        let items = completion(&fixture.ws, file, offset).unwrap().items;
        assert_eq!(items[0].insert_text, "@kcna");
        assert!(complete_raw("{They met via $0 video}\n").is_none_or(|(_, l)| l.is_empty()));
        for typed in ["{x | @jon via @$0}", "[The two]@kcna+@$0"] {
            let (_, labels) = complete(&format!("{REGISTRY}//- a.nmk\n{typed}\n"));
            assert_eq!(labels, ["kcna", "lavrov"], "{typed}");
        }
    }

    #[test]
    fn ids_after_at_with_names_and_aliases_to_match() {
        let (replaced, labels) = complete(&format!("{REGISTRY}//- a.nmk\n🎉 said @la$0 today\n"));
        assert_eq!(replaced, "la");
        assert_eq!(labels, ["lavrov"]);
        let fixture = fixture::parse(&format!("{REGISTRY}//- a.nmk\n{{x | @$0}}\n"));
        let (file, offset) = fixture.cursor();
        let items = completion(&fixture.ws, file, offset).unwrap().items;
        let lavrov = items.iter().find(|i| i.label == "lavrov").unwrap();
        assert_eq!(lavrov.detail.as_deref(), Some("Sergey Lavrov · person"));
        assert_eq!(
            lavrov.filter_text.as_deref(),
            Some("lavrov Sergey Lavrov Lavrov 라브로프")
        );
    }

    #[test]
    fn ids_are_filtered_by_what_was_typed() {
        let (_, labels) = complete(&format!("{REGISTRY}//- a.nmk\n@korean$0\n"));
        assert_eq!(labels, ["kcna"]);
        let (_, labels) = complete(&format!("{REGISTRY}//- a.nmk\n@라브$0\n"));
        assert_eq!(labels, ["lavrov"]);
        let registry: String = (0..MAX_ENTITY_ITEMS + 5)
            .map(|i| format!("@e{i}: E {i}\n"))
            .collect();
        let fixture = fixture::parse(&format!("//- r.nmk\n{registry}//- a.nmk\n@$0\n"));
        let (file, offset) = fixture.cursor();
        let found = completion(&fixture.ws, file, offset).unwrap();
        assert_eq!(found.items.len(), MAX_ENTITY_ITEMS);
        assert!(found.incomplete);
    }

    #[test]
    fn the_best_matches_make_the_cut() {
        // Many ids contain a `k`; the one that starts with it, and the
        // name with a word that does, come first.
        let mut registry: String = (0..MAX_ENTITY_ITEMS + 5)
            .map(|i| format!("@ak{i}: Ak {i}\n"))
            .collect();
        registry.push_str("@zkim: Kim Jong Un\n@kcna: KCNA\n");
        let (_, labels) = complete(&format!("//- r.nmk\n{registry}//- a.nmk\n@k$0\n"));
        assert_eq!(labels.len(), MAX_ENTITY_ITEMS);
        assert_eq!(labels[..2], ["kcna", "zkim"]);
        assert_eq!(labels[2], "ak0");
    }

    #[test]
    fn no_ids_after_a_letter() {
        let fixture = fixture::parse(&format!("{REGISTRY}//- a.nmk\npress@kc$0\n"));
        let (file, offset) = fixture.cursor();
        assert!(completion(&fixture.ws, file, offset).is_none());
    }

    #[test]
    fn property_keys_and_kind_values_in_definitions() {
        let (replaced, labels) = complete("//- r.nmk\n@x: X\n  kind: person\n  ro$0\n");
        assert_eq!(replaced, "ro");
        assert!(labels.contains(&"role".to_owned()) && labels.contains(&"member-of".to_owned()));
        let (replaced, labels) = complete("//- r.nmk\n@x: X\n  kind: pe$0\n");
        assert_eq!(replaced, "pe");
        assert_eq!(labels.len(), 8);
        let fixture = fixture::parse("//- r.nmk\nProse\n  ro$0\n");
        let (file, offset) = fixture.cursor();
        assert!(completion(&fixture.ws, file, offset).is_none());
    }

    #[test]
    fn front_matter_keys() {
        let (_, labels) = complete("//- a.nmk\n---\ntitle: T\nda$0\n---\n");
        assert!(labels.contains(&"date".to_owned()) && labels.contains(&"outlet".to_owned()));
    }

    #[test]
    fn keys_after_cr_and_crlf_line_breaks() {
        // `str::lines` does not break at a lone CR: this found nothing.
        for newline in ["\r", "\r\n"] {
            let front =
                format!("//- a.nmk\n---{newline}title: T{newline}da$0{newline}---{newline}");
            let (_, labels) = complete(&front);
            assert!(
                labels.contains(&"date".to_owned()),
                "{newline:?}: {labels:?}"
            );
            let definition =
                format!("//- r.nmk\n@x: X{newline}  kind: person{newline}  ro$0{newline}");
            let (_, labels) = complete(&definition);
            assert!(
                labels.contains(&"role".to_owned()),
                "{newline:?}: {labels:?}"
            );
        }
    }

    #[test]
    fn choices_follow_an_edited_definition() {
        let mut ws = Workspace::default();
        ws.set_file("people.nmk", "@a: Ann\n  kind: person\n".into());
        assert_eq!(ws.derived(entity_choices)[0].detail, "Ann · person");
        ws.set_file("people.nmk", "@a: Anna\n  kind: group\n".into());
        assert_eq!(ws.derived(entity_choices)[0].detail, "Anna · group");
    }

    /// What completion replaces and offers at `$0` in `text`, a file of
    /// its own, kept as written (no line break is added at its end).
    fn complete_raw(text: &str) -> Option<(String, Vec<String>)> {
        let offset = text.find("$0").expect("a cursor");
        let mut ws = Workspace::default();
        let file = ws.set_file("a.nmk", text.replace("$0", "").into()).file;
        let found = completion(&ws, file, offset)?;
        let replaced = ws.text(file)[found.replace].to_owned();
        Some((replaced, found.items.into_iter().map(|i| i.label).collect()))
    }

    #[test]
    fn every_context_under_every_line_break_after_any_script() {
        for nl in ["\n", "\r\n", "\r"] {
            for words in ["Сергей Лавров", "라브로프", "🎉👍🏽"] {
                let case = |text: String, replaced: &str, label: &str| {
                    let (actual, labels) =
                        complete_raw(&text).unwrap_or_else(|| panic!("no completion in {text:?}"));
                    assert_eq!(actual, replaced, "{text:?}");
                    assert!(labels.iter().any(|l| l == label), "{text:?}: {labels:?}");
                };
                // Keys under a definition: typed, on a fresh line, and on
                // the last line of the file, where the parser cannot finish
                // the definition yet.
                case(
                    format!("@x: {words}{nl}  kind: person{nl}  ro$0{nl}"),
                    "ro",
                    "role",
                );
                case(format!("@x: {words}{nl}  $0{nl}"), "", "kind");
                case(
                    format!("@x: {words}{nl}  kind: person{nl}  ro$0"),
                    "ro",
                    "role",
                );
                case(format!("@x: {words}{nl}  kind: pe$0{nl}"), "pe", "person");
                case(format!("@x: {words}{nl}  kind: $0"), "", "person");
                // Front matter keys, closed or not yet.
                case(
                    format!("---{nl}title: {words}{nl}da$0{nl}---{nl}"),
                    "da",
                    "date",
                );
                case(format!("---{nl}title: {words}{nl}da$0"), "da", "date");
                case(format!("---{nl}title: {words}{nl}$0"), "", "date");
                // Codes in a directive.
                let directive = format!("{{{words}}} %% ignore: unsourced-claim, unt$0{nl}");
                case(directive, "unt", "untagged-mention");
                case(format!("{words}{nl}%% ignore:$0"), "", "syntax");
            }
        }
    }

    #[test]
    fn nothing_outside_property_lines_and_directives() {
        for nl in ["\n", "\r\n", "\r"] {
            for text in [
                // After a blank line, an indented line starts a paragraph.
                format!("@x: X{nl}  kind: person{nl}{nl}  ro$0{nl}"),
                format!("Prose{nl}  ro$0{nl}"),
                // After the front matter's closing `---`, or after a blank
                // line that ends unclosed front matter.
                format!("---{nl}title: T{nl}---{nl}da$0{nl}"),
                // `ignore` without its `:` makes a comment, not a directive.
                format!("{{x}} %% ignore unt$0{nl}"),
                format!("@x: X{nl}  role: pe$0{nl}"),
            ] {
                assert_eq!(complete_raw(&text), None, "{text:?}");
            }
        }
        // Under LF and CRLF a blank line ends front matter not yet closed.
        // (Under lone CRs the parser keeps the next line in it, and so
        // does completion: it follows the parse.)
        for nl in ["\n", "\r\n"] {
            let text = format!("---{nl}title: T{nl}{nl}da$0");
            assert_eq!(complete_raw(&text), None, "{text:?}");
        }
    }

    #[test]
    fn codes_after_ignore() {
        let (replaced, labels) = complete("//- a.nmk\n{x} %% ignore: unsourced-claim, unt$0\n");
        assert_eq!(replaced, "unt");
        assert!(labels.contains(&"untagged-mention".to_owned()));
    }
}
