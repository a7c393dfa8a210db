//! Append-only JSON-lines journals beside a snapshot file: what the bulk state and the
//! guard state are kept in, so that saving a step costs one appended line rather than a
//! rewrite of everything, and a crash loses nothing that was synced.
//!
//! Why a journal and not SQLite: the records are a handful of small JSON objects per
//! number, read whole at start and never queried; a journal needs no new dependency (no
//! C library to build on every platform), keeps the files readable by people, and with
//! group commit one `fsync` covers every record appended meanwhile.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

/// Files holding state or secrets' neighbours are readable by their owner only.
#[cfg(unix)]
pub const PRIVATE: u32 = 0o600;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `<path><suffix>`, e.g. `state.json.journal`.
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(std::ffi::OsString::from).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Options that create a file readable by its owner only (on Unix; elsewhere the
/// folder's permissions apply).
fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE);
    options.create(true);
    options
}

/// Opens (creating, owner-only) a file for appending.
fn open_append(path: &Path) -> std::io::Result<File> {
    private_file().append(true).open(path)
}

/// The records of the journal at `path`, oldest first; none if it does not exist. A last
/// line cut short (the process died while writing it) is dropped: its step is redone. Any
/// other unreadable line is an error.
pub fn replay(path: &Path) -> Result<Vec<Value>, String> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{} could not be read: {e}", path.display())),
    };
    let mut records = Vec::new();
    let mut lines = BufReader::new(file).split(b'\n').peekable();
    let mut number = 0;
    while let Some(line) = lines.next() {
        number += 1;
        let line = line.map_err(|e| format!("{} could not be read: {e}", path.display()))?;
        match serde_json::from_slice(&line) {
            Ok(record) => records.push(record),
            Err(_) if lines.peek().is_none() => break,
            Err(e) => return Err(format!("{} line {number} is not a journal record: {e}", path.display())),
        }
    }
    Ok(records)
}

/// An open journal with group commit: records are appended in order; `sync_through`
/// makes a record durable, and one `fsync` serves every record written before it.
pub struct Journal {
    path: PathBuf,
    writer: Mutex<(File, u64)>,
    synced: Mutex<(File, u64)>,
}

impl Journal {
    /// Opens the journal at `path` for appending.
    pub fn open(path: PathBuf) -> std::io::Result<Journal> {
        let file = open_append(&path)?;
        let syncer = file.try_clone()?;
        Ok(Journal { path, writer: Mutex::new((file, 0)), synced: Mutex::new((syncer, 0)) })
    }

    /// Appends one record (a single `write` of one line, so a crash leaves whole lines and
    /// at most one torn last line); its sequence number, for [`Journal::sync_through`].
    pub fn append(&self, record: &Value) -> std::io::Result<u64> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut writer = lock(&self.writer);
        writer.0.write_all(&line)?;
        writer.1 += 1;
        Ok(writer.1)
    }

    /// Returns once record `seq` and all before it are on disk.
    pub fn sync_through(&self, seq: u64) -> std::io::Result<()> {
        let mut synced = lock(&self.synced);
        if synced.1 >= seq {
            return Ok(());
        }
        // Everything appended so far is covered by this one fsync.
        let written = lock(&self.writer).1;
        synced.0.sync_data()?;
        synced.1 = written;
        Ok(())
    }

    /// Empties the journal once its records are in the snapshot.
    pub fn clear(&self) -> std::io::Result<()> {
        let writer = lock(&self.writer);
        writer.0.set_len(0)?;
        writer.0.sync_all()
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes a sibling temporary file (owner-only) and renames it over `path`, syncing the
/// file before and the directory after: a reader, or a run killed half-way, sees the old
/// or the new content, never half of one, and a crash of the machine keeps the new one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = beside(path, &format!(".tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = private_file().write(true).truncate(true).open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written?;
    // The rename is durable once the directory is synced; not every system allows it.
    let _ = File::open(dir.unwrap_or(Path::new("."))).and_then(|d| d.sync_all());
    Ok(())
}

/// An exclusive lock on `<path>.lock`, held until the file is dropped (or the process
/// ends, however it ends). Waits for another holder, saying so on stderr as `waiting`.
pub fn lock_beside(path: &Path, waiting: &str) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = private_file().truncate(false).write(true).open(beside(path, ".lock"))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => eprintln!("{waiting}"),
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    file.lock()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_dropped_and_a_torn_middle_one_refused() {
        let dir = std::env::temp_dir().join(format!("waonboard-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("j");
        let journal = Journal::open(path.clone()).unwrap();
        let seq = journal.append(&serde_json::json!({"a": 1})).unwrap();
        journal.sync_through(seq).unwrap();
        journal.append(&serde_json::json!({"a": 2})).unwrap();
        drop(journal);
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(br#"{"a": 3"#).unwrap();
        assert_eq!(replay(&path).unwrap(), [serde_json::json!({"a": 1}), serde_json::json!({"a": 2})]);
        #[cfg(unix)]
        {
            let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
            assert_eq!(mode & 0o777, PRIVATE);
        }

        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"\n{\"a\": 4}\n").unwrap();
        assert!(replay(&path).unwrap_err().contains("line 3"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
