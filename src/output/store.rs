//! The engine's memo on disk: a redb database (`memo.redb`) in the build's
//! folder of the cache, record by record, so a build reads only the tables
//! it needs and writes only the records that changed.
//!
//! This module knows tables of byte keys and byte values, nothing of what
//! they mean (the engine encodes its records); it opens the database,
//! reads a record or a whole table, and applies one build's changes in one
//! transaction, so a build killed at any moment leaves the memo as one
//! build or the next wrote it. A database that cannot be opened or read
//! (another format, a file damaged outside redb) is thrown away and made
//! anew: the memo is only ever a shortcut.

use std::fs;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};

/// The database's file, in the build's folder.
pub const FILE: &str = "memo.redb";

/// The database's cache of pages.
const CACHE: usize = 16 << 20;

/// One table of byte keys and values.
fn definition(name: &str) -> TableDefinition<'_, &'static [u8], &'static [u8]> {
    TableDefinition::new(name)
}

/// A key and its new value, or `None` to remove it.
pub type RecordChange = (Vec<u8>, Option<Vec<u8>>);

/// The changes one build makes to the memo.
#[derive(Debug, Default)]
pub struct Changes {
    /// Empty every table first (a memo made from nothing).
    pub clear: bool,
    /// Per table: keys and their new values, or `None` to remove.
    pub tables: Vec<(&'static str, Vec<RecordChange>)>,
}

/// The memo's database.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Runs `f`, taking a panic inside redb (a file damaged outside it) as an
/// error.
fn guarded<T>(f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(io::Error::other("the memo's database is damaged")))
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

impl Store {
    /// Opens the database in `folder`, making it if there is none; one that
    /// does not open is removed and made anew (with `true`: what was there
    /// was thrown away).
    pub fn open(folder: &Path) -> io::Result<(Store, bool)> {
        let path = folder.join(FILE);
        // The records are read once, in order: a cache of pages read would
        // only hold memory (redb's default is 1 GiB).
        let open = || {
            guarded(|| {
                (Database::builder().set_cache_size(CACHE))
                    .create(&path)
                    .map_err(other)
            })
        };
        match open() {
            Ok(db) => Ok((Store::new(db, path), false)),
            Err(_) => {
                fs::remove_file(&path)?;
                let db = open()?;
                Ok((Store::new(db, path), true))
            }
        }
    }

    fn new(db: Database, path: PathBuf) -> Store {
        Store {
            db: Arc::new(db),
            path,
        }
    }

    /// One record, if the table has it.
    pub fn get(&self, table: &'static str, key: &[u8]) -> io::Result<Option<Vec<u8>>> {
        guarded(|| {
            let read = self.db.begin_read().map_err(other)?;
            let table = match read.open_table(definition(table)) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(e) => return Err(other(e)),
            };
            let value = table.get(key).map_err(other)?;
            Ok(value.map(|v| v.value().to_vec()))
        })
    }

    /// Calls `f` with every record of `table`, in key order.
    pub fn each(&self, table: &'static str, f: &mut dyn FnMut(&[u8], &[u8])) -> io::Result<()> {
        guarded(|| {
            let read = self.db.begin_read().map_err(other)?;
            let table = match read.open_table(definition(table)) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(()),
                Err(e) => return Err(other(e)),
            };
            for record in table.iter().map_err(other)? {
                let (key, value) = record.map_err(other)?;
                f(key.value(), value.value());
            }
            Ok(())
        })
    }

    /// Applies one build's changes, all or nothing.
    pub fn apply(&self, changes: &Changes) -> io::Result<()> {
        guarded(|| {
            let write = self.db.begin_write().map_err(other)?;
            if changes.clear {
                let names: Vec<String> = (write.list_tables().map_err(other)?)
                    .map(|t| t.name().to_string())
                    .collect();
                for name in names {
                    write.delete_table(definition(&name)).map_err(other)?;
                }
            }
            for (name, records) in &changes.tables {
                let mut table = write.open_table(definition(name)).map_err(other)?;
                for (key, value) in records {
                    match value {
                        Some(value) => table.insert(key.as_slice(), value.as_slice()),
                        None => table.remove(key.as_slice()).map(|_| None),
                    }
                    .map_err(other)?;
                }
            }
            write.commit().map_err(other)
        })
    }
}
