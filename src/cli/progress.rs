//! The progress bar: on stderr, only for people (hidden when stderr is not a
//! terminal, with `--quiet`, or with `TERM=dumb`; plain with `NO_COLOR`).

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar for `len` replications, or a hidden one.
pub fn bar(len: u64, label: &str, quiet: bool) -> ProgressBar {
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if quiet || dumb || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let plain = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let template = if plain {
        "{msg} [{bar:30}] {pos}/{len} replicaties, {elapsed} bezig, nog {eta}"
    } else {
        "{msg} [{bar:30.cyan/blue}] {pos}/{len} replicaties, {elapsed} bezig, nog {eta}"
    };
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    bar
}
