//! The report files both `run` and `check-client` can write.

use std::path::PathBuf;

use clap::Args;

use lattice_report::RunReport;

/// A report file option and the renderer that fills it.
type Renderer<'a> = (&'a Option<PathBuf>, fn(&RunReport) -> String);

/// `--json`, `--junit`, `--markdown`, `--html`.
#[derive(Args, Debug)]
pub(crate) struct ReportArgs {
    /// Write the JSON report here (schema in the README).
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
    /// Write a JUnit XML report here (one test case per rule).
    #[arg(long)]
    pub(crate) junit: Option<PathBuf>,
    /// Write a Markdown summary here (for a CI step summary).
    #[arg(long)]
    pub(crate) markdown: Option<PathBuf>,
    /// Write a self-contained HTML report here (verdict table, filters, expandable failures).
    #[arg(long)]
    pub(crate) html: Option<PathBuf>,
}

impl ReportArgs {
    /// Checks, before anything is sent, that every report asked for can be written (a report
    /// that cannot be written is a usage error now, not after the whole run).
    pub(crate) fn check_writable(&self) -> Result<(), lattice_report::ReportError> {
        for path in [&self.json, &self.junit, &self.markdown, &self.html]
            .into_iter()
            .flatten()
        {
            lattice_transport::files::check_writable(path).map_err(|source| {
                lattice_report::ReportError::Write {
                    path: path.clone(),
                    source,
                }
            })?;
        }
        Ok(())
    }

    /// Renders and writes the reports asked for (only those); the error names the file.
    pub(crate) fn write(&self, report: &RunReport) -> Result<(), lattice_report::ReportError> {
        let renderers: [Renderer<'_>; 4] = [
            (&self.json, RunReport::to_json),
            (&self.junit, RunReport::to_junit),
            (&self.markdown, RunReport::to_markdown),
            (&self.html, RunReport::to_html),
        ];
        for (path, render) in renderers {
            if let Some(path) = path {
                lattice_transport::files::write_private(path, render(report).as_bytes()).map_err(
                    |source| lattice_report::ReportError::Write {
                        path: path.clone(),
                        source,
                    },
                )?;
            }
        }
        Ok(())
    }
}
