//! The `reprint` command: parses arguments, calls the library, prints.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let opts = match cli::Opts::try_parse() {
        Ok(opts) => opts,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cmd::run(opts) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "reprint: error: {}",
                reprint::report::printable(&format!("{err:#}"))
            );
            ExitCode::from(2)
        }
    }
}

/// Output piped into a command that stopped reading (`| head`) is not an
/// error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
            || match cause.downcast_ref::<reprint::Error>() {
                Some(reprint::Error::Write(e)) => e.kind() == std::io::ErrorKind::BrokenPipe,
                Some(reprint::Error::Json(e)) => {
                    e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe)
                }
                _ => false,
            }
    })
}
