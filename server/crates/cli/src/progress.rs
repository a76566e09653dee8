//! A progress bar on stderr, only when stderr is a terminal and the run is
//! long enough to need one (more than 200 files); otherwise it does nothing.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const MIN_FILES: usize = 200;

#[derive(Debug)]
pub struct Progress(Option<ProgressBar>);

impl Progress {
    pub fn new(files: usize, what: &str) -> Progress {
        if files <= MIN_FILES || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        let template = format!("{what} {{bar:40}} {{pos}}/{{len}} files");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        Progress(Some(bar))
    }

    pub fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
