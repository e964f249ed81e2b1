//! The `wijkbudget` command: parses arguments, reads scenario files, runs the
//! engine with a progress bar and writes the outputs. All the modelling lives
//! in the library; this binary is the thin shell around it.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("wijkbudget: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
