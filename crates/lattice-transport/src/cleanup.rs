//! `cleanup --run-id ID`: deletes what an interrupted run created, from its journal
//! (`.lattice-conformance/runs/ID.jsonl`), and only what provably belongs to it: services and
//! service networks must carry the run's tag, associations must join one of those, and shares must
//! bear the run's name (`lc-RUN-…`). It then verifies that each deleted resource answers 404.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use lattice_spec::Operation;

use crate::driver::ApiCall;
use crate::fixtures::{CreatedResource, Fixtures, Kind, Leak, RUN_TAG};

/// Where journals are written: `$LATTICE_JOURNAL_DIR`, else `.lattice-conformance/runs` in the
/// working directory.
pub fn journal_dir() -> PathBuf {
    std::env::var_os("LATTICE_JOURNAL_DIR")
        .map_or_else(|| PathBuf::from(".lattice-conformance/runs"), PathBuf::from)
}

/// Whether `id` can be a run id (what [`journal_path`] accepts from a user): 1 to 64 ASCII
/// letters, digits, `-` or `_`, so that it names a file inside the journal directory and nothing
/// else (`../x` is refused).
pub fn is_run_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The journal of a run.
pub fn journal_path(run_id: &str) -> PathBuf {
    journal_dir().join(format!("{run_id}.jsonl"))
}

/// Reads a journal; lines that do not parse are skipped.
pub fn read_journal(path: &Path) -> std::io::Result<Vec<CreatedResource>> {
    Ok(
        crate::files::read_bounded(path, crate::files::MAX_JOURNAL_BYTES)?
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
    )
}

/// What cleanup did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CleanupReport {
    /// Resources deleted and verified gone.
    pub deleted: Vec<String>,
    /// Resources left alone because they do not provably belong to the run.
    pub refused: Vec<Leak>,
    /// Resources that could not be deleted (or are still there).
    pub leaks: Vec<Leak>,
}

async fn tagged_with_run(fx: &Fixtures, res: &CreatedResource) -> bool {
    let e = fx
        .driver()
        .send(&ApiCall::labelled(
            Operation::ListTagsForResource,
            res.principal,
            &res.arn,
        ))
        .await;
    e.ok()
        .and_then(|r| r.json())
        .and_then(|b| b.get("tags")?.get(RUN_TAG)?.as_str().map(str::to_owned))
        .is_some_and(|v| v == fx.run_id())
}

/// Waits (with backoff, within `budget`) until a deleted resource answers 404.
async fn wait_gone(fx: &Fixtures, res: &CreatedResource, budget: Duration) -> bool {
    let start = std::time::Instant::now();
    let mut wait = Duration::from_millis(100);
    loop {
        if gone(fx, res).await {
            return true;
        }
        if start.elapsed() + wait > budget {
            return false;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(2));
    }
}

async fn gone(fx: &Fixtures, res: &CreatedResource) -> bool {
    let op = match res.kind {
        Kind::Service => Operation::GetService,
        Kind::Network => Operation::GetServiceNetwork,
        Kind::Association => Operation::GetServiceNetworkServiceAssociation,
        Kind::Share => return true,
    };
    let e = fx
        .driver()
        .send(&ApiCall::labelled(op, res.principal, &res.id))
        .await;
    e.ok().is_some_and(|r| r.status == 404)
}

/// Deletes the journal's resources that belong to the run, newest first, and verifies each.
pub async fn cleanup_run(
    fx: &Fixtures,
    resources: &[CreatedResource],
    wait_budget: Duration,
) -> CleanupReport {
    let mut report = CleanupReport::default();
    let mut ours: Vec<&CreatedResource> = Vec::new();
    let mut our_ids = std::collections::BTreeSet::new();
    for res in resources {
        let belongs = match res.kind {
            Kind::Service | Kind::Network => tagged_with_run(fx, res).await,
            Kind::Share => res.id.starts_with(&format!("lc-{}-", fx.run_id())),
            Kind::Association => true,
        };
        if belongs {
            our_ids.insert(res.id.clone());
            ours.push(res);
        } else {
            report.refused.push(Leak {
                kind: format!("{:?}", res.kind).to_lowercase(),
                id: res.id.clone(),
                reason: format!("not tagged `{RUN_TAG}={}`: left alone", fx.run_id()),
            });
        }
    }
    let known: std::collections::BTreeSet<String> =
        resources.iter().map(|r| r.id.clone()).collect();
    for res in ours.into_iter().rev() {
        if res.kind == Kind::Association {
            // Only associations that join one of the run's own resources.
            let get = fx
                .driver()
                .send(&ApiCall::labelled(
                    Operation::GetServiceNetworkServiceAssociation,
                    res.principal,
                    &res.id,
                ))
                .await;
            let body = get.ok().and_then(|r| r.json()).unwrap_or_default();
            let joins_ours = ["serviceId", "serviceNetworkId"].iter().any(|m| {
                body.get(*m)
                    .and_then(|v| v.as_str())
                    .is_some_and(|id| our_ids.contains(id))
            });
            if get.ok().is_some_and(|r| r.status == 404) {
                report.deleted.push(res.id.clone());
                continue;
            }
            if !joins_ours {
                report.refused.push(Leak {
                    kind: "association".into(),
                    id: res.id.clone(),
                    reason: "joins no resource of this run: left alone".into(),
                });
                continue;
            }
        }
        for orphan in fx.orphans(res, &known).await {
            match fx.delete(&orphan, wait_budget).await {
                Some(leak) => report.leaks.push(leak),
                None => report.deleted.push(orphan.id.clone()),
            }
        }
        match fx.delete(res, wait_budget).await {
            Some(leak) => report.leaks.push(leak),
            None if wait_gone(fx, res, wait_budget).await => report.deleted.push(res.id.clone()),
            None => report.leaks.push(Leak {
                kind: format!("{:?}", res.kind).to_lowercase(),
                id: res.id.clone(),
                reason: format!(
                    "deleted, but still answers Get after {} s (it may still be deleting)",
                    wait_budget.as_secs()
                ),
            }),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    #[test]
    fn run_ids_name_a_file_in_the_journal_directory_only() {
        for ok in ["8540c6e0", "run-1_a"] {
            assert!(super::is_run_id(ok), "{ok}");
        }
        for bad in [
            "",
            "../outside/victim",
            "a/b",
            "..",
            "x.jsonl",
            "a b",
            &"a".repeat(65),
        ] {
            assert!(!super::is_run_id(bad), "{bad}");
        }
    }
}
