//! rapport.html in a real browser: headless Chromium renders the example's
//! report to PNG and to PDF, and the page must log nothing to the console.
//!
//! Without Chromium the test prints a notice and passes, unless
//! `WIJKBUDGET_REQUIRE_BROWSER=1` (as in CI), when it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command as BinCommand;

/// The browser: `$WIJKBUDGET_CHROMIUM`, or the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WIJKBUDGET_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// What one headless run of the browser left.
struct Rendered {
    /// The browser's log lines that carry a console message of the page.
    console: Vec<String>,
}

/// Renders `page` with `output` (`--screenshot=…` or `--print-to-pdf=…`)
/// in a fresh profile; fails when the browser fails or hangs.
fn render(browser: &Path, page: &Path, output: &str, work: &Path) -> Rendered {
    let profile = tempfile::tempdir_in(work).unwrap();
    let url = format!("file://{}", page.display());
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--no-pdf-header-footer",
            "--window-size=1280,1800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(output)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", browser.display()));
    // Read stderr on a thread so a full pipe cannot stall the browser.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > Duration::from_secs(180) {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "{} did not finish rendering {url} in 180 s",
                browser.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = reader.join().unwrap();
    assert!(
        status.success(),
        "{} {output} failed ({status}):\n{log}",
        browser.display()
    );
    Rendered {
        console: log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .map(str::to_string)
            .collect(),
    }
}

fn non_empty(p: &Path) -> Vec<u8> {
    let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(!bytes.is_empty(), "{} is empty", p.display());
    bytes
}

#[test]
fn the_report_renders_in_a_real_browser_without_console_errors() {
    let Some(browser) = chromium() else {
        if std::env::var("WIJKBUDGET_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("WIJKBUDGET_REQUIRE_BROWSER=1 but no chromium was found on PATH");
        }
        eprintln!(
            "NOTICE: chromium not found; the browser test of rapport.html did not run \
             (install Debian's chromium, or set WIJKBUDGET_CHROMIUM)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();

    // The console check must see an error when there is one.
    let bad = work.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>x</title></head>\
         <body><p>x</p><script>noSuchFunction();</script></body></html>",
    )
    .unwrap();
    let r = render(
        &browser,
        &bad,
        &format!("--screenshot={}", work.join("bad.png").display()),
        work,
    );
    assert!(
        r.console.iter().any(|l| l.contains("noSuchFunction")),
        "the console check did not see a failing script: {:?}",
        r.console
    );

    // The example's report.
    let out = work.join("res");
    BinCommand::new(env!("CARGO_BIN_EXE_wijkbudget"))
        .args(["run", "-n", "100", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = out.join("rapport.html");
    let png = work.join("rapport.png");
    let pdf = work.join("rapport.pdf");
    let shot = render(
        &browser,
        &page,
        &format!("--screenshot={}", png.display()),
        work,
    );
    let print = render(
        &browser,
        &page,
        &format!("--print-to-pdf={}", pdf.display()),
        work,
    );
    for r in [&shot, &print] {
        assert!(r.console.is_empty(), "the page logged: {:#?}", r.console);
    }
    // The screenshot is a PNG of the window with something drawn on it.
    let png_bytes = non_empty(&png);
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png_bytes[..]))
        .read_info()
        .expect("the screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 1800));
    let px = &buf[..info.buffer_size()];
    let dark = px
        .chunks(info.color_type.samples())
        .filter(|p| p.iter().take(3).all(|&v| v < 100))
        .count();
    assert!(
        dark > 5_000,
        "the screenshot is nearly blank ({dark} dark pixels)"
    );
    // The PDF: a PDF, and long enough to hold the report (A4 pages).
    let pdf_bytes = non_empty(&pdf);
    assert!(pdf_bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        pdf_bytes.len() > 50_000,
        "{} bytes: too small",
        pdf_bytes.len()
    );
}
