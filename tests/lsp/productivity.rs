//! The annotator's productivity features (issue 6) on the fixture
//! workspace, under UTF-8 and UTF-16 positions: rename, code actions,
//! semantic tokens (full, range, delta), code lens, inlay hints and their
//! setting, document links, folding, selection ranges and the attribution
//! graph.
//!
//! Edits that come back are applied to the text here, in the test, with
//! the negotiated encoding, and compared with the text expected; the
//! Hangul, emoji and CRLF lines of the fixture tell the encodings apart.

use std::collections::BTreeMap;

use newsmark_syntax::position::Encoding;
use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::{at, encoding, fixture, offset_of, pos, position_of, range, range_of};

const VISIT: &str = "articles/lavrov-visit.nmk";
const HANGUL: &str = "articles/choe-hangul.nmk";
const CRLF: &str = "articles/tass-crlf.nmk";
const PEOPLE: &str = "entities/people.nmk";
const ORGS: &str = "entities/orgs.nmk";

/// A client that takes versioned edits and file creation.
fn document_changes() -> Value {
    json!({ "workspace": { "workspaceEdit": {
        "documentChanges": true,
        "resourceOperations": ["create"],
    } } })
}

fn start_with(
    encoding_name: &'static str,
    options: Options,
    setup: impl FnOnce(&std::path::Path),
) -> (tempfile::TempDir, Client) {
    let dir = fixture();
    setup(dir.path());
    let mut client = Client::start(
        dir.path(),
        Options {
            encodings: vec![encoding_name],
            ..options
        },
    );
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        encoding_name
    );
    client.wait_for_index();
    (dir, client)
}

/// What VS Code declares: versioned edits, file creation, and the client
/// command that opens completion.
fn vscode_like() -> Value {
    let mut capabilities = document_changes();
    capabilities["experimental"] =
        json!({ "commands": { "commands": ["editor.action.triggerSuggest"] } });
    capabilities
}

fn start(encoding_name: &'static str) -> (tempfile::TempDir, Client) {
    start_with(
        encoding_name,
        Options {
            capabilities: Some(vscode_like()),
            ..Options::default()
        },
        |_| {},
    )
}

fn read(client: &Client, relative: &str) -> String {
    std::fs::read_to_string(client.root.join(relative)).unwrap()
}

/// The byte offset just after the first `needle` in `text`, minus `back`.
fn after(text: &str, needle: &str, back: usize) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + needle.len()
        - back
}

/// `text` with protocol text edits applied.
fn apply_edits(text: &str, edits: &[Value], enc: Encoding) -> String {
    let mut resolved: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            (
                offset_of(text, &edit["range"]["start"], enc),
                offset_of(text, &edit["range"]["end"], enc),
                edit["newText"].as_str().unwrap(),
            )
        })
        .collect();
    resolved.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut result = text.to_owned();
    for (start, end, new_text) in resolved {
        result.replace_range(start..end, new_text);
    }
    result
}

/// What a workspace edit leaves in each file it touches, by URI: `texts`
/// holds the client's text of open documents, other files are read from
/// disk, and created files start empty.
fn apply_workspace_edit(
    edit: &Value,
    enc: Encoding,
    texts: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let current = |result: &BTreeMap<String, String>, uri: &str| -> String {
        if let Some(text) = result.get(uri).or_else(|| texts.get(uri)) {
            return text.clone();
        }
        let path = uri.strip_prefix("file://").unwrap();
        let path = percent_decode(path);
        std::fs::read_to_string(path).unwrap_or_default()
    };
    let mut result = BTreeMap::new();
    if let Some(changes) = edit.get("changes") {
        assert!(edit.get("documentChanges").is_none());
        for (uri, edits) in changes.as_object().unwrap() {
            let text = current(&result, uri);
            result.insert(
                uri.clone(),
                apply_edits(&text, edits.as_array().unwrap(), enc),
            );
        }
    }
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        if change["kind"] == "create" {
            let uri = change["uri"].as_str().unwrap().to_owned();
            result.entry(uri).or_insert_with(String::new);
            continue;
        }
        let uri = change["textDocument"]["uri"].as_str().unwrap().to_owned();
        let text = current(&result, &uri);
        result.insert(
            uri,
            apply_edits(&text, change["edits"].as_array().unwrap(), enc),
        );
    }
    result
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap();
            decoded.push(u8::from_str_radix(hex, 16).unwrap());
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).unwrap()
}

fn versions(edit: &Value) -> BTreeMap<String, Value> {
    edit["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|change| change.get("textDocument").is_some())
        .map(|change| {
            (
                change["textDocument"]["uri"].as_str().unwrap().to_owned(),
                change["textDocument"]["version"].clone(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- rename

fn check_rename(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let hangul_text = read(&client, HANGUL);
    let hangul = client.open(HANGUL);
    let inside_id = after(&hangul_text, "[라브로프]@lav", 0);

    // prepareRename: the id without its `@`, after Hangul and an emoji.
    let prepared = client
        .request(
            "textDocument/prepareRename",
            at(&hangul, position_of(&hangul_text, inside_id, enc)),
        )
        .unwrap();
    let id_start = after(&hangul_text, "[라브로프]@", 0);
    assert_eq!(
        prepared,
        range_of(&hangul_text, id_start..id_start + "lavrov".len(), enc)
    );
    let expected_start = match encoding_name {
        "utf-8" => pos(9, 66),
        _ => pos(9, 30),
    };
    assert_eq!(prepared["start"], expected_start);

    let mut params = at(&hangul, position_of(&hangul_text, inside_id, enc));
    params["newName"] = json!("sergey-lavrov");
    let edit = client.request("textDocument/rename", params).unwrap();
    // The open document carries its version; the others `null`.
    let expected_versions: BTreeMap<String, Value> = [
        (client.uri(HANGUL), json!(1)),
        (client.uri(VISIT), Value::Null),
        (client.uri(CRLF), Value::Null),
        (client.uri(PEOPLE), Value::Null),
    ]
    .into_iter()
    .collect();
    assert_eq!(versions(&edit), expected_versions);
    let renamed = apply_workspace_edit(&edit, enc, &BTreeMap::new());
    for relative in [HANGUL, VISIT, CRLF, PEOPLE] {
        let before = read(&client, relative);
        assert_eq!(
            renamed[&client.uri(relative)],
            before.replace("@lavrov", "@sergey-lavrov"),
            "{relative}"
        );
    }
    // CRLF survives.
    assert!(
        renamed[&client.uri(CRLF)]
            .contains("[the minister]@sergey-lavrov. Then {the delegation\r\nflew home}.\r\n")
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn rename_updates_every_file_in_utf16() {
    check_rename("utf-16");
}

#[test]
fn rename_updates_every_file_in_utf8() {
    check_rename("utf-8");
}

#[test]
fn rename_without_document_changes_sends_changes() {
    let (_dir, mut client) = start_with("utf-16", Options::default(), |_| {});
    let visit_text = read(&client, VISIT);
    let visit = client.uri(VISIT);
    // From the definition, in a file that is not open.
    let people = client.uri(PEOPLE);
    let mut params = at(&people, pos(15, 2));
    params["newName"] = json!("@kim-jong-un");
    let edit = client.request("textDocument/rename", params).unwrap();
    assert!(edit.get("documentChanges").is_none(), "{edit}");
    let renamed = apply_workspace_edit(&edit, Encoding::Utf16, &BTreeMap::new());
    assert_eq!(renamed.len(), 2, "{edit}");
    assert_eq!(
        renamed[&visit],
        visit_text.replace("]@kim ", "]@kim-jong-un ")
    );
    assert!(renamed[&people].contains("@kim-jong-un: Kim Jong Un\n"));
}

#[test]
fn rename_refuses_invalid_and_defined_ids_with_a_message() {
    let (_dir, mut client) = start("utf-8");
    let visit = client.open(VISIT);
    let on_lavrov = pos(15, 46);
    let refused = |client: &mut Client, new_name: &str| -> Value {
        let mut params = at(&visit, on_lavrov.clone());
        params["newName"] = json!(new_name);
        client
            .request("textDocument/rename", params)
            .expect_err("the rename is refused")
    };
    let error = refused(&mut client, "sergey lavrov");
    assert_eq!(error["code"], -32803, "RequestFailed");
    assert_eq!(
        error["message"],
        "`sergey lavrov` is not a valid id: use letters of one script, digits and `_`, with `.` or `-` inside (e.g. `north-korea`, `захарова`)"
    );
    let error = refused(&mut client, "lavrov-");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("`lavrov-` is not a valid id")
    );
    let error = refused(&mut client, "choe");
    assert_eq!(
        error["message"],
        "`@choe` is already defined; pick another id"
    );

    // Plain prose: nothing to rename.
    let prepared = client
        .request("textDocument/prepareRename", at(&visit, pos(13, 3)))
        .unwrap();
    assert_eq!(prepared, Value::Null);
    let mut params = at(&visit, pos(13, 3));
    params["newName"] = json!("x");
    let error = client.request("textDocument/rename", params).unwrap_err();
    assert_eq!(error["message"], "there is no entity id here to rename");
    // The same id again is no change, not an error.
    let mut params = at(&visit, on_lavrov);
    params["newName"] = json!("lavrov");
    assert!(client.request("textDocument/rename", params).is_ok());
}

// ---------------------------------------------------------- code actions

fn code_actions(client: &mut Client, uri: &str, range: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [] });
    if let Some(only) = only {
        context["only"] = only;
    }
    let found = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        )
        .unwrap();
    found.as_array().cloned().unwrap_or_default()
}

/// The code actions at the end of the first `needle` in `text`, the
/// text of the open document `uri`.
fn actions_after(
    client: &mut Client,
    uri: &str,
    text: &str,
    needle: &str,
    enc: Encoding,
) -> Vec<Value> {
    let cursor = position_of(text, after(text, needle, 0), enc);
    code_actions(client, uri, json!({ "start": cursor, "end": cursor }), None)
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions
        .iter()
        .map(|action| action["title"].as_str().unwrap())
        .collect()
}

fn action<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|action| action["title"] == title)
        .unwrap_or_else(|| panic!("no action {title:?} in {:?}", titles(actions)))
}

#[test]
fn undefined_entity_fixes_carry_the_published_diagnostic() {
    let (_dir, mut client) = start("utf-16");
    let visit_text = read(&client, VISIT);
    let visit = client.open(VISIT);
    let published = client.diagnostics(&visit, |d| d.len() == 2);
    let undefined = published
        .iter()
        .find(|d| d["code"] == "undefined-entity")
        .unwrap()
        .clone();
    let actions = code_actions(&mut client, &visit, range((15, 18), (15, 18)), None);
    let define = action(&actions, "Define `@us` in this file");
    assert_eq!(define["kind"], "quickfix");
    assert_eq!(define["diagnostics"], json!([undefined]));
    let defined = apply_workspace_edit(&define["edit"], Encoding::Utf16, &BTreeMap::new());
    assert_eq!(defined[&visit], format!("{visit_text}\n@us: Us\n"));
    let silence = action(&actions, "Silence `undefined-entity` on this line");
    assert_eq!(silence["diagnostics"], json!([undefined]));
    let silenced = apply_workspace_edit(&silence["edit"], Encoding::Utf16, &BTreeMap::new());
    assert_eq!(
        silenced[&visit],
        visit_text.replace(
            "@lavrov did not reply.\n",
            "@lavrov did not reply. %% ignore: undefined-entity\n"
        )
    );
    // Only quick fixes here; none is marked preferred without a suggestion.
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));
}

#[test]
fn defining_in_a_registry_that_does_not_exist_creates_it() {
    let setup = |root: &std::path::Path| {
        std::fs::write(
            root.join("newsmark.toml"),
            "registry = \"entities/new-registry.nmk\"\n",
        )
        .unwrap();
    };
    let (_dir, mut client) = start_with(
        "utf-8",
        Options {
            capabilities: Some(document_changes()),
            ..Options::default()
        },
        setup,
    );
    let visit = client.open(VISIT);
    let actions = code_actions(&mut client, &visit, range((15, 18), (15, 19)), None);
    let define = action(&actions, "Define `@us` in entities/new-registry.nmk");
    let registry = client.uri("entities/new-registry.nmk");
    assert_eq!(
        define["edit"],
        json!({ "documentChanges": [
            { "kind": "create", "uri": registry, "options": { "overwrite": false, "ignoreIfExists": true } },
            { "textDocument": { "uri": registry, "version": null }, "edits": [
                { "range": range((0, 0), (0, 0)), "newText": "@us: Us\n" }
            ] },
        ] })
    );
    assert_eq!(define["diagnostics"][0]["code"], "undefined-entity");
    assert_eq!(client.shutdown(), Some(0));

    // A client that cannot create files is not offered the action.
    let (_dir, mut client) = start_with("utf-8", Options::default(), setup);
    let visit = client.open(VISIT);
    let actions = code_actions(&mut client, &visit, range((15, 18), (15, 19)), None);
    assert!(
        !titles(&actions).iter().any(|t| t.starts_with("Define")),
        "{:?}",
        titles(&actions)
    );
}

fn check_unsourced_claim_actions(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);

    // No cue in the sentence: "Add a source…", then completion.
    let crlf_text = read(&client, CRLF);
    let crlf = client.open(CRLF);
    let actions = actions_after(&mut client, &crlf, &crlf_text, "{the deleg", enc);
    assert_eq!(
        titles(&actions),
        ["Add a source…", "Silence `unsourced-claim` on this line"]
    );
    let add = &actions[0];
    assert_eq!(
        add["command"],
        json!({ "title": "Suggest", "command": "editor.action.triggerSuggest" })
    );
    assert_eq!(add["diagnostics"][0]["range"], range((4, 28), (5, 10)));
    let added = apply_workspace_edit(&add["edit"], enc, &BTreeMap::new());
    assert_eq!(
        added[&crlf],
        crlf_text.replace("flew home}", "flew home | @}")
    );
    let silenced = apply_workspace_edit(&actions[1]["edit"], enc, &BTreeMap::new());
    assert_eq!(
        silenced[&crlf],
        crlf_text.replace(
            "{the delegation\r\n",
            "{the delegation %% ignore: unsourced-claim\r\n"
        )
    );

    // A speaker next to a cue, after Hangul and an emoji: preferred.
    let uri = client.uri("articles/new.nmk");
    let text = "😀 [최선희]@choe said that {회담이 잘 됐다} 🎉.\r\n";
    client.open_text(&uri, text);
    let actions = actions_after(&mut client, &uri, text, "{회담", enc);
    assert_eq!(
        titles(&actions),
        [
            "Attribute to `@choe` (최선희)",
            "Add a source…",
            "Silence `unsourced-claim` on this line"
        ]
    );
    assert_eq!(actions[0]["isPreferred"], true);
    assert!(actions[1].get("isPreferred").is_none());
    let claim_start = text.find('{').unwrap();
    let claim_end = text.find('}').unwrap() + 1;
    assert_eq!(
        actions[0]["diagnostics"][0]["range"],
        range_of(text, claim_start..claim_end, enc)
    );
    let texts: BTreeMap<String, String> = [(uri.clone(), text.to_owned())].into_iter().collect();
    let attributed = apply_workspace_edit(&actions[0]["edit"], enc, &texts);
    assert_eq!(
        attributed[&uri],
        "😀 [최선희]@choe said that {회담이 잘 됐다 | @choe} 🎉.\r\n"
    );
    // The open document's version guards the edit.
    assert_eq!(versions(&actions[0]["edit"])[&uri], 1);

    // A Russian article: its cues, after Cyrillic, on lines ended by a lone CR.
    let uri = client.uri("articles/ru.nmk");
    let text = "---\rlanguage: ru\r---\r[Рябков]@ryabkov заявил, что {встреча требует подготовки}, передаёт [ТАСС]@tass.\r";
    client.open_text(&uri, text);
    let actions = actions_after(&mut client, &uri, text, "{встреча", enc);
    assert_eq!(
        titles(&actions)[..2],
        [
            "Attribute to `@ryabkov` via `@tass`",
            "Attribute to `@ryabkov` (not defined)"
        ]
    );
    let texts: BTreeMap<String, String> = [(uri.clone(), text.to_owned())].into_iter().collect();
    let attributed = apply_workspace_edit(&actions[0]["edit"], enc, &texts);
    assert_eq!(
        attributed[&uri],
        text.replace("подготовки}", "подготовки | @ryabkov via @tass}")
    );
}

#[test]
fn unsourced_claim_actions_in_utf16() {
    check_unsourced_claim_actions("utf-16");
}

#[test]
fn unsourced_claim_actions_in_utf8() {
    check_unsourced_claim_actions("utf-8");
}

#[test]
fn add_a_source_opens_completion_only_in_clients_that_run_the_command() {
    // Neither VS Code nor the Neovim plugin: no `experimental.commands`.
    let (_dir, mut client) = start_with(
        "utf-16",
        Options {
            capabilities: Some(document_changes()),
            ..Options::default()
        },
        |_| {},
    );
    let crlf_text = read(&client, CRLF);
    let crlf = client.open(CRLF);
    let cursor = position_of(
        &crlf_text,
        after(&crlf_text, "{the deleg", 0),
        Encoding::Utf16,
    );
    let actions = code_actions(
        &mut client,
        &crlf,
        json!({ "start": cursor, "end": cursor }),
        None,
    );
    let add = action(&actions, "Add a source…");
    assert!(add.get("command").is_none(), "{add}");
    let added = apply_workspace_edit(&add["edit"], Encoding::Utf16, &BTreeMap::new());
    assert_eq!(
        added[&crlf],
        crlf_text.replace("flew home}", "flew home | @}")
    );
    assert_eq!(client.shutdown(), Some(0));
}

fn check_untagged_mention_actions(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let uri = client.uri("articles/untagged.nmk");
    let text = "🎉 North Korea and [North Korea]@north-korea, again North Korea.\r\n최선희는 met @kcna.\r\n";
    client.open_text(&uri, text);
    let texts: BTreeMap<String, String> = [(uri.clone(), text.to_owned())].into_iter().collect();

    let published = client.diagnostics(&uri, |d| d.len() == 3);
    let hint_ranges: Vec<Value> = published
        .iter()
        .filter(|d| d["code"] == "untagged-mention")
        .map(|d| d["range"].clone())
        .collect();
    let first = after(text, "🎉 ", 0);
    let second = after(text, "again ", 0);
    let choe = after(text, "\r\n", 0);
    assert_eq!(
        hint_ranges,
        [
            range_of(text, first..first + "North Korea".len(), enc),
            range_of(text, second..second + "North Korea".len(), enc),
            range_of(text, choe..choe + "최선희".len(), enc),
        ]
    );

    let cursor = position_of(text, first + 3, enc);
    let actions = code_actions(
        &mut client,
        &uri,
        json!({ "start": cursor, "end": cursor }),
        None,
    );
    assert_eq!(
        titles(&actions),
        [
            "Tag `North Korea` as a mention of `@north-korea`",
            "Tag every untagged mention of `@north-korea` in this file (2)",
            "Silence `untagged-mention` on this line"
        ]
    );
    let one = apply_workspace_edit(&actions[0]["edit"], enc, &texts);
    assert_eq!(
        one[&uri],
        text.replacen("🎉 North Korea", "🎉 [North Korea]@north-korea", 1)
    );
    let all = apply_workspace_edit(&actions[1]["edit"], enc, &texts);
    assert_eq!(
        all[&uri],
        "🎉 [North Korea]@north-korea and [North Korea]@north-korea, again [North Korea]@north-korea.\r\n최선희는 met @kcna.\r\n"
    );
    assert_eq!(actions[1]["diagnostics"][0]["range"], hint_ranges[0]);

    // A Hangul name followed by a particle.
    let cursor = position_of(text, choe + 3, enc);
    let actions = code_actions(
        &mut client,
        &uri,
        json!({ "start": cursor, "end": cursor }),
        None,
    );
    let tag = action(&actions, "Tag `최선희` as a mention of `@choe`");
    let tagged = apply_workspace_edit(&tag["edit"], enc, &texts);
    assert_eq!(tagged[&uri], text.replace("최선희는", "[최선희]@choe는"));
}

#[test]
fn untagged_mention_actions_in_utf16() {
    check_untagged_mention_actions("utf-16");
}

#[test]
fn untagged_mention_actions_in_utf8() {
    check_untagged_mention_actions("utf-8");
}

fn check_selection_refactors(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let uri = client.uri("articles/wrap.nmk");
    let text = "😀 최선희 said: then Sergey Lavrov spoke.\n";
    client.open_text(&uri, text);
    let texts: BTreeMap<String, String> = [(uri.clone(), text.to_owned())].into_iter().collect();
    let start = text.find("Sergey").unwrap();
    let selection = range_of(text, start..start + "Sergey Lavrov".len(), enc);

    let refactors = code_actions(
        &mut client,
        &uri,
        selection.clone(),
        Some(json!(["refactor"])),
    );
    assert_eq!(
        titles(&refactors),
        [
            "Wrap as a claim",
            "Wrap as a mention of `@lavrov` (Sergey Lavrov)"
        ]
    );
    assert!(refactors.iter().all(|a| a["kind"] == "refactor.rewrite"));
    assert!(refactors.iter().all(|a| a.get("diagnostics").is_none()));
    let claim = apply_workspace_edit(&refactors[0]["edit"], enc, &texts);
    assert_eq!(claim[&uri], "😀 최선희 said: then {Sergey Lavrov} spoke.\n");
    let mention = apply_workspace_edit(&refactors[1]["edit"], enc, &texts);
    assert_eq!(
        mention[&uri],
        "😀 최선희 said: then [Sergey Lavrov]@lavrov spoke.\n"
    );
    // `only: ["quickfix"]` leaves the refactorings out.
    let fixes = code_actions(&mut client, &uri, selection, Some(json!(["quickfix"])));
    assert!(fixes.iter().all(|a| a["kind"] == "quickfix"), "{fixes:?}");
}

#[test]
fn selection_refactors_in_utf16() {
    check_selection_refactors("utf-16");
}

#[test]
fn selection_refactors_in_utf8() {
    check_selection_refactors("utf-8");
}

// -------------------------------------------------------- semantic tokens

/// Decoded tokens as (text, type, modifiers), checked to lie on one line.
fn decode_tokens(
    text: &str,
    data: &[Value],
    enc: Encoding,
    legend: &Value,
) -> Vec<(String, String, Vec<String>)> {
    let types = legend["tokenTypes"].as_array().unwrap();
    let modifiers = legend["tokenModifiers"].as_array().unwrap();
    let numbers: Vec<u64> = data.iter().map(|n| n.as_u64().unwrap()).collect();
    let (mut line, mut column) = (0, 0);
    numbers
        .chunks(5)
        .map(|token| {
            if token[0] > 0 {
                line += token[0];
                column = token[1];
            } else {
                column += token[1];
            }
            let start = offset_of(text, &pos(line as u32, column as u32), enc);
            let end = offset_of(text, &pos(line as u32, (column + token[2]) as u32), enc);
            let slice = &text[start..end];
            assert!(!slice.contains('\n') && !slice.contains('\r'), "{slice:?}");
            let token_modifiers = (0..modifiers.len())
                .filter(|bit| token[4] & (1 << bit) != 0)
                .map(|bit| modifiers[bit].as_str().unwrap().to_owned())
                .collect();
            (
                slice.to_owned(),
                types[token[3] as usize].as_str().unwrap().to_owned(),
                token_modifiers,
            )
        })
        .collect()
}

fn token(text: &str, token_type: &str, modifiers: &[&str]) -> (String, String, Vec<String>) {
    (
        text.to_owned(),
        token_type.to_owned(),
        modifiers.iter().map(|m| (*m).to_owned()).collect(),
    )
}

fn check_semantic_tokens(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let legend =
        client.initialize_result["capabilities"]["semanticTokensProvider"]["legend"].clone();
    let hangul_text = read(&client, HANGUL);
    let hangul = client.open(HANGUL);
    let document = json!({ "textDocument": { "uri": hangul } });

    let full = client
        .request("textDocument/semanticTokens/full", document.clone())
        .unwrap();
    let data = full["data"].as_array().unwrap().clone();
    let expected_line_7_and_9 = vec![
        token("최선희", "mention", &[]),
        token("@choe", "entity", &[]),
        token("{“불패의 동지적 관계” | ", "quote", &["sourced"]),
        token("@kcna", "source", &[]),
        token("}", "quote", &["sourced"]),
        token("{두 나라가 새 협정을 준비한다}", "claim", &["unsourced"]),
        token("라브로프", "mention", &[]),
        token("@lavrov", "entity", &[]),
    ];
    let mut expected = vec![
        token("title", "property", &[]),
        token("date", "property", &[]),
        token("outlet", "property", &[]),
        token("@kcna", "entity", &[]),
        token("language", "property", &[]),
    ];
    expected.extend(expected_line_7_and_9.clone());
    assert_eq!(decode_tokens(&hangul_text, &data, enc, &legend), expected);
    // The unsourced claim after `😀 `: its column and length in units.
    let claim_token: Vec<u64> = data[50..55].iter().map(|n| n.as_u64().unwrap()).collect();
    let expected_claim = match encoding_name {
        "utf-8" => [2, 5, 42, 2, 4],
        _ => [2, 3, 18, 2, 4],
    };
    assert_eq!(claim_token, expected_claim);

    // Range: only the tokens of lines 7 to 9.
    let ranged = client
        .request(
            "textDocument/semanticTokens/range",
            json!({ "textDocument": { "uri": hangul }, "range": range((7, 0), (10, 0)) }),
        )
        .unwrap();
    assert!(ranged.get("resultId").is_none());
    assert_eq!(
        decode_tokens(
            &hangul_text,
            ranged["data"].as_array().unwrap(),
            enc,
            &legend
        ),
        expected_line_7_and_9
    );

    // Delta after an edit: a new mention and reference after the emoji.
    let insert_at = position_of(&hangul_text, after(&hangul_text, "😀 ", 0), enc);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": hangul, "version": 2 },
            "contentChanges": [{ "range": { "start": insert_at, "end": insert_at }, "text": "[김]@kim @tass " }],
        }),
    );
    let new_text = hangul_text.replacen("😀 ", "😀 [김]@kim @tass ", 1);
    let mut params = document.clone();
    params["previousResultId"] = full["resultId"].clone();
    let delta = client
        .request("textDocument/semanticTokens/full/delta", params)
        .unwrap();
    assert_ne!(delta["resultId"], full["resultId"]);
    let edits = delta["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{delta}");
    // The first 10 tokens (front matter and line 7) are kept.
    assert_eq!(edits[0]["start"], 50);
    let mut patched: Vec<Value> = data.clone();
    for edit in edits.iter().rev() {
        let start = edit["start"].as_u64().unwrap() as usize;
        let delete = edit["deleteCount"].as_u64().unwrap() as usize;
        let inserted = edit["data"].as_array().cloned().unwrap_or_default();
        patched.splice(start..start + delete, inserted);
    }
    let fresh = client
        .request("textDocument/semanticTokens/full", document.clone())
        .unwrap();
    assert_eq!(Value::Array(patched.clone()), fresh["data"]);
    let decoded = decode_tokens(&new_text, &patched, enc, &legend);
    assert_eq!(
        decoded[10..13].to_vec(),
        [
            token("김", "mention", &[]),
            token("@kim", "entity", &[]),
            token("@tass", "entity", &[]),
        ]
    );

    // No change since the last result: no edits.
    let mut params = document.clone();
    params["previousResultId"] = fresh["resultId"].clone();
    let unchanged = client
        .request("textDocument/semanticTokens/full/delta", params)
        .unwrap();
    assert_eq!(unchanged["edits"], json!([]));
    // An unknown result id: every token again.
    let mut params = document;
    params["previousResultId"] = json!("no-such-result");
    let again = client
        .request("textDocument/semanticTokens/full/delta", params)
        .unwrap();
    assert_eq!(again["data"], fresh["data"]);
    assert!(again["resultId"].is_string());
}

#[test]
fn semantic_tokens_full_range_and_delta_in_utf16() {
    check_semantic_tokens("utf-16");
}

#[test]
fn semantic_tokens_full_range_and_delta_in_utf8() {
    check_semantic_tokens("utf-8");
}

#[test]
fn semantic_tokens_on_crlf_lines_and_definitions() {
    let (_dir, mut client) = start("utf-16");
    let legend =
        client.initialize_result["capabilities"]["semanticTokensProvider"]["legend"].clone();
    let crlf_text = read(&client, CRLF);
    let crlf = client.open(CRLF);
    let full = client
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": crlf } }),
        )
        .unwrap();
    assert_eq!(
        decode_tokens(
            &crlf_text,
            full["data"].as_array().unwrap(),
            Encoding::Utf16,
            &legend
        ),
        [
            token(
                "%% This file has CRLF line endings; .gitattributes keeps them.",
                "comment",
                &[]
            ),
            token("{Talks will continue in November | ", "claim", &["sourced"]),
            token("@tass", "source", &[]),
            token("}", "claim", &["sourced"]),
            token("the minister", "mention", &[]),
            token("@lavrov", "entity", &[]),
            // A claim across a CRLF break: one token per line.
            token("{the delegation", "claim", &["unsourced"]),
            token("flew home}", "claim", &["unsourced"]),
        ]
    );
    let orgs_text = read(&client, ORGS);
    let orgs = client.uri(ORGS);
    let full = client
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": orgs } }),
        )
        .unwrap();
    let decoded = decode_tokens(
        &orgs_text,
        full["data"].as_array().unwrap(),
        Encoding::Utf16,
        &legend,
    );
    assert_eq!(
        decoded[..4].to_vec(),
        [
            token(
                "%% Countries and outlets of the fixture workspace.",
                "comment",
                &[]
            ),
            token("@russia", "entity", &["declaration"]),
            token("kind", "property", &[]),
            token("@north-korea", "entity", &["declaration"]),
        ]
    );
}

/// The legend names are those the VS Code extension declares, or standard
/// LSP names that VS Code knows; the extension declares nothing the server
/// does not send, and maps every type (and each modifier it styles) to
/// TextMate scopes for themes without semantic rules.
#[test]
fn semantic_token_legend_matches_the_vscode_extension() {
    let (_dir, client) = start("utf-16");
    let legend = &client.initialize_result["capabilities"]["semanticTokensProvider"]["legend"];
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../editors/vscode/package.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let declared = |key: &str| -> Vec<String> {
        manifest["contributes"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let names = |key: &str| -> Vec<String> {
        legend[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| name.as_str().unwrap().to_owned())
            .collect()
    };
    let (types, modifiers) = (names("tokenTypes"), names("tokenModifiers"));
    let standard_types = ["property", "comment", "keyword", "label"];
    for name in &types {
        assert!(
            declared("semanticTokenTypes").contains(name)
                || standard_types.contains(&name.as_str()),
            "token type {name} is neither declared by the extension nor standard"
        );
    }
    for name in &modifiers {
        assert!(
            declared("semanticTokenModifiers").contains(name) || name == "declaration",
            "modifier {name} is neither declared by the extension nor standard"
        );
    }
    for name in declared("semanticTokenTypes") {
        assert!(
            types.contains(&name),
            "the extension declares {name}, which the server never sends"
        );
    }
    for name in declared("semanticTokenModifiers") {
        assert!(
            modifiers.contains(&name),
            "the extension declares modifier {name}, which the server never sends"
        );
    }
    let scopes = manifest["contributes"]["semanticTokenScopes"][0]["scopes"]
        .as_object()
        .unwrap();
    for selector in scopes.keys() {
        let mut parts = selector.split('.');
        let token_type = parts.next().unwrap().to_owned();
        assert!(
            types.contains(&token_type),
            "semanticTokenScopes styles {selector}, an unknown type"
        );
        for modifier in parts {
            assert!(
                modifiers.contains(&modifier.to_owned()),
                "semanticTokenScopes styles {selector}, an unknown modifier"
            );
        }
    }
    for name in &types {
        assert!(
            scopes.contains_key(name),
            "no TextMate fallback for token type {name}"
        );
    }
    assert_eq!(
        legend["tokenTypes"],
        json!([
            "entity",
            "mention",
            "claim",
            "quote",
            "source",
            "property",
            "comment",
            "directive",
            "conduit",
            "keyword",
            "label",
            "hedge"
        ])
    );
    assert_eq!(
        legend["tokenModifiers"],
        json!(["declaration", "sourced", "unsourced"])
    );
}

// ------------------------------------------------------------- code lens

fn check_code_lens(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start_with(
        encoding_name,
        Options {
            capabilities: Some(json!({ "window": { "showDocument": { "support": true } } })),
            ..Options::default()
        },
        |_| {},
    );
    let people = client.uri(PEOPLE);
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": people } }),
        )
        .unwrap();
    assert_eq!(
        lenses,
        json!([
            { "range": range((2, 0), (2, 7)), "data": { "uri": people, "id": "lavrov" } },
            { "range": range((9, 0), (9, 5)), "data": { "uri": people, "id": "choe" } },
            { "range": range((15, 0), (15, 4)), "data": { "uri": people, "id": "kim" } },
        ])
    );
    let lavrov = client
        .request("codeLens/resolve", lenses[0].clone())
        .unwrap();
    let command = &lavrov["command"];
    assert_eq!(command["title"], "3 mentions · 0 claims sourced");
    assert_eq!(command["command"], "newsmark.showReferences");
    assert_eq!(command["arguments"][0], people);
    assert_eq!(command["arguments"][1], pos(2, 0));
    let hangul_text = read(&client, HANGUL);
    let mention = hangul_text.find("[라브로프]@lavrov").unwrap();
    let mut locations: Vec<(String, Value)> = command["arguments"][2]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_owned(), l["range"].clone()))
        .collect();
    locations.sort_by_key(|(uri, range)| (uri.clone(), range.to_string()));
    let mut expected = vec![
        (
            client.uri(HANGUL),
            range_of(
                &hangul_text,
                mention..mention + "[라브로프]@lavrov".len(),
                enc,
            ),
        ),
        (client.uri(VISIT), range((10, 0), (10, 29))),
        (client.uri(VISIT), range((15, 44), (15, 51))),
        (client.uri(CRLF), range((4, 0), (4, 21))),
    ];
    expected.sort_by_key(|(uri, range)| (uri.clone(), range.to_string()));
    assert_eq!(locations, expected);
    let hangul_start = match encoding_name {
        "utf-8" => pos(9, 51),
        _ => pos(9, 23),
    };
    assert!(
        command["arguments"][2]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["range"]["start"] == hangul_start)
    );

    let kim = client
        .request("codeLens/resolve", lenses[2].clone())
        .unwrap();
    assert_eq!(kim["command"]["title"], "1 mention · 0 claims sourced");

    // Run by a client without a handler of its own: the server opens the
    // first reference and answers with all of them.
    let answer = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "newsmark.showReferences", "arguments": command["arguments"] }),
        )
        .unwrap();
    assert_eq!(answer, command["arguments"][2]);
    let shown = client.wait_for("window/showDocument", |m| {
        m["method"] == "window/showDocument"
    });
    assert_eq!(shown["params"]["uri"], command["arguments"][2][0]["uri"]);
    assert_eq!(
        shown["params"]["selection"],
        command["arguments"][2][0]["range"]
    );
    assert_eq!(shown["params"]["takeFocus"], true);

    // An entity nobody uses: a lens with no command to run.
    let uri = client.uri("entities/new.nmk");
    client.open_text(&uri, "%% 😀\n@nobody: Nobody\n  kind: person\n");
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } }),
        )
        .unwrap();
    let nobody = client
        .request("codeLens/resolve", lenses[0].clone())
        .unwrap();
    assert_eq!(
        nobody["command"],
        json!({
            "title": "0 mentions · 0 claims sourced",
            "command": "",
            "arguments": [uri, pos(1, 0), []],
        })
    );
    // An unknown command is refused.
    let error = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "newsmark.nothing", "arguments": [] }),
        )
        .unwrap_err();
    assert_eq!(error["code"], -32602);
}

#[test]
fn code_lens_counts_and_shows_references_in_utf16() {
    check_code_lens("utf-16");
}

#[test]
fn code_lens_counts_and_shows_references_in_utf8() {
    check_code_lens("utf-8");
}

#[test]
fn code_lenses_and_inlay_hints_refresh_after_changes_elsewhere() {
    let (_dir, mut client) = start_with(
        "utf-16",
        Options {
            capabilities: Some(json!({ "workspace": {
                "codeLens": { "refreshSupport": true },
                "inlayHint": { "refreshSupport": true },
            } })),
            ..Options::default()
        },
        |_| {},
    );
    let is = |method: &'static str| move |m: &Value| m["method"] == method;
    // The end of the scan: counts and names are complete now.
    client.wait_for("codeLens/refresh", is("workspace/codeLens/refresh"));
    client.wait_for("inlayHint/refresh", is("workspace/inlayHint/refresh"));
    client.backlog.clear();

    let people = client.uri(PEOPLE);
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": people } }),
        )
        .unwrap();
    let uri = client.uri("articles/kim.nmk");
    client.open_text(&uri, "😀 [Kim]@kim spoke.\r\n");
    client.wait_for("codeLens/refresh", is("workspace/codeLens/refresh"));
    client.wait_for("inlayHint/refresh", is("workspace/inlayHint/refresh"));
    let kim = client
        .request("codeLens/resolve", lenses[2].clone())
        .unwrap();
    assert_eq!(kim["command"]["title"], "2 mentions · 0 claims sourced");
}

// ----------------------------------------------------------- inlay hints

fn hints(client: &mut Client, uri: &str) -> Value {
    client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": range((0, 0), (100, 0)) }),
        )
        .unwrap()
}

fn check_inlay_hints(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let hangul_text = read(&client, HANGUL);
    let hangul = client.open(HANGUL);
    let kcna = "Korean Central News Agency";
    let in_front_matter = after(&hangul_text, "outlet: @kcna", 0);
    let as_source = after(&hangul_text, "| @kcna", 0);
    assert_eq!(
        hints(&mut client, &hangul),
        json!([
            { "position": position_of(&hangul_text, in_front_matter, enc), "label": kcna, "paddingLeft": true },
            { "position": position_of(&hangul_text, as_source, enc), "label": kcna, "paddingLeft": true },
        ])
    );
    let expected_column = match encoding_name {
        "utf-8" => 76,
        _ => 40,
    };
    assert_eq!(
        hints(&mut client, &hangul)[1]["position"],
        pos(7, expected_column)
    );
    // Mentions name their entity already; undefined ids have no name.
    let visit = client.open(VISIT);
    let labels: Vec<(Value, Value)> = hints(&mut client, &visit)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["position"].clone(), h["label"].clone()))
        .collect();
    assert_eq!(
        labels,
        [
            (pos(3, 13), json!("TASS")),
            (pos(11, 59), json!("TASS")),
            (pos(15, 51), json!("Sergey Lavrov")),
        ]
    );
    // Only the hints inside the requested range.
    let ranged = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": visit }, "range": range((11, 0), (12, 0)) }),
        )
        .unwrap();
    assert_eq!(ranged.as_array().unwrap().len(), 1);
}

#[test]
fn inlay_hints_name_bare_ids_in_utf16() {
    check_inlay_hints("utf-16");
}

#[test]
fn inlay_hints_name_bare_ids_in_utf8() {
    check_inlay_hints("utf-8");
}

#[test]
fn inlay_hints_follow_the_setting() {
    let (_dir, mut client) = start_with(
        "utf-16",
        Options {
            initialization_options: Some(json!({ "inlayHints": false })),
            answer_server_requests: false,
            capabilities: Some(json!({ "workspace": {
                "didChangeConfiguration": { "dynamicRegistration": true },
                "inlayHint": { "refreshSupport": true },
            } })),
            ..Options::default()
        },
        |_| {},
    );
    // The server registers for changes of the `newsmark` section, and asks
    // for its current value; this client has none yet.
    let registration = client.wait_for("registerCapability", |m| {
        m["method"] == "client/registerCapability"
            && m["params"]["registrations"][0]["method"] == "workspace/didChangeConfiguration"
    });
    assert_eq!(
        registration["params"]["registrations"][0]["registerOptions"],
        json!({ "section": "newsmark" })
    );
    let asked = client.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(asked["params"]["items"], json!([{ "section": "newsmark" }]));
    client.respond(&asked["id"], json!([null]));
    // The end of the scan asks for hints again (names are complete now);
    // the refreshes below then come from the setting.
    let refresh = client.wait_for("workspace/inlayHint/refresh", |m| {
        m["method"] == "workspace/inlayHint/refresh"
    });
    client.respond(&refresh["id"], Value::Null);
    let visit = client.open(VISIT);
    assert_eq!(hints(&mut client, &visit), Value::Null, "off at start");

    // VS Code's pull model: `settings: null`, then the server asks.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    let asked = client.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    client.respond(&asked["id"], json!([{ "inlayHints": true }]));
    let refresh = client.wait_for("workspace/inlayHint/refresh", |m| {
        m["method"] == "workspace/inlayHint/refresh"
    });
    client.respond(&refresh["id"], Value::Null);
    assert_eq!(hints(&mut client, &visit).as_array().unwrap().len(), 3);

    // Settings pushed in the notification itself.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "newsmark": { "inlayHints": false } } }),
    );
    let refresh = client.wait_for("workspace/inlayHint/refresh", |m| {
        m["method"] == "workspace/inlayHint/refresh"
    });
    client.respond(&refresh["id"], Value::Null);
    assert_eq!(hints(&mut client, &visit), Value::Null);
}

// ------------------------------------- document links, folding, selection

fn check_links_folding_selection(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);

    let people = client.uri(PEOPLE);
    let links = client
        .request(
            "textDocument/documentLink",
            json!({ "textDocument": { "uri": people } }),
        )
        .unwrap();
    assert_eq!(
        links,
        json!([
            { "range": range((7, 12), (7, 18)), "target": "https://www.wikidata.org/wiki/Q80447" },
            { "range": range((19, 12), (19, 18)), "target": "https://www.wikidata.org/wiki/Q56226" },
        ])
    );
    // A url with Hangul, after Hangul: its range in units, its target
    // percent-encoded.
    let uri = client.uri("entities/links.nmk");
    let text = "@ko: 최선희 😀\n  url: https://ko.wikipedia.org/wiki/최선희\n";
    client.open_text(&uri, text);
    let links = client
        .request(
            "textDocument/documentLink",
            json!({ "textDocument": { "uri": uri } }),
        )
        .unwrap();
    let url = text.find("https").unwrap();
    assert_eq!(
        links,
        json!([{
            "range": range_of(text, url..text.len() - 1, enc),
            "target": "https://ko.wikipedia.org/wiki/%EC%B5%9C%EC%84%A0%ED%9D%AC",
        }])
    );

    let folds = |client: &mut Client, uri: &str| -> Vec<(u64, u64)> {
        let found = client
            .request(
                "textDocument/foldingRange",
                json!({ "textDocument": { "uri": uri } }),
            )
            .unwrap();
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|fold| {
                assert_eq!(fold["kind"], "region");
                (
                    fold["startLine"].as_u64().unwrap(),
                    fold["endLine"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(folds(&mut client, &people), [(2, 7), (9, 13), (15, 19)]);
    let hangul = client.uri(HANGUL);
    assert_eq!(folds(&mut client, &hangul), [(0, 5)]);
    let crlf = client.open(CRLF);
    // The claim across the CRLF break.
    assert_eq!(folds(&mut client, &crlf), [(4, 5)]);

    // Selection: from the id after Hangul and an emoji out to the file.
    let hangul_text = read(&client, HANGUL);
    let inside = after(&hangul_text, "[라브로프]@lav", 0);
    let other = after(&hangul_text, "{두 나", 0);
    let selections = client
        .request(
            "textDocument/selectionRange",
            json!({
                "textDocument": { "uri": hangul },
                "positions": [
                    position_of(&hangul_text, inside, enc),
                    position_of(&hangul_text, other, enc),
                ],
            }),
        )
        .unwrap();
    let chain = |selection: &Value| -> Vec<String> {
        let mut texts = Vec::new();
        let mut current = Some(selection);
        while let Some(selection) = current {
            let start = offset_of(&hangul_text, &selection["range"]["start"], enc);
            let end = offset_of(&hangul_text, &selection["range"]["end"], enc);
            texts.push(hangul_text[start..end].to_owned());
            current = selection.get("parent");
        }
        texts
    };
    let paragraph = "😀 {두 나라가 새 협정을 준비한다}고 [라브로프]@lavrov 장관이 말했다.";
    assert_eq!(
        chain(&selections[0]),
        [
            "lavrov",
            "[라브로프]@lavrov",
            paragraph,
            hangul_text.as_str()
        ]
    );
    assert_eq!(
        chain(&selections[1]),
        [
            "두 나라가 새 협정을 준비한다",
            "{두 나라가 새 협정을 준비한다}",
            paragraph,
            hangul_text.as_str()
        ]
    );
    let id_start = match encoding_name {
        "utf-8" => pos(9, 66),
        _ => pos(9, 30),
    };
    assert_eq!(selections[0]["range"]["start"], id_start);
}

#[test]
fn links_folding_and_selection_in_utf16() {
    check_links_folding_selection("utf-16");
}

#[test]
fn links_folding_and_selection_in_utf8() {
    check_links_folding_selection("utf-8");
}

// ----------------------------------------------------- attribution graph

#[test]
fn attribution_graph_of_the_workspace_and_of_some_files() {
    let (_dir, mut client) = start("utf-16");
    let graph = client
        .request("newsmark/attributionGraph", Value::Null)
        .unwrap();
    assert_eq!(
        graph,
        json!({
            "entities": [
                { "id": "choe", "name": "최선희", "kind": "person", "defined": true, "mentions": 1, "claims": 0 },
                { "id": "kcna", "name": "Korean Central News Agency", "kind": "outlet", "defined": true, "mentions": 0, "claims": 1 },
                { "id": "kim", "name": "Kim Jong Un", "kind": "person", "defined": true, "mentions": 1, "claims": 0 },
                { "id": "lavrov", "name": "Sergey Lavrov", "kind": "person", "defined": true, "mentions": 3, "claims": 0 },
                { "id": "tass", "name": "TASS", "kind": "outlet", "defined": true, "mentions": 0, "claims": 2 },
            ],
            "claims": [
                { "file": "articles/choe-hangul.nmk", "line": 8, "column": 19, "end_line": 8, "end_column": 41, "text": "“불패의 동지적 관계”", "quote": true, "sources": ["kcna"], "parent": null },
                { "file": "articles/choe-hangul.nmk", "line": 10, "column": 3, "end_line": 10, "end_column": 21, "text": "두 나라가 새 협정을 준비한다", "quote": false, "sources": [], "parent": null },
                { "file": "articles/lavrov-visit.nmk", "line": 12, "column": 1, "end_line": 12, "end_column": 61, "text": "the talks with [the leader]@kim will last two days", "quote": false, "sources": ["tass"], "parent": null },
                { "file": "articles/lavrov-visit.nmk", "line": 14, "column": 21, "end_line": 14, "end_column": 60, "text": "the visit had been planned for months", "quote": false, "sources": [], "parent": null },
                { "file": "articles/lavrov-visit.nmk", "line": 19, "column": 1, "end_line": 19, "end_column": 39, "text": "A second visit is expected next year", "quote": false, "sources": [], "parent": null },
                { "file": "articles/tass-crlf.nmk", "line": 4, "column": 1, "end_line": 4, "end_column": 42, "text": "Talks will continue in November", "quote": false, "sources": ["tass"], "parent": null },
                { "file": "articles/tass-crlf.nmk", "line": 5, "column": 29, "end_line": 6, "end_column": 11, "text": "the delegation flew home", "quote": false, "sources": [], "parent": null },
            ],
            "claims_per_source": [{ "id": "tass", "claims": 2 }, { "id": "kcna", "claims": 1 }],
            "single_source_claims": [0, 2, 5],
            "unsourced_claims": [1, 3, 4, 6],
            "anonymous_sources": [],
            "undefined_sources": [],
        })
    );
    // `{}` and an empty list mean the whole workspace too.
    let same = client
        .request("newsmark/attributionGraph", json!({}))
        .unwrap();
    assert_eq!(same, graph);
    let same = client
        .request("newsmark/attributionGraph", json!({ "uris": [] }))
        .unwrap();
    assert_eq!(same, graph);

    // Some files: open documents as the client has them.
    let crlf = client.open(CRLF);
    let uri = client.uri("articles/anonymous.nmk");
    client.open_text(
        &uri,
        "@officials: U.S. officials\r\n  kind: anonymous\r\n\r\n{Shipped 😀 | @officials, @nobody}\r\n",
    );
    let some = client
        .request("newsmark/attributionGraph", json!({ "uris": [crlf, uri] }))
        .unwrap();
    let texts: Vec<&str> = some["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Shipped 😀",
            "Talks will continue in November",
            "the delegation flew home"
        ]
    );
    assert_eq!(some["anonymous_sources"], json!(["officials"]));
    assert_eq!(some["undefined_sources"], json!(["nobody"]));

    let error = client
        .request(
            "newsmark/attributionGraph",
            json!({ "uris": [client.uri("articles/missing.nmk")] }),
        )
        .unwrap_err();
    assert_eq!(error["code"], -32602);
}

// ------------------------------------------- consistency across articles

fn check_conflicting_attribution(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let hangul_text = read(&client, HANGUL);
    let quote = "{“불패의 동지적 관계” | @kcna}";
    let hangul_claim = hangul_text.find(quote).unwrap();
    let hangul_claim = hangul_claim..hangul_claim + quote.len();

    // The same quote (other quotation marks), after an emoji, credited to
    // another source, in a CRLF file.
    let uri = client.uri("articles/conflict.nmk");
    let text = "😀 [TASS]@tass wrote {\"불패의 동지적 관계\" | @tass}.\r\n";
    client.open_text(&uri, text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    let claim = text.find('{').unwrap()..text.find('}').unwrap() + 1;
    assert_eq!(
        found,
        [json!({
            "range": range_of(text, claim, enc),
            "severity": 2,
            "code": "conflicting-attribution",
            "codeDescription": { "href": "https://github.com/newsmark/newsmark/blob/main/docs/rules.md#conflicting-attribution" },
            "source": "newsmark",
            "message": "this quote is attributed to `@tass` here but to other sources in 1 place(s) in other files",
            "relatedInformation": [{
                "location": { "uri": client.uri(HANGUL), "range": range_of(&hangul_text, hangul_claim.clone(), enc) },
                "message": "attributed to `@kcna` in `articles/choe-hangul.nmk`",
            }],
        })]
    );
    let expected = match encoding_name {
        "utf-8" => range((7, 35), (7, 77)),
        _ => range((7, 19), (7, 41)),
    };
    assert_eq!(
        found[0]["relatedInformation"][0]["location"]["range"],
        expected
    );

    // And the other way round, on the Hangul article.
    let hangul = client.open(HANGUL);
    let found = client.diagnostics(&hangul, |d| d.len() == 2);
    let conflict = found
        .iter()
        .find(|d| d["code"] == "conflicting-attribution")
        .unwrap();
    assert_eq!(conflict["range"], range_of(&hangul_text, hangul_claim, enc));
    assert_eq!(conflict["relatedInformation"][0]["location"]["uri"], uri);
}

#[test]
fn conflicting_attribution_points_at_the_other_article_in_utf16() {
    check_conflicting_attribution("utf-16");
}

#[test]
fn conflicting_attribution_points_at_the_other_article_in_utf8() {
    check_conflicting_attribution("utf-8");
}

// ---------------------------------------------------------- capabilities

#[test]
fn capabilities_advertise_the_productivity_features() {
    let (_dir, client) = start("utf-16");
    let capabilities = &client.initialize_result["capabilities"];
    assert_eq!(
        capabilities["renameProvider"],
        json!({ "prepareProvider": true })
    );
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "refactor.rewrite"])
    );
    let semantic = &capabilities["semanticTokensProvider"];
    assert_eq!(semantic["full"], json!({ "delta": true }));
    assert_eq!(semantic["range"], true);
    assert_eq!(
        capabilities["codeLensProvider"],
        json!({ "resolveProvider": true })
    );
    assert_eq!(
        capabilities["executeCommandProvider"]["commands"],
        json!(["newsmark.showReferences", "newsmark.openReport"])
    );
    for provider in [
        "inlayHintProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
    ] {
        assert_eq!(capabilities[provider], true, "{provider}");
    }
    assert_eq!(
        capabilities["documentLinkProvider"],
        json!({ "resolveProvider": false })
    );
}

/// The editor flow of a conflict: its finding, "Accept bob" as a workspace
/// edit, the change sent back, and the finding gone.
#[test]
fn accepting_a_version_of_a_conflict_clears_its_finding() {
    let article = "articles/conflict.nmk";
    let text = "Before.\r\n\r\n<<<<<<< 김민지\r\nThe minister spoke.\r\n=======\r\nThe minister 😀 spoke.\r\n>>>>>>> bob\r\n\r\nAfter.\r\n";
    let (_dir, mut client) = start_with(
        "utf-16",
        Options {
            capabilities: Some(document_changes()),
            ..Options::default()
        },
        |root| std::fs::write(root.join(article), text).unwrap(),
    );
    let uri = client.open(article);
    let published = client.diagnostics(&uri, |d| {
        d.iter().any(|d| d["code"] == "unresolved-conflict")
    });
    let finding = published
        .iter()
        .find(|d| d["code"] == "unresolved-conflict")
        .unwrap()
        .clone();
    assert_eq!(
        finding["message"],
        "unresolved conflict between 김민지 and bob"
    );
    assert_eq!(finding["severity"], 1);
    let actions = actions_after(&mut client, &uri, text, "😀", Encoding::Utf16);
    let accept = action(&actions, "Accept bob");
    assert_eq!(accept["diagnostics"], json!([finding]));
    let texts = BTreeMap::from([(uri.clone(), text.to_owned())]);
    let accepted = apply_workspace_edit(&accept["edit"], Encoding::Utf16, &texts);
    let new_text = &accepted[&uri];
    assert_eq!(
        new_text,
        "Before.\r\n\r\nThe minister 😀 spoke.\r\n\r\nAfter.\r\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": new_text }],
        }),
    );
    client.diagnostics(&uri, |d| {
        d.iter().all(|d| d["code"] != "unresolved-conflict")
    });
    assert_eq!(client.document_text(&uri)["text"], json!(new_text));
}

/// The annotators' versions of the examples (`tests/fixtures/annotators`)
/// in a private folder.
fn annotators() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/annotators");
    crate::copy_dir(&source, dir.path());
    dir
}

/// Adjudication end to end: `newsmark merge` writes alice's and bob's
/// versions with conflicts; in the editor each is an error, and "Accept
/// all from alice in this file" gives back alice's file, byte for byte
/// (CRLF), with no conflict left.
#[test]
fn a_merged_file_accepted_from_one_side_is_that_annotators_file() {
    let dir = annotators();
    let merged = std::process::Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .current_dir(dir.path())
        .args(["merge", "alice", "bob", "--out", "adjudicated"])
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1), "conflicts were written");
    let root = dir.path().join("adjudicated");
    let article = "articles/kirby-containers.nmk";
    let text = std::fs::read_to_string(root.join(article)).unwrap();
    let alice = std::fs::read_to_string(dir.path().join("alice").join(article)).unwrap();
    assert!(alice.contains("\r\n") && text.contains("<<<<<<< alice\r\n"));
    let mut client = Client::start(
        &root,
        Options {
            encodings: vec!["utf-16"],
            capabilities: Some(document_changes()),
            ..Options::default()
        },
    );
    client.wait_for_index();
    let uri = client.open(article);
    let published = client.diagnostics(&uri, |d| {
        d.iter().any(|d| d["code"] == "unresolved-conflict")
    });
    let conflicts = (published.iter())
        .filter(|d| d["code"] == "unresolved-conflict")
        .count();
    assert_eq!(conflicts, text.matches("<<<<<<< alice").count());
    assert!(conflicts >= 2, "{published:?}");
    let actions = actions_after(&mut client, &uri, &text, "<<<<<<< a", Encoding::Utf16);
    let accept = action(&actions, "Accept all from alice in this file");
    let texts = BTreeMap::from([(uri.clone(), text.clone())]);
    let accepted = apply_workspace_edit(&accept["edit"], Encoding::Utf16, &texts);
    assert_eq!(accepted[&uri], alice);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": accepted[&uri] }],
        }),
    );
    client.diagnostics(&uri, |d| {
        d.iter().all(|d| d["code"] != "unresolved-conflict")
    });
}

/// `compare-with = "../bob"`: alice sees where bob's version differs, as
/// hints at her own places (CRLF file, UTF-16 columns); off by default.
#[test]
fn compare_with_shows_another_annotators_version_as_hints() {
    let dir = annotators();
    let alice = dir.path().join("alice");
    let article = "articles/kirby-containers.nmk";
    let hints = |client: &mut Client| -> Vec<Value> {
        let uri = client.open(article);
        let published = client.diagnostics(&uri, |_| true);
        published
            .into_iter()
            .filter(|d| d["code"] == "disagreement")
            .collect()
    };
    let mut client = Client::start(&alice, Options::default());
    client.wait_for_index();
    assert_eq!(hints(&mut client), Vec::<Value>::new(), "off by default");
    client.shutdown();

    let config = std::fs::read_to_string(alice.join("newsmark.toml")).unwrap();
    std::fs::write(
        alice.join("newsmark.toml"),
        config + "compare-with = \"../bob\"\n",
    )
    .unwrap();
    let mut client = Client::start(
        &alice,
        Options {
            encodings: vec!["utf-16"],
            ..Options::default()
        },
    );
    client.wait_for_index();
    let found = hints(&mut client);
    let text = std::fs::read_to_string(alice.join(article)).unwrap();
    let described: Vec<(String, Value)> = (found.iter())
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_owned(),
                d["range"]["start"].clone(),
            )
        })
        .collect();
    let sources = "sources changed: @us in this file, @us.white-house in bob";
    let at = text.find("[North Korea]@north-korea has").unwrap() + 1;
    assert!(
        described.contains(&(sources.to_owned(), position_of(&text, at, Encoding::Utf16))),
        "{described:#?}"
    );
    assert!(
        found.iter().all(|d| d["severity"] == 4),
        "hints: {found:#?}"
    );
}

/// The other version is read only inside its folder: a link in it that
/// leads elsewhere on the disk shows nothing.
#[cfg(unix)]
#[test]
fn compare_with_does_not_follow_links_out_of_the_other_folder() {
    let dir = annotators();
    let alice = dir.path().join("alice");
    let config = std::fs::read_to_string(alice.join("newsmark.toml")).unwrap();
    std::fs::write(
        alice.join("newsmark.toml"),
        config + "compare-with = \"../bob\"\n",
    )
    .unwrap();
    std::fs::write(alice.join("articles/linked.nmk"), "Then [Kim]@kim spoke.\n").unwrap();
    let outside = dir.path().join("outside.nmk");
    std::fs::write(&outside, "Then [Kim]@us spoke.\n").unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("bob/articles/linked.nmk")).unwrap();
    let mut client = Client::start(&alice, Options::default());
    client.wait_for_index();
    let uri = client.open("articles/linked.nmk");
    let published = client.diagnostics(&uri, |_| true);
    assert!(
        published.iter().all(|d| d["code"] != "disagreement"),
        "{published:#?}"
    );
}
