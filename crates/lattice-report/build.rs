//! Embeds the committed snapshots (`snapshots/*.snap` at the repository root) so that the CLI
//! compares against them without reading the repository at run time. Cargo reruns this script
//! whenever a file in that folder is added, removed or changed.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = manifest.join("../../snapshots");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "snap"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_owned();
            Some((name, p.canonicalize().ok()?))
        })
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every committed snapshot, by name, embedded at build time.\npub(super) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"))
        .join("embedded_snapshots.rs");
    std::fs::write(target, out).expect("write the list of embedded snapshots");
}
