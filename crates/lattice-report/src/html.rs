//! The HTML report (`run --html FILE`): one self-contained page (inline CSS and JavaScript, no
//! external asset, every value escaped) with the per-rule verdict table, a filter by family and
//! verdict, and each failure expandable with its request, response and reproduction.
//!
//! The page's script writes the visible counts into `#counts` (`data-shown`, `data-pass`, …)
//! and sets `data-ready="yes"` on `<body>` once it ran; a URL fragment such as
//! `#family=OWN&verdict=fail` presets the filters. The headless-browser test relies on both.

use std::fmt::Write as _;

use crate::report::{FailureReport, RuleReport, RunReport};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The verdict category of a rule, as the filter knows it.
pub fn category(r: &RuleReport) -> &'static str {
    match r.verdict.as_str() {
        "pass" => "pass",
        "fail" if r.is_expected_failure() => "expected-fail",
        "fail" => "fail",
        "skipped" => "skipped",
        _ => "inconclusive",
    }
}

const CATEGORIES: [(&str, &str); 5] = [
    ("pass", "pass"),
    ("fail", "fail"),
    ("expected-fail", "expected failure"),
    ("skipped", "skipped"),
    ("inconclusive", "inconclusive"),
];

const STYLE: &str = r#"
:root { --pass: #1a7f37; --fail: #cf222e; --exp: #9a6700; --skip: #6e7781; --inc: #8250df; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { margin: 0; color: #d0d7de; font-size: 13px; }
main { padding: 16px 24px; }
.summary { display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 12px; }
.summary span { padding: 4px 10px; border-radius: 12px; background: #fff; border: 1px solid #d0d7de; }
.filters { display: flex; gap: 16px; align-items: center; margin: 0 0 12px; flex-wrap: wrap; }
.filters select { font: inherit; padding: 2px 6px; }
#counts { color: #57606a; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d0d7de; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.id a { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; color: #0969da; text-decoration: none; }
td.id .title { color: #57606a; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.expected-fail { background: var(--exp); } .badge.skipped { background: var(--skip); }
.badge.inconclusive { background: var(--inc); }
tr.failure td { background: #fff8f8; border-bottom: 1px solid #ffd8d3; }
details { margin: 4px 0; }
details summary { cursor: pointer; font-weight: 600; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 4px 0; font-size: 12px; }
h3 { font-size: 13px; margin: 10px 0 2px; }
#errors:empty { display: none; }
#errors { color: var(--fail); font-weight: 600; }
"#;

const SCRIPT: &str = r#"
(function () {
  var errors = document.getElementById('errors');
  window.addEventListener('error', function (e) {
    errors.textContent += 'script error: ' + e.message + '\n';
  });
  var family = document.getElementById('family');
  var verdict = document.getElementById('verdict');
  var counts = document.getElementById('counts');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.rule'));
  var names = ['pass', 'fail', 'expected-fail', 'skipped', 'inconclusive'];
  function apply() {
    var f = family.value, v = verdict.value, shown = 0, by = {};
    names.forEach(function (n) { by[n] = 0; });
    rows.forEach(function (row) {
      var ok = (!f || row.getAttribute('data-family') === f) && (!v || row.getAttribute('data-verdict') === v);
      row.hidden = !ok;
      var detail = document.getElementById('failures-' + row.getAttribute('data-id'));
      if (detail) { detail.hidden = !ok; }
      if (ok) { shown += 1; by[row.getAttribute('data-verdict')] += 1; }
    });
    counts.setAttribute('data-shown', shown);
    counts.setAttribute('data-total', rows.length);
    var parts = [];
    names.forEach(function (n) {
      counts.setAttribute('data-' + n, by[n]);
      if (by[n]) { parts.push(by[n] + ' ' + n.replace('-', ' ')); }
    });
    counts.textContent = 'showing ' + shown + ' of ' + rows.length + ' rules' + (parts.length ? ': ' + parts.join(', ') : '');
    var hash = [];
    if (f) { hash.push('family=' + f); }
    if (v) { hash.push('verdict=' + v); }
    if (history.replaceState) { history.replaceState(null, '', hash.length ? '#' + hash.join('&') : location.pathname); }
  }
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var p = kv.split('=');
    if (p[0] === 'family') { family.value = decodeURIComponent(p[1] || ''); }
    if (p[0] === 'verdict') { verdict.value = decodeURIComponent(p[1] || ''); }
  });
  family.addEventListener('change', apply);
  verdict.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
"#;

fn failure_html(out: &mut String, n: usize, f: &FailureReport) {
    let first = f.violations.first().map(String::as_str).unwrap_or("failed");
    let first = first.lines().next().unwrap_or_default();
    let _ = write!(
        out,
        "<details><summary>case {}: {}</summary>",
        n + 1,
        escape(first)
    );
    if let Some(note) = &f.note {
        let _ = write!(out, "<p>{}</p>", escape(note));
    }
    let _ = write!(
        out,
        "<h3>What contradicts the rule</h3><pre>{}</pre>",
        escape(&f.violations.join("\n"))
    );
    let _ = write!(out, "<h3>Expected</h3><pre>{}</pre>", escape(&f.expected));
    for (i, step) in f.steps.iter().enumerate() {
        let req = &step.request;
        let mut text = format!(
            "{} {} {}  as {} ({})",
            req.operation, req.method, req.path, req.principal, req.signing
        );
        if !req.body.is_empty() {
            let _ = write!(text, "\n{}", req.body);
        }
        let _ = write!(
            out,
            "<h3>FailureStep {} — request</h3><pre>{}</pre>",
            i + 1,
            escape(&text)
        );
        match (&step.response, &step.transport_error) {
            (Some(resp), _) => {
                let mut text = resp.outcome();
                for (k, v) in &resp.headers {
                    let _ = write!(text, "\n{k}: {v}");
                }
                if !resp.body.is_empty() {
                    let _ = write!(text, "\n\n{}", resp.body);
                }
                let _ = write!(
                    out,
                    "<h3>FailureStep {} — response</h3><pre>{}</pre>",
                    i + 1,
                    escape(&text)
                );
            }
            (None, Some(e)) => {
                let _ = write!(
                    out,
                    "<h3>FailureStep {} — no response</h3><pre>{}</pre>",
                    i + 1,
                    escape(e)
                );
            }
            _ => {}
        }
    }
    let mut repro = f.reproduction.rerun.clone();
    if let Some(curl) = &f.reproduction.curl {
        let _ = write!(repro, "\n{curl}");
    }
    let _ = write!(
        out,
        "<h3>Reproduce</h3><pre>{}</pre></details>",
        escape(&repro)
    );
}

impl RunReport {
    /// The self-contained HTML report.
    pub fn to_html(&self) -> String {
        let s = &self.summary;
        let mut out =
            String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(
            out,
            "<title>lattice-conformance: {}</title>\n<style>{STYLE}</style>\n</head>",
            escape(&self.target)
        );
        out.push_str("<body data-ready=\"no\">\n<header>\n");
        let _ = writeln!(
            out,
            "<h1>lattice-conformance: {}</h1>",
            escape(&self.target)
        );
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} · endpoint {} · region {} · seed {} · {} cases per property · run id {} · started {} · {} requests in {:.1} s{}</p>",
            escape(&self.tool),
            escape(&self.endpoint),
            escape(&self.region),
            self.seed,
            self.cases,
            escape(&self.run_id),
            escape(&self.started),
            self.requests,
            self.duration_ms as f64 / 1000.0,
            match (self.interrupted, self.stopped()) {
                (true, _) => " · interrupted".to_owned(),
                (false, Some(stopped)) => format!(" · stopped short: {}", escape(&stopped)),
                (false, None) => String::new(),
            }
        );
        out.push_str("</header>\n<main>\n<p class=\"summary\" id=\"summary\">");
        let _ = write!(
            out,
            "<span>{} rules</span><span><span class=\"badge pass\">pass</span> {}</span><span><span class=\"badge fail\">fail</span> {}</span><span><span class=\"badge expected-fail\">expected failure</span> {}</span><span><span class=\"badge skipped\">skipped</span> {}</span><span><span class=\"badge inconclusive\">inconclusive</span> {}</span>",
            s.total, s.pass, s.fail, s.expected_fail, s.skipped, s.inconclusive
        );
        out.push_str("</p>\n<div class=\"filters\">\n<label>Family <select id=\"family\"><option value=\"\">all</option>");
        for fam in &self.families {
            if self.rules.iter().any(|r| r.family.as_str() == fam) {
                let _ = write!(out, "<option value=\"{0}\">{0}</option>", escape(fam));
            }
        }
        out.push_str("</select></label>\n<label>Verdict <select id=\"verdict\"><option value=\"\">all</option>");
        for (value, label) in CATEGORIES {
            let _ = write!(out, "<option value=\"{value}\">{label}</option>");
        }
        let _ = writeln!(
            out,
            "</select></label>\n<span id=\"counts\" data-shown=\"{0}\" data-total=\"{0}\">{0} rules</span>\n</div>",
            self.rules.len()
        );
        out.push_str("<div id=\"errors\"></div>\n<table id=\"rules\">\n<thead><tr><th>Rule</th><th>Family</th><th>Verdict</th><th>Cases</th><th>Note</th></tr></thead>\n<tbody>\n");
        for r in &self.rules {
            let cat = category(r);
            let note = match (r.verdict.as_str(), &r.reason, &r.expected_failure) {
                ("pass", _, Some(_)) => {
                    "listed as an expected failure but passes: remove it from the profile"
                        .to_owned()
                }
                ("fail", _, Some(reason)) => format!("expected: {reason}"),
                (_, Some(reason), _) => reason.clone(),
                _ if !r.chosen.is_empty() => format!("endpoint chose: {}", r.chosen.join(", ")),
                _ => String::new(),
            };
            let label = CATEGORIES
                .iter()
                .find(|(v, _)| *v == cat)
                .map(|(_, l)| *l)
                .unwrap_or(cat);
            let _ = writeln!(
                out,
                "<tr class=\"rule\" data-id=\"{id}\" data-family=\"{fam}\" data-verdict=\"{cat}\"><td class=\"id\"><a href=\"{url}\" title=\"{cite}\">{id}</a><div class=\"title\">{title}</div></td><td>{fam}</td><td><span class=\"badge {cat}\">{label}</span></td><td class=\"num\">{cases}</td><td>{note}</td></tr>",
                id = escape(&r.id),
                fam = escape(r.family.as_str()),
                url = escape(&r.url),
                cite = escape(&r.citation),
                title = escape(&r.title),
                cases = r.cases,
                note = escape(&note),
            );
            if !r.failures.is_empty() {
                let _ = write!(
                    out,
                    "<tr class=\"failure\" id=\"failures-{}\"><td colspan=\"5\"><p>{}</p>",
                    escape(&r.id),
                    escape(&r.statement)
                );
                for (n, f) in r.failures.iter().enumerate() {
                    failure_html(&mut out, n, f);
                }
                out.push_str("</td></tr>\n");
            }
        }
        out.push_str("</tbody>\n</table>\n");
        if !self.leaks.is_empty() {
            out.push_str("<h2>Leaks (not deleted; remove them by hand)</h2>\n<ul>");
            for l in &self.leaks {
                let _ = write!(
                    out,
                    "<li>{} {}: {}</li>",
                    escape(&l.kind),
                    escape(&l.id),
                    escape(&l.reason)
                );
            }
            out.push_str("</ul>\n");
        }
        let _ = write!(
            out,
            "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">it's & </a>"),
            "&lt;a href=&quot;x&quot;&gt;it&#39;s &amp; &lt;/a&gt;"
        );
    }
}
