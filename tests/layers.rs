//! The modules of `newsmark-analysis` and of `newsmark-lsp` form the
//! layers that `docs/architecture.md` lists for each: each module imports
//! (`crate::…`, `super::…`) only from the layers before its own, so there
//! is no import cycle, and the list names every module once.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The numbered list of a crate's section of `docs/architecture.md`:
/// `1. `a`, `b`: what they are`, one item per layer, lowest first; an item
/// may go on over indented lines.
fn documented_layers(docs: &str, crate_dir: &str) -> Vec<Vec<String>> {
    let section = docs
        .split("\n### ")
        .find(|section| section.starts_with(&format!("`{crate_dir}`")))
        .expect("docs/architecture.md has a section on the crate");
    let mut items: Vec<String> = Vec::new();
    let mut in_item = false;
    for line in section.lines() {
        let numbered = line
            .split_once(". ")
            .filter(|(number, _)| number.parse::<usize>().is_ok());
        if let Some((_, item)) = numbered {
            items.push(item.to_owned());
            in_item = true;
        } else if in_item && line.starts_with("   ") {
            let item = items.last_mut().expect("an item is open");
            item.push(' ');
            item.push_str(line.trim());
        } else {
            in_item = false;
        }
    }
    items
        .iter()
        .map(|item| {
            let names = item.split(": ").next().unwrap_or(item);
            names
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Each module's source files, without test-only files and test modules.
fn module_sources(src: &Path) -> BTreeMap<String, Vec<(PathBuf, String)>> {
    let mut modules: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut pending = vec![src.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(src).unwrap();
            let top = relative.components().next().unwrap().as_os_str();
            let module = Path::new(top).file_stem().unwrap().to_str().unwrap();
            let test_only = ["lib.rs", "fixture.rs", "tests.rs"]
                .iter()
                .any(|name| path.ends_with(name));
            if test_only || path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let code: String = code
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            modules
                .entry(module.to_owned())
                .or_default()
                .push((relative.to_owned(), code));
        }
    }
    modules
}

/// The crate's modules that `code` (a file of `module`) names: after
/// `crate::`, and after `super::` in a file at the top of the crate; in a
/// group (`crate::{a, b::c}`), each name the group starts a path with.
fn imports(module: &str, file: &Path, code: &str) -> Vec<String> {
    let at_top = file.components().count() == 1;
    let mut found = Vec::new();
    for prefix in ["crate::", "super::"] {
        if prefix == "super::" && !at_top {
            continue;
        }
        for (at, _) in code.match_indices(prefix) {
            let rest = &code[at + prefix.len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group_heads(group),
                None => vec![rest],
            };
            for name in names {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    found.push(name);
                }
            }
        }
    }
    found
}

/// The start of each top-level path in a `use` group, after its `{`.
fn group_heads(group: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = Some(0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = Some(at + 1),
            _ => {}
        }
        if let Some(from) = start
            && !c.is_whitespace()
            && c != ','
        {
            heads.push(group[from..].trim_start());
            start = None;
        }
    }
    heads
}

#[test]
fn analysis_modules_import_only_from_the_layers_below_theirs() {
    check_layers("server/crates/analysis");
}

#[test]
fn lsp_modules_import_only_from_the_layers_below_theirs() {
    check_layers("server/crates/lsp");
}

fn check_layers(crate_dir: &str) {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = repository.join(crate_dir);
    let docs = fs::read_to_string(repository.join("docs/architecture.md")).unwrap();
    let layers = documented_layers(&docs, crate_dir);
    let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (layer, names) in layers.iter().enumerate() {
        for name in names {
            let twice = layer_of.insert(name, layer).is_some();
            assert!(!twice, "`{name}` is listed twice");
        }
    }
    let modules = module_sources(&root.join("src"));
    let listed: Vec<&str> = layer_of.keys().copied().collect();
    let present: Vec<&str> = modules.keys().map(String::as_str).collect();
    assert_eq!(listed, present, "the layer list names every module once");
    let mut wrong = Vec::new();
    for (module, files) in &modules {
        for (file, code) in files {
            for import in imports(module, file, code) {
                match layer_of.get(&*import) {
                    Some(&theirs) if theirs < layer_of[&**module] => {}
                    Some(_) => wrong.push(format!("{} imports `{import}`", file.display())),
                    // `crate::Code`: a name the crate root re-exports.
                    None => wrong.push(format!(
                        "{} imports `{import}` through the crate root",
                        file.display()
                    )),
                }
            }
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports from the same or a higher layer, or from no module:\n{}",
        wrong.join("\n")
    );
}
