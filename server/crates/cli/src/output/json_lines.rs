//! `--output-format json-lines`: the objects of the `json` format, one per
//! line, for streaming tools.

use std::io::{self, Write};

use crate::output::json::JsonFinding;
use crate::report::View;

pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    for finding in &view.findings {
        serde_json::to_writer(&mut *out, &JsonFinding::new(view, finding))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
