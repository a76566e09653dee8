//! `--output-format json-lines`: the objects of the `json` format, one per
//! line, for streaming tools.

use crate::output::json::JsonFinding;
use crate::report::View;

pub fn render(view: &View) -> String {
    let mut out = String::new();
    for finding in &view.findings {
        out.push_str(
            &serde_json::to_string(&JsonFinding::new(view, finding)).expect("findings serialise"),
        );
        out.push('\n');
    }
    out
}
