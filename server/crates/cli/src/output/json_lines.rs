//! `--output-format json-lines`: the objects of the `json` format, one per
//! line, for streaming tools.

use crate::output::json::JsonFinding;
use crate::report::View;

pub fn render(view: &View) -> String {
    let mut out = Vec::with_capacity(view.findings.len() * 200);
    for finding in &view.findings {
        serde_json::to_writer(&mut out, &JsonFinding::new(view, finding))
            .expect("findings serialise");
        out.push(b'\n');
    }
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
