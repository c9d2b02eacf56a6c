//! Parts 4 and 5: whole `lattice-conformance run` commands, timed from outside (wall time with
//! a monotonic clock, peak resident memory from `/usr/bin/time -f %M` when it is installed).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Context;
use serde_json::{json, Value};

use crate::stats::Samples;

/// How to run commands.
#[derive(Debug, Clone)]
pub(crate) struct Runner {
    /// The `lattice-conformance` binary.
    pub(crate) cli: PathBuf,
    /// `/usr/bin/time`, when present.
    pub(crate) time: Option<PathBuf>,
    /// Scratch directory.
    pub(crate) dir: PathBuf,
    /// Timed runs.
    pub(crate) runs: usize,
    /// Warm-up runs, discarded.
    pub(crate) warmup: usize,
}

/// Timings of one command.
#[derive(Debug, Clone)]
pub(crate) struct Timed {
    /// A label.
    pub(crate) label: String,
    /// The arguments after `lattice-conformance`.
    pub(crate) args: Vec<String>,
    /// Wall seconds.
    pub(crate) wall: Samples,
    /// Peak resident set, MiB (empty without `/usr/bin/time`).
    pub(crate) rss_mib: Samples,
    /// Requests of the last run (from its JSON report).
    pub(crate) requests: usize,
    /// The last run's summary line (from its JSON report).
    pub(crate) summary: Value,
    /// Exit codes seen.
    pub(crate) exit_codes: Vec<i32>,
}

impl Timed {
    /// Every timed run's wall seconds, in order.
    pub(crate) fn wall_runs(&self) -> Vec<f64> {
        self.wall.values().to_vec()
    }

    /// The JSON form.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "label": self.label,
            "command": format!("lattice-conformance {}", self.args.join(" ")),
            "wall_s": self.wall.to_json(),
            "peak_rss_mib": if self.rss_mib.len() > 0 { self.rss_mib.to_json() } else { Value::Null },
            "requests": self.requests,
            "summary": self.summary,
            "exit_codes": self.exit_codes,
        })
    }
}

impl Runner {
    fn once(&self, args: &[String], json_path: &Path) -> anyhow::Result<(f64, Option<f64>, i32)> {
        let rss_path = self.dir.join("time.txt");
        let mut cmd = match &self.time {
            Some(time) => {
                let mut c = Command::new(time);
                c.args(["-f", "%M", "-o"]).arg(&rss_path).arg(&self.cli);
                c
            }
            None => Command::new(&self.cli),
        };
        cmd.args(args)
            .arg("--json")
            .arg(json_path)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let start = Instant::now();
        let status = cmd
            .status()
            .with_context(|| format!("starting {}", self.cli.display()))?;
        let wall = start.elapsed().as_secs_f64();
        let rss = self.time.as_ref().and_then(|_| {
            std::fs::read_to_string(&rss_path)
                .ok()?
                .lines()
                .filter_map(|l| l.trim().parse::<f64>().ok())
                .next_back()
                .map(|kib| kib / 1024.0)
        });
        Ok((wall, rss, status.code().unwrap_or(-1)))
    }

    /// Times `lattice-conformance ARGS` (warm-up discarded).
    pub(crate) fn time(&self, label: &str, args: &[&str]) -> anyhow::Result<Timed> {
        std::fs::create_dir_all(&self.dir)?;
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let json_path = self.dir.join("run.json");
        let mut t = Timed {
            label: label.to_owned(),
            args: args.clone(),
            wall: Samples::default(),
            rss_mib: Samples::default(),
            requests: 0,
            summary: Value::Null,
            exit_codes: vec![],
        };
        for i in 0..self.warmup + self.runs {
            let (wall, rss, code) = self.once(&args, &json_path)?;
            if i < self.warmup {
                continue;
            }
            t.wall.push(wall);
            if let Some(rss) = rss {
                t.rss_mib.push(rss);
            }
            t.exit_codes.push(code);
        }
        t.exit_codes.sort();
        t.exit_codes.dedup();
        if let Ok(text) = std::fs::read_to_string(&json_path) {
            let report: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            t.requests = report["requests"].as_u64().unwrap_or(0) as usize;
            t.summary = report["summary"].clone();
        }
        Ok(t)
    }
}

/// How a series of runs grows with a parameter: time relative to the first point, and the
/// marginal cost per unit between consecutive points (constant or falling means linear or
/// better; rising means worse than linear).
pub(crate) fn growth(points: &[(f64, &Timed)]) -> Value {
    let Some((x0, t0)) = points.first() else {
        return Value::Null;
    };
    let base = t0.wall.median();
    let mut rows = Vec::new();
    for (i, (x, t)) in points.iter().enumerate() {
        let m = t.wall.median();
        let marginal = (i > 0).then(|| {
            let (px, pt) = points[i - 1];
            (m - pt.wall.median()) / (x - px)
        });
        rows.push(json!({
            "x": x,
            "x_over_first": x / x0,
            "wall_s": t.wall.to_json(),
            "wall_over_first": m / base,
            "requests": t.requests,
            "exit_codes": t.exit_codes,
            "marginal_s_per_unit": marginal,
        }));
    }
    Value::Array(rows)
}
