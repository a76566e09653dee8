//! Every feature on the fixture workspace, with exact positions under each
//! position encoding (the Hangul, emoji and CRLF lines tell them apart).

use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::{at, encoding, fixture, pos, position_of, range, range_of};

const VISIT: &str = "articles/lavrov-visit.nmk";
const HANGUL: &str = "articles/choe-hangul.nmk";
const CRLF: &str = "articles/tass-crlf.nmk";
const PEOPLE: &str = "entities/people.nmk";

fn start(encoding_name: &'static str) -> (tempfile::TempDir, Client) {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            encodings: vec![encoding_name],
            ..Options::default()
        },
    );
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        encoding_name
    );
    client.wait_for_index();
    (dir, client)
}

fn codes_and_ranges(diagnostics: &[Value]) -> Vec<(String, Value, i64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"].clone(),
                d["severity"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The findings listed in the fixture's README, at their exact ranges.
fn check_diagnostics(client: &mut Client, encoding_name: &str) {
    let visit = client.open(VISIT);
    let hangul = client.open(HANGUL);
    let crlf = client.open(CRLF);

    let found = client.diagnostics(&visit, |d| d.len() == 2);
    assert_eq!(
        codes_and_ranges(&found),
        [
            ("unsourced-claim".to_owned(), range((13, 20), (13, 59)), 2),
            ("undefined-entity".to_owned(), range((15, 17), (15, 20)), 1),
        ]
    );
    let undefined = &found[1];
    assert_eq!(undefined["source"], "newsmark");
    assert_eq!(
        undefined["codeDescription"]["href"],
        "https://github.com/newsmark/newsmark/blob/main/docs/rules.md#undefined-entity"
    );

    // `{두 나라가 새 협정을 준비한다}` after `😀 `: the emoji is 4 bytes or
    // 2 UTF-16 code units, each syllable 3 bytes or 1 code unit.
    let claim = match encoding_name {
        "utf-8" => range((9, 5), (9, 47)),
        "utf-32" => range((9, 2), (9, 20)),
        _ => range((9, 3), (9, 21)),
    };
    let found = client.diagnostics(&hangul, |d| !d.is_empty());
    assert_eq!(
        codes_and_ranges(&found),
        [("unsourced-claim".to_owned(), claim, 2)]
    );

    // A claim spanning a CRLF line break.
    let found = client.diagnostics(&crlf, |d| !d.is_empty());
    assert_eq!(
        codes_and_ranges(&found),
        [("unsourced-claim".to_owned(), range((4, 28), (5, 10)), 2)]
    );
}

#[test]
fn diagnostics_have_exact_ranges_in_utf16() {
    let (_dir, mut client) = start("utf-16");
    check_diagnostics(&mut client, "utf-16");
}

#[test]
fn diagnostics_have_exact_ranges_in_utf8() {
    let (_dir, mut client) = start("utf-8");
    check_diagnostics(&mut client, "utf-8");
}

#[test]
fn diagnostics_have_exact_ranges_in_utf32() {
    let (_dir, mut client) = start("utf-32");
    check_diagnostics(&mut client, "utf-32");
}

#[test]
fn encoding_negotiation_prefers_utf8_then_utf32_then_utf16() {
    let dir = fixture();
    for (offered, chosen) in [
        (vec!["utf-16", "utf-32", "utf-8"], "utf-8"),
        (vec!["utf-16", "utf-32"], "utf-32"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let client = Client::start(
            dir.path(),
            Options {
                encodings: offered.clone(),
                ..Options::default()
            },
        );
        assert_eq!(
            client.initialize_result["capabilities"]["positionEncoding"], chosen,
            "offered {offered:?}"
        );
        assert_eq!(client.shutdown(), Some(0));
    }
}

#[test]
fn capabilities_advertise_every_feature() {
    let (_dir, client) = start("utf-16");
    let capabilities = &client.initialize_result["capabilities"];
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "declarationProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(capabilities[provider], true, "{provider}");
    }
    assert_eq!(
        capabilities["completionProvider"]["triggerCharacters"],
        json!(["@", ":", ",", "#"])
    );
    assert_eq!(capabilities["completionProvider"]["resolveProvider"], true);
    // A client without pull diagnostics gets push, and is not offered pull.
    assert_eq!(capabilities["diagnosticProvider"], Value::Null);
    assert_eq!(client.initialize_result["serverInfo"]["name"], "newsmark");
}

/// Hover, definition, declaration, references and highlight from the
/// `[라브로프]@lavrov` mention that follows Hangul and an emoji.
fn check_navigation(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (dir, mut client) = start(encoding_name);
    let hangul_text = std::fs::read_to_string(dir.path().join(HANGUL)).unwrap();
    let mention_start = hangul_text.find("[라브로프]@lavrov").unwrap();
    let mention = mention_start..mention_start + "[라브로프]@lavrov".len();

    // From a file that is not open, positions come from its summary and
    // text, not from a rope: the Hangul mention's range must agree.
    let visit = client.open(VISIT);
    let mut params = at(&visit, pos(15, 46));
    params["context"] = json!({ "includeDeclaration": false });
    let found = client.request("textDocument/references", params).unwrap();
    let closed_hangul: Vec<&Value> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"].as_str().unwrap().ends_with(HANGUL))
        .map(|l| &l["range"])
        .collect();
    assert_eq!(
        closed_hangul,
        [&range_of(&hangul_text, mention.clone(), enc)]
    );

    let hangul = client.open(HANGUL);
    let inside_id = mention.end - 2;

    let hover = client
        .request(
            "textDocument/hover",
            at(&hangul, position_of(&hangul_text, inside_id, enc)),
        )
        .unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.starts_with("**Sergey Lavrov** · person · `@lavrov`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Defined in `entities/people.nmk`, line 3"),
        "{markdown}"
    );
    assert_eq!(hover["range"], range_of(&hangul_text, mention.clone(), enc));
    let expected_start = match encoding_name {
        "utf-8" => pos(9, 51),
        "utf-32" => pos(9, 22),
        _ => pos(9, 23),
    };
    assert_eq!(hover["range"]["start"], expected_start);

    let definition_target = json!([{ "uri": client.uri(PEOPLE), "range": range((2, 0), (2, 7)) }]);
    for method in ["textDocument/definition", "textDocument/declaration"] {
        let found = client
            .request(
                method,
                at(&hangul, position_of(&hangul_text, inside_id, enc)),
            )
            .unwrap();
        assert_eq!(found, definition_target, "{method}");
    }

    let references = |client: &mut Client, include_declaration: bool| -> Vec<(String, Value)> {
        let mut params = at(&hangul, position_of(&hangul_text, inside_id, enc));
        params["context"] = json!({ "includeDeclaration": include_declaration });
        let found = client.request("textDocument/references", params).unwrap();
        let mut found: Vec<(String, Value)> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let uri = l["uri"].as_str().unwrap();
                let relative = uri.rsplit_once("/articles/").map_or_else(
                    || format!("entities/{}", uri.rsplit('/').next().unwrap()),
                    |(_, name)| format!("articles/{name}"),
                );
                (relative, l["range"].clone())
            })
            .collect();
        found.sort_by_key(|(path, range)| (path.clone(), range.to_string()));
        found
    };
    let visit_mention_end = "[The foreign minister]@lavrov".len() as u32;
    let mut expected = vec![
        (
            HANGUL.to_owned(),
            range_of(&hangul_text, mention.clone(), enc),
        ),
        (VISIT.to_owned(), range((10, 0), (10, visit_mention_end))),
        (VISIT.to_owned(), range((15, 44), (15, 51))),
        (CRLF.to_owned(), range((4, 0), (4, 21))),
    ];
    expected.sort_by_key(|(path, range)| (path.clone(), range.to_string()));
    assert_eq!(references(&mut client, false), expected);
    let mut with_declaration = expected.clone();
    with_declaration.push((PEOPLE.to_owned(), range((2, 0), (2, 7))));
    with_declaration.sort_by_key(|(path, range)| (path.clone(), range.to_string()));
    assert_eq!(references(&mut client, true), with_declaration);

    let highlights = client
        .request("textDocument/documentHighlight", at(&visit, pos(15, 46)))
        .unwrap();
    assert_eq!(
        highlights,
        json!([
            { "range": range((10, 0), (10, visit_mention_end)), "kind": 2 },
            { "range": range((15, 44), (15, 51)), "kind": 2 },
        ])
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn navigation_in_utf16() {
    check_navigation("utf-16");
}

#[test]
fn navigation_in_utf8() {
    check_navigation("utf-8");
}

fn labels(completion: &Value) -> Vec<String> {
    completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_owned())
        .collect()
}

fn check_completion(encoding_name: &'static str) {
    let enc = encoding(encoding_name);
    let (_dir, mut client) = start(encoding_name);
    let uri = client.uri("articles/new.nmk");
    let text = "😀 최선희 said @la";
    client.open_text(&uri, text);

    let completion = client
        .request(
            "textDocument/completion",
            at(&uri, position_of(text, text.len(), enc)),
        )
        .unwrap();
    // Items are filtered by what was typed (`la`): ids, names and aliases.
    assert_eq!(completion["isIncomplete"], false);
    assert_eq!(labels(&completion), ["lavrov"]);
    let after_at = text.len() - 2;
    let everything = client
        .request(
            "textDocument/completion",
            at(&uri, position_of(text, after_at, enc)),
        )
        .unwrap();
    assert_eq!(
        labels(&everything),
        [
            "choe",
            "kcna",
            "kim",
            "lavrov",
            "north-korea",
            "russia",
            "tass"
        ]
    );
    let lavrov = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "lavrov")
        .unwrap()
        .clone();
    assert_eq!(lavrov["kind"], 18, "REFERENCE");
    assert_eq!(lavrov["detail"], "Sergey Lavrov · person");
    assert_eq!(
        lavrov["filterText"],
        "lavrov Sergey Lavrov Lavrov Sergei Lavrov"
    );
    // The edit replaces the `la` already typed.
    assert_eq!(
        lavrov["textEdit"],
        json!({ "range": range_of(text, text.len() - 2..text.len(), enc), "newText": "lavrov" })
    );
    let la_start = match encoding_name {
        "utf-8" => 21,
        _ => 13,
    };
    assert_eq!(lavrov["textEdit"]["range"]["start"], pos(0, la_start));

    let resolved = client.request("completionItem/resolve", lavrov).unwrap();
    let documentation = resolved["documentation"]["value"].as_str().unwrap();
    assert_eq!(resolved["documentation"]["kind"], "markdown");
    assert!(
        documentation.starts_with("**Sergey Lavrov** · person"),
        "{documentation}"
    );

    // Property keys, kind values and codes.
    let registry_uri = client.uri("entities/new.nmk");
    let registry = "@x: X\n  kind: \n  ro\n\n{x} %% ignore: unsourced-claim, unt\n";
    client.open_text(&registry_uri, registry);
    let kind_end = registry.find("kind: ").unwrap() + "kind: ".len();
    let completion = client
        .request(
            "textDocument/completion",
            at(&registry_uri, position_of(registry, kind_end, enc)),
        )
        .unwrap();
    assert_eq!(completion["items"].as_array().unwrap().len(), 8);
    assert!(
        completion["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == 20)
    );
    let key_end = registry.find("  ro").unwrap() + 4;
    let completion = client
        .request(
            "textDocument/completion",
            at(&registry_uri, position_of(registry, key_end, enc)),
        )
        .unwrap();
    assert!(labels(&completion).contains(&"role".to_owned()));
    assert!(
        completion["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == 10)
    );
    let code_end = registry.find("unt\n").unwrap() + 3;
    let completion = client
        .request(
            "textDocument/completion",
            at(&registry_uri, position_of(registry, code_end, enc)),
        )
        .unwrap();
    assert!(labels(&completion).contains(&"untagged-mention".to_owned()));
    assert!(
        completion["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == 14)
    );

    // Nothing to complete in plain prose.
    let nothing = client
        .request("textDocument/completion", at(&uri, pos(0, 2)))
        .unwrap();
    assert_eq!(nothing, Value::Null);
}

#[test]
fn completion_in_utf16() {
    check_completion("utf-16");
}

#[test]
fn completion_in_utf8() {
    check_completion("utf-8");
}

#[test]
fn document_symbols_nest_under_headings() {
    let (dir, mut client) = start("utf-16");
    let visit = client.open(VISIT);
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": visit } }),
        )
        .unwrap();
    let symbols = symbols.as_array().unwrap();
    assert_eq!(symbols.len(), 1, "{symbols:?}");
    let heading = &symbols[0];
    assert_eq!(heading["name"], "Arrival in Pyongyang");
    assert_eq!(heading["selectionRange"], range((7, 2), (7, 22)));
    let children: Vec<(&str, &str)> = heading["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(
        children,
        [
            (
                "the talks with [the leader]@kim will last two days",
                "@tass"
            ),
            ("the visit had been planned for months", "unsourced"),
            ("A second visit is expected next year", "unsourced"),
        ]
    );

    // Claims after Hangul and an emoji, in UTF-16.
    let hangul_text = std::fs::read_to_string(dir.path().join(HANGUL)).unwrap();
    let hangul = client.open(HANGUL);
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": hangul } }),
        )
        .unwrap();
    let claim = &symbols.as_array().unwrap()[1];
    assert_eq!(claim["name"], "두 나라가 새 협정을 준비한다");
    assert_eq!(claim["range"], range((9, 3), (9, 21)));
    let start = hangul_text.find("{두").unwrap();
    assert_eq!(
        claim["range"],
        range_of(
            &hangul_text,
            start..start + "{두 나라가 새 협정을 준비한다}".len(),
            crate::encoding("utf-16")
        )
    );
}

#[test]
fn workspace_symbols_find_entities_by_id_name_and_alias() {
    let (_dir, mut client) = start("utf-16");
    let found = client
        .request("workspace/symbol", json!({ "query": "lav" }))
        .unwrap();
    assert_eq!(
        found,
        json!([{
            "name": "@lavrov",
            "kind": 19,
            "containerName": "Sergey Lavrov · person",
            "location": { "uri": client.uri(PEOPLE), "range": range((2, 0), (2, 7)) },
        }])
    );
    let by_hangul_name = client
        .request("workspace/symbol", json!({ "query": "최선" }))
        .unwrap();
    assert_eq!(by_hangul_name[0]["name"], "@choe");
    let by_alias = client
        .request("workspace/symbol", json!({ "query": "dprk" }))
        .unwrap();
    assert_eq!(by_alias[0]["name"], "@north-korea");
}

#[test]
fn hover_on_a_claim_lists_its_sources() {
    let (_dir, mut client) = start("utf-16");
    let visit = client.open(VISIT);
    let hover = client
        .request("textDocument/hover", at(&visit, pos(11, 3)))
        .unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.starts_with("**Claim** attributed to:"),
        "{markdown}"
    );
    assert!(markdown.contains("TASS (`@tass`, outlet)"), "{markdown}");
    let hover = client
        .request("textDocument/hover", at(&visit, pos(13, 30)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Unsourced claim**")
    );
    // Plain prose has nothing to show.
    let nothing = client
        .request("textDocument/hover", at(&visit, pos(15, 5)))
        .unwrap();
    assert_eq!(nothing, Value::Null);
}

/// Pull alone only for clients the server can ask to pull again: a client
/// that pulls but takes no `workspace/diagnostic/refresh` (Neovim 0.11 and
/// 0.12) would keep findings from before the first scan ended.
#[test]
fn pull_diagnostics_go_to_clients_that_take_refresh() {
    let dir = fixture();
    let pull_without_refresh = Client::start(
        dir.path(),
        Options {
            pull_diagnostics: true,
            capabilities: Some(
                json!({ "workspace": { "diagnostics": { "refreshSupport": false } } }),
            ),
            ..Options::default()
        },
    );
    assert_eq!(
        pull_without_refresh.initialize_result["capabilities"]["diagnosticProvider"],
        Value::Null,
        "a pull client without refresh gets push only"
    );
    let mut pull_with_refresh = Client::start(
        dir.path(),
        Options {
            pull_diagnostics: true,
            capabilities: Some(
                json!({ "workspace": { "diagnostics": { "refreshSupport": true } } }),
            ),
            ..Options::default()
        },
    );
    let provider = &pull_with_refresh.initialize_result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["workspaceDiagnostics"], true);
    assert_eq!(provider["interFileDependencies"], true);
    pull_with_refresh.wait_for_index();
    let article = pull_with_refresh.uri("articles/lavrov-visit.nmk");
    let report = pull_with_refresh
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": article } }),
        )
        .unwrap();
    let codes: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"undefined-entity") && codes.contains(&"unsourced-claim"),
        "{codes:?}"
    );
}
