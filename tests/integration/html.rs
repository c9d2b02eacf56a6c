//! The HTML report in a real browser: headless Chromium loads the page from a file, runs its
//! script without errors, and shows the right counts, also with a filter preset through the URL
//! fragment. Skipped, with the reason printed, when no Chromium is installed, unless
//! `LATTICE_REQUIRE_CHROMIUM` is set (`.ci/run` installs Debian's `chromium` and sets it);
//! `CHROMIUM=/path/to/chrome` picks another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lattice_report::RunReport;

use crate::support::run_reference;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
            "chrome-headless-shell",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Runs headless Chromium with a fresh profile; returns stdout. Killed after 90 s.
fn headless(chrome: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if started.elapsed() > Duration::from_secs(90) => {
                let _ = child.kill();
                panic!("chromium did not finish within 90 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of `name` on the element with `id`, in a dumped DOM.
fn attribute(dom: &str, id: &str, name: &str) -> Option<String> {
    let at = dom.find(&format!("id=\"{id}\""))?;
    let start = dom[..at].rfind('<')?;
    let end = at + dom[at..].find('>')?;
    let tag = &dom[start..end];
    let key = format!("{name}=\"");
    let v = tag.find(&key)? + key.len();
    Some(tag[v..v + tag[v..].find('"')?].to_owned())
}

fn expect_counts(dom: &str, shown: usize, by: &[(&str, usize)]) {
    assert_eq!(
        attribute(dom, "counts", "data-shown").as_deref(),
        Some(shown.to_string().as_str()),
        "shown"
    );
    for (name, n) in by {
        assert_eq!(
            attribute(dom, "counts", &format!("data-{name}")).as_deref(),
            Some(n.to_string().as_str()),
            "{name}"
        );
    }
}

async fn report_with_failures() -> RunReport {
    // One defect, a handful of rules: some pass, some fail, one is skipped (never exercised).
    run_reference(
        &["id-outside-pattern"],
        &[
            "VAL-SVC-REQUIRED",
            "IDEMP-REPLAY",
            "HTTP-RESPONSE-SHAPE",
            "HTTP-RETRY-AFTER",
            "AUTH-UNSIGNED",
            "HTTP-SNAPSHOT",
        ],
        9,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_report_loads_in_headless_chromium_and_shows_the_right_counts() {
    let Some(chrome) = chromium() else {
        assert!(
            std::env::var_os("LATTICE_REQUIRE_CHROMIUM").is_none(),
            "no chromium binary on PATH, and LATTICE_REQUIRE_CHROMIUM is set (as in .ci/run)"
        );
        println!("skipped: no chromium binary on PATH (set CHROMIUM=/path/to/chrome; .ci/run installs Debian's chromium)");
        return;
    };
    let report = report_with_failures().await;
    let s = &report.summary;
    assert!(s.fail > 0 && s.pass > 0, "{s:?}");
    let html = report.to_html();
    assert!(
        !html.contains("src=\"http") && !html.contains("<link"),
        "external asset"
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("report.html");
    std::fs::write(&page, &html).expect("write the page");
    let url = format!("file://{}", page.display());

    let dom = headless(
        &chrome,
        &dir.join("profile-1"),
        &["--dump-dom".into(), url.clone()],
    );
    assert_eq!(
        attribute(&dom, "summary", "class").as_deref(),
        Some("summary"),
        "{dom}"
    );
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the page's script did not run:\n{dom}"
    );
    assert!(
        dom.contains("<div id=\"errors\"></div>"),
        "script errors:\n{dom}"
    );
    expect_counts(
        &dom,
        s.total,
        &[
            ("total", s.total),
            ("pass", s.pass),
            ("fail", s.fail),
            ("skipped", s.skipped),
            ("inconclusive", s.inconclusive),
        ],
    );
    assert!(dom.contains(&format!("showing {} of {} rules", s.total, s.total)));

    // A filter preset through the fragment: only the failing rules remain visible.
    let dom = headless(
        &chrome,
        &dir.join("profile-2"),
        &["--dump-dom".into(), format!("{url}#verdict=fail")],
    );
    expect_counts(&dom, s.fail, &[("fail", s.fail), ("pass", 0)]);
    let http = report
        .rules
        .iter()
        .filter(|r| r.family.as_str() == "HTTP")
        .count();
    let dom = headless(
        &chrome,
        &dir.join("profile-3"),
        &["--dump-dom".into(), format!("{url}#family=HTTP")],
    );
    expect_counts(&dom, http, &[]);

    // A screenshot for people (and CI artifacts): target/tmp/html-report/report.png.
    let png = dir.join("report.png");
    headless(
        &chrome,
        &dir.join("profile-4"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,1400".into(),
            url,
        ],
    );
    let bytes = std::fs::read(&png).expect("a screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
}
