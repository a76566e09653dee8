//! Reading what a workspace holds, the same way for `newsmark check` and
//! the language server: a file's text or the reason it cannot be read
//! ([`source`]), and the files that are never opened because opening them
//! could hang ([`special_file`], [`unreadable_ignore_file`],
//! [`unreadable_ignore_file_above`]), which folders a walk enters
//! ([`folder_filter`]), and which workspaces and files a set of paths
//! holds ([`discover`]); reading files ahead of the threads that parse
//! them ([`read_ahead`]); and where what a front end does not keep in
//! memory is parked ([`spill`]); and what both read of the cache that
//! `newsmark check` writes ([`cache`]).

pub mod cache;
pub mod discover;
pub mod paths;
pub mod read_ahead;
pub mod source;
pub mod spill;

use std::path::{Path, PathBuf};

use newsmark_analysis::Config;

/// The files that walking a folder opens besides `.nmk` files: its ignore
/// files, git's excludes (in a repository's root) and its configuration.
const FOLDER_FILES: [&str; 4] = [
    ".gitignore",
    ".ignore",
    ".git/info/exclude",
    "newsmark.toml",
];

/// What `path` is, after symbolic links, when it exists and is neither a
/// regular file nor a folder: "a named pipe", "a socket", "a device" … Such
/// a file is never opened: opening a named pipe waits for a writer that may
/// never come, and a device may never end.
pub fn special_file(path: &Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Some("a named pipe");
        } else if kind.is_socket() {
            return Some("a socket");
        } else if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// The first of `folder`'s ignore files and configuration that is a
/// special file, and why it stops the folder from being walked: the walk
/// would open it.
pub fn unreadable_ignore_file(folder: &Path) -> Option<(PathBuf, String)> {
    FOLDER_FILES.iter().find_map(|name| {
        let path = folder.join(name);
        special_file(&path).map(|what| {
            let reason =
                format!("cannot read {name}: it is {what}, not a file; the folder is skipped");
            (path, reason)
        })
    })
}

/// The first special ignore file or configuration in `folder` or in any
/// folder above it, which a walk starting at `folder` also opens (ignore
/// files apply from the folders above too).
pub fn unreadable_ignore_file_above(folder: &Path) -> Option<(PathBuf, String)> {
    folder.ancestors().find_map(unreadable_ignore_file)
}

/// The folders a walk of `root` enters, as an `ignore` `filter_entry`: not
/// one the configuration excludes (nothing in it is reported, not even what
/// cannot be read), nor one whose ignore files or configuration are special
/// files (the walk would open them and wait forever), which `unreadable`
/// is told of. Files and the root itself pass.
pub fn folder_filter(
    root: &Path,
    config: &Config,
    unreadable: impl Fn(PathBuf, String) + Send + Sync + 'static,
) -> impl Fn(&ignore::DirEntry) -> bool + Send + Sync + 'static {
    let root = root.to_path_buf();
    let config = config.clone();
    move |entry| {
        let is_folder = entry.depth() > 0 && entry.file_type().is_some_and(|t| t.is_dir());
        if !is_folder {
            return true;
        }
        let relative = entry.path().strip_prefix(&root).unwrap_or(entry.path());
        let relative: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        if config.excludes_folder(&relative.join("/")) {
            return false;
        }
        match unreadable_ignore_file(entry.path()) {
            Some((path, reason)) => {
                unreadable(path, reason);
                false
            }
            None => true,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_named_pipe_among_a_folders_files_is_found_without_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(unreadable_ignore_file(dir.path()), None);
        let fifo = dir.path().join(".gitignore");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo failed");
        assert_eq!(
            unreadable_ignore_file(dir.path()),
            Some((
                fifo,
                "cannot read .gitignore: it is a named pipe, not a file; the folder is skipped"
                    .to_owned()
            ))
        );
    }
}
