//! Writing the files a command produces (reports, baselines, exports and
//! the cache) in a folder a repository may have filled with traps:
//!
//! - every file goes to a temporary file beside it, then is renamed into
//!   place ([`replace`]): a reader never sees half a file, an interrupted
//!   run leaves the old one, and a symbolic link at the destination is
//!   replaced, never followed;
//! - [`Outputs`] checks the destinations first: the named path, everything
//!   below it and the folders on the way to it from the current folder
//!   must not be links (a repository can ship `out/a.txt -> ~/.bashrc` or
//!   `reports -> ~/.ssh`); a path outside the current folder is the
//!   user's, taken as typed; a file the command read is never replaced, and an
//!   existing file is replaced only when the command allows it (`--force`).

use std::collections::HashSet;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::paths;

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed over `path` (which may exist; a link there is replaced).
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, |out| out.write_all(bytes))
}

/// [`replace`], with what `write` writes (a report larger than the memory
/// left for it).
pub fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".newsmark-").suffix(".tmp");
    // As `File::create` does: read-write for all, less the umask (a
    // temporary file is otherwise private to its owner).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(folder)?;
    let mut buffered = BufWriter::new(&mut file);
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// The rules of one command's outputs.
#[derive(Debug)]
pub struct Outputs<'a> {
    cwd: &'a Path,
    /// The files the command read (never replaced).
    inputs: Vec<PathBuf>,
    /// Whether an existing file may be replaced; when not, `--force` allows it.
    may_replace: bool,
    /// `inputs`, canonical, computed when a destination exists (a set: a
    /// report checks thousands of pages against thousands of inputs).
    canonical_inputs: OnceLock<HashSet<PathBuf>>,
}

impl<'a> Outputs<'a> {
    pub fn new(cwd: &'a Path, inputs: Vec<PathBuf>, may_replace: bool) -> Outputs<'a> {
        Outputs {
            cwd,
            inputs,
            may_replace,
            canonical_inputs: OnceLock::new(),
        }
    }

    /// Writes one file, at the path the user named.
    pub fn write(&self, named: &Path, text: &str) -> anyhow::Result<()> {
        self.write_with(named, |out| out.write_all(text.as_bytes()))
    }

    /// Writes one file, at the path the user named, with what `write` writes.
    pub fn write_with(
        &self,
        named: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> anyhow::Result<()> {
        let base = self.prepare(named, &[named])?;
        self.create_folders(&base, named)?;
        replace_with(named, write)
            .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", self.shown(named)))
    }

    /// Writes `files`, each at or below the path the user named: checks
    /// every destination before writing any, so a refusal writes nothing.
    pub fn write_all(
        &self,
        named: &Path,
        files: &[(PathBuf, impl AsRef<str> + Sync)],
    ) -> anyhow::Result<()> {
        let paths: Vec<&Path> = files.iter().map(|(path, _)| path.as_path()).collect();
        let base = self.prepare(named, &paths)?;
        // Folders first, each once; then the files on every core (a
        // report writes thousands).
        let mut folders: Vec<&Path> = paths.iter().filter_map(|path| path.parent()).collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            self.create_folders(&base, &folder.join("file"))?;
        }
        files.par_iter().try_for_each(|(path, text)| {
            replace(path, text.as_ref().as_bytes())
                .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", self.shown(path)))
        })
    }

    /// Checks every destination, each at or below `named`, and creates the
    /// folder they are written from; returns that folder.
    fn prepare(&self, named: &Path, paths: &[&Path]) -> anyhow::Result<PathBuf> {
        let typed = named.parent().unwrap_or(Path::new("/"));
        // Folders below the current one may be the repository's own (a
        // shipped `reports -> ~/.ssh`): they are checked as well. Above it,
        // or elsewhere, the path is the user's, taken as typed.
        let base = if typed.starts_with(self.cwd) {
            self.cwd
        } else {
            typed
        };
        let mut existing = Vec::new();
        for path in paths {
            if self.check(base, path)? {
                existing.push(path);
            }
        }
        if let Some(first) = existing.first()
            && !self.may_replace
        {
            anyhow::bail!(
                "{}",
                match existing.len() - 1 {
                    0 => format!(
                        "{} already exists; pass --force to replace it",
                        self.shown(first)
                    ),
                    more => format!(
                        "{} and {more} more file{} of the output already exist; pass --force to replace them",
                        self.shown(first),
                        if more == 1 { "" } else { "s" }
                    ),
                }
            );
        }
        std::fs::create_dir_all(base)
            .map_err(|error| anyhow::anyhow!("cannot create {}: {error}", self.shown(base)))?;
        Ok(base.to_path_buf())
    }

    /// Refuses a destination that is, or lies below, a link or not a
    /// folder, or that is one of the inputs; returns whether a file is
    /// there already.
    fn check(&self, base: &Path, path: &Path) -> anyhow::Result<bool> {
        let below = path.strip_prefix(base).unwrap_or(path);
        let mut at = base.to_path_buf();
        let mut components = below.components().peekable();
        while let Some(component) = components.next() {
            let Component::Normal(name) = component else {
                anyhow::bail!(
                    "{} leaves the output folder; newsmark writes only below it",
                    self.shown(path)
                );
            };
            at.push(name);
            let last = components.peek().is_none();
            let kind = match std::fs::symlink_metadata(&at) {
                Ok(metadata) => metadata.file_type(),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                Err(error) => anyhow::bail!("cannot write {}: {error}", self.shown(&at)),
            };
            if kind.is_symlink() {
                anyhow::bail!(
                    "{} is a symbolic link; newsmark never writes through links (remove it or choose another path)",
                    self.shown(&at)
                );
            }
            if !last && !kind.is_dir() {
                anyhow::bail!("{} is not a folder", self.shown(&at));
            }
            if last && !kind.is_file() {
                anyhow::bail!("{} is not a regular file", self.shown(&at));
            }
        }
        if self.is_input(path) {
            anyhow::bail!(
                "{} is one of the files this command reads; choose another path",
                self.shown(path)
            );
        }
        Ok(true)
    }

    /// Creates the folders between `base` and `path`, one by one, each a
    /// new folder or an existing one (never a link: checked before).
    fn create_folders(&self, base: &Path, path: &Path) -> anyhow::Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let mut at = base.to_path_buf();
        for component in parent
            .strip_prefix(base)
            .unwrap_or(Path::new(""))
            .components()
        {
            at.push(component);
            match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) {
                        anyhow::bail!("{} is not a folder", self.shown(&at));
                    }
                }
                Err(error) => anyhow::bail!("cannot create {}: {error}", self.shown(&at)),
            }
        }
        Ok(())
    }

    /// Whether an existing file is one the command read (after links).
    fn is_input(&self, path: &Path) -> bool {
        let Ok(path) = std::fs::canonicalize(path) else {
            return false;
        };
        self.canonical_inputs
            .get_or_init(|| {
                self.inputs
                    .par_iter()
                    .filter_map(|input| std::fs::canonicalize(input).ok())
                    .collect()
            })
            .contains(&path)
    }

    fn shown(&self, path: &Path) -> String {
        paths::display(self.cwd, path)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn replace_renames_over_a_link_instead_of_writing_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let path = dir.path().join("out.txt");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
