//! Files the tool reads and writes, bounded and private: every input file (profile, credentials
//! file, journal, recording, client report) is read up to a stated size, so that `/dev/zero` or a
//! runaway file is an error and not a process that grows without end; every output file that may
//! hold what an endpoint sent (reports, journals) is created readable by its owner only.

use std::io::{Read, Write};
use std::path::Path;

/// The largest profile or credentials file read.
pub const MAX_PROFILE_BYTES: u64 = 1 << 20;
/// The largest journal read by `cleanup`.
pub const MAX_JOURNAL_BYTES: u64 = 64 << 20;
/// The largest recording or client report read by `check-client`.
pub const MAX_RECORDING_BYTES: u64 = 256 << 20;

/// Reads a UTF-8 text file of at most `limit` bytes; a larger one (or an endless one such as
/// `/dev/zero`) is an error that says so, after reading no more than `limit + 1` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(std::io::Error::other("is a directory"));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than {} (hint: is this the right file?)",
            human(limit)
        )));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8 text"))
}

fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// Opens options for a private file: mode 0600 on Unix when it is created.
pub fn private_options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Writes `contents` to `path` (replacing it), readable by its owner only; an existing file is
/// narrowed to mode 0600 too.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut f = private_options().create(true).truncate(true).open(path)?;
    restrict(&f)?;
    f.write_all(contents)
}

/// Appends `line` to `path`, creating it (and its directory, mode 0700) readable by its owner
/// only.
pub fn append_private(path: &Path, line: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
    }
    let mut f = private_options().create(true).append(true).open(path)?;
    restrict(&f)?;
    f.write_all(line)
}

/// Checks before a run that `path` can be written, so that the run cannot end with its report
/// unwritable. A file that did not exist is created to prove it and removed again.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    let existed = path.exists();
    let f = private_options().create(true).append(true).open(path)?;
    drop(f);
    if !existed {
        std::fs::remove_file(path)?;
    }
    Ok(())
}

fn restrict(f: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = f.metadata()?;
        // Only regular files: /dev/null and pipes keep their modes.
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("lattice-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_are_bounded_even_for_endless_files() {
        let d = dir("read");
        let p = d.join("a.toml");
        std::fs::write(&p, "x".repeat(100)).unwrap();
        assert_eq!(read_bounded(&p, 100).unwrap().len(), 100);
        let e = read_bounded(&p, 99).unwrap_err().to_string();
        assert!(e.contains("larger than"), "{e}");
        #[cfg(unix)]
        {
            let e = read_bounded(Path::new("/dev/zero"), 1 << 10).unwrap_err();
            assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
        }
        assert!(read_bounded(&d, 10).is_err());
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(read_bounded(&p, 10)
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("write");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let report = d.join("r.json");
        std::fs::write(&report, "old").unwrap();
        std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&report, b"new").unwrap();
        assert_eq!(mode(&report), 0o600);
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "new");
        let journal = d.join("runs/abc.jsonl");
        append_private(&journal, b"1\n").unwrap();
        append_private(&journal, b"2\n").unwrap();
        assert_eq!(mode(&journal), 0o600);
        assert_eq!(mode(&d.join("runs")), 0o700);
        assert_eq!(std::fs::read_to_string(&journal).unwrap(), "1\n2\n");
        let fresh = d.join("fresh.xml");
        check_writable(&fresh).unwrap();
        assert!(!fresh.exists(), "the check leaves no empty report behind");
        check_writable(&report).unwrap();
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "new");
        assert!(check_writable(&d.join("no/such/dir/r.md")).is_err());
        assert!(check_writable(&d).is_err());
    }
}
