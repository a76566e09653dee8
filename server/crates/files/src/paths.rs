//! How paths are made absolute and shown: lexically (no symlinks resolved,
//! so a path reads as the user typed it), always with `/` in reports.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}

/// Removes `.` and resolves `..` without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the folder `from` (both absolute and normalized),
/// with `..` where it must climb out.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    // The common case, a file inside the folder, without collecting.
    if let Ok(inside) = to.strip_prefix(from) {
        return inside.to_path_buf();
    }
    let from: Vec<Component> = from.components().collect();
    let to_components: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_components)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for component in &to_components[common..] {
        out.push(component);
    }
    out
}

/// A relative path with `/` separators; `.` for the empty path.
pub fn slashed(path: &Path) -> String {
    let mut out = String::with_capacity(path.as_os_str().len());
    for component in path.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// How a file is shown to the user: relative to the current folder.
pub fn display(cwd: &Path, path: &Path) -> String {
    slashed(&relative(cwd, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        let show = |from: &str, to: &str| slashed(&relative(Path::new(from), Path::new(to)));
        assert_eq!(show("/w/main", "/w/main/examples/a.nmk"), "examples/a.nmk");
        assert_eq!(
            show("/w/main/docs", "/w/main/examples/a.nmk"),
            "../examples/a.nmk"
        );
        assert_eq!(show("/w/main", "/w/main"), ".");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            absolute(
                Path::new("/w/main"),
                Path::new("./examples/../tests/./x.nmk")
            ),
            PathBuf::from("/w/main/tests/x.nmk")
        );
    }
}
