//! A document's identity: which URIs name the same document, and the one
//! name the workspace files it under.
//!
//! A `file:` URI names a file of the file system, by its path: the path is
//! percent-decoded (`%2F` too: a name cannot hold a `/`), `.`, `..` and
//! repeated slashes are removed lexically (symbolic links are not
//! resolved: the editor's path is the truth), and a Windows drive letter
//! is written in capitals with a plain colon, whatever the client sent
//! (`file:///c%3A/x` and `file:///C:/x` are `C:/x`). The host may be empty
//! or `localhost`. Every other URI (`untitled:`, a `file:` URI with another
//! host, a query, a fragment, or a path that is not UTF-8 once decoded) is
//! an opaque document, named by its URI normalised as RFC 3986 says.
//!
//! URIs convert the same on every system, so a Windows client's URIs work
//! with a server on Linux (as in the tests): only [`FileKey::from_path`]
//! and [`FileKey::to_path`] follow the system the server runs on. (A unix
//! folder named like a drive, `/c:`, is therefore taken for a drive in a
//! URI.)

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fluent_uri::pct_enc::{EString, encoder};
use tower_lsp_server::ls_types::Uri;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileKey {
    /// A file: its absolute path in normal form, names separated by `/`
    /// (`/ws/a.nmk`, `C:/Users/x/a.nmk`).
    Path(Arc<str>),
    /// Any other document: its normalised URI (`untitled:Untitled-1`).
    Uri(Arc<str>),
}

impl FileKey {
    /// The document a URI names. Never fails: what is not a file is an
    /// opaque document.
    pub fn from_uri(uri: &Uri) -> Self {
        match file_path(uri) {
            Some(path) => Self::Path(path.into()),
            None => Self::Uri(uri.normalize().as_str().into()),
        }
    }

    /// The file at an absolute path of this system (`None` for a relative
    /// path).
    pub fn from_path(path: &Path) -> Option<Self> {
        if !path.is_absolute() {
            return None;
        }
        normal_path(&path.to_string_lossy(), cfg!(windows)).map(|path| Self::Path(path.into()))
    }

    /// The name the workspace gives the document. Names of files and of
    /// other documents never collide: a URI starts with its scheme, a path
    /// with `/` or a capital drive letter (schemes are lowercased).
    pub fn name(&self) -> &Arc<str> {
        match self {
            Self::Path(name) | Self::Uri(name) => name,
        }
    }

    pub fn into_name(self) -> Arc<str> {
        match self {
            Self::Path(name) | Self::Uri(name) => name,
        }
    }

    /// The URI to send for the document when the client has not named it
    /// (a file it has not opened): `file:///C:/Users/x/a%20b.nmk`.
    pub fn to_uri(&self) -> Option<Uri> {
        match self {
            Self::Path(path) => path_uri_text(path).parse().ok(),
            Self::Uri(uri) => uri.parse().ok(),
        }
    }

    /// The path to read the file from on this system, if the document is a
    /// file here (`C:/x` is not on Linux, nor `/x` on Windows).
    pub fn to_path(&self) -> Option<PathBuf> {
        match self {
            Self::Path(path) => Some(PathBuf::from(&**path)).filter(|path| path.is_absolute()),
            Self::Uri(_) => None,
        }
    }
}

/// The `file:` URI of a path in normal form ([`FileKey::Path`]'s name),
/// as text. Every character that a URI's path may not hold is escaped, so
/// the text is a valid URI.
pub fn path_uri_text(path: &str) -> String {
    UriText::of_path(path).to_string()
}

/// A URI as text, made whole only when it has to be: most paths need no
/// escape, and their URI is the path behind `file://`. Answers that name
/// thousands of files then copy each path once, into the JSON.
#[derive(Debug)]
pub enum UriText<'a> {
    /// `file://`, then this absolute path, which needs no escape.
    FilePath(&'a str),
    Whole(Cow<'a, str>),
}

impl<'a> UriText<'a> {
    /// The URI of a path in normal form (see [`path_uri_text`]).
    pub fn of_path(path: &'a str) -> Self {
        // Most paths need no escape: skip the encoder, which goes a
        // character at a time.
        let plain = |b: u8| b.is_ascii_alphanumeric() || b"/-._~".contains(&b);
        let uri = if path.starts_with('/') && path.bytes().all(plain) {
            UriText::FilePath(path)
        } else {
            let mut encoded = EString::<encoder::Path>::new();
            encoded.encode_str::<encoder::Path>(path.strip_prefix('/').unwrap_or(path));
            UriText::Whole(format!("file:///{}", encoded.as_str()).into())
        };
        debug_assert!(uri.to_string().parse::<Uri>().is_ok(), "{uri}");
        uri
    }

    /// Writes the URI as a JSON string.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            // Letters, digits and `/-._~` need no escape in JSON either.
            UriText::FilePath(path) => {
                out.extend_from_slice(b"\"file://");
                out.extend_from_slice(path.as_bytes());
                out.push(b'"');
                Ok(())
            }
            UriText::Whole(uri) => serde_json::to_writer(out, uri),
        }
    }
}

impl fmt::Display for UriText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UriText::FilePath(path) => write!(f, "file://{path}"),
            UriText::Whole(uri) => f.write_str(uri),
        }
    }
}

/// The normal path of a `file:` URI that names a local file.
fn file_path(uri: &Uri) -> Option<String> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file")
        || uri.query().is_some()
        || uri.fragment().is_some()
    {
        return None;
    }
    if let Some(authority) = uri.authority() {
        let host = authority.host();
        let local = host.is_empty() || host.eq_ignore_ascii_case("localhost");
        if !local || authority.userinfo().is_some() || authority.port().is_some() {
            return None;
        }
    }
    normal_path(&uri.path().decode().to_string().ok()?, true)
}

/// An absolute path in normal form, or `None` when it is not absolute.
/// It takes a URI's decoded path (`/ws/a.nmk`, `/c:/x/a.nmk`) and a path
/// of this system. With `drives` (Windows paths, and URIs) a path may
/// start with a drive letter, after which `\` separates names as `/` does.
fn normal_path(path: &str, drives: bool) -> Option<String> {
    let drive = drives
        .then(|| split_drive(path.strip_prefix('/').unwrap_or(path)))
        .flatten();
    let (drive, rest) = match drive {
        Some((letter, rest)) => (Some(letter), rest),
        None => (None, path.strip_prefix('/')?),
    };
    let separators: &[char] = if drive.is_some() {
        &['/', '\\']
    } else {
        &['/']
    };
    let mut names: Vec<&str> = Vec::new();
    for name in rest.split(separators) {
        match name {
            "" | "." => {}
            // Above the root is the root, as in a shell.
            ".." => {
                names.pop();
            }
            name => names.push(name),
        }
    }
    let mut normal = String::with_capacity(path.len());
    if let Some(letter) = drive {
        normal.push(letter.to_ascii_uppercase());
        normal.push(':');
    }
    normal.push('/');
    normal.push_str(&names.join("/"));
    Some(normal)
}

/// `c:/rest` → (`c`, `/rest`), for a drive letter alone or followed by a
/// separator.
fn split_drive(path: &str) -> Option<(char, &str)> {
    let mut chars = path.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    let rest = chars.as_str().strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with(['/', '\\'])).then_some((letter, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uri: &str) -> FileKey {
        FileKey::from_uri(&uri.parse().unwrap())
    }

    fn path(name: &str) -> FileKey {
        FileKey::Path(name.into())
    }

    #[test]
    fn aliases_of_a_file_are_one_key() {
        for alias in [
            "file:///ws/a.nmk",
            "file:///ws/./a.nmk",
            "file:///ws//a.nmk",
            "file:///ws/sub/../a.nmk",
            "file:///../ws/a.nmk",
            "FILE:///ws/a.nmk",
            "file://localhost/ws/a.nmk",
            "file://LocalHost/ws/a.nmk",
            "file:///ws/%61.nmk",
            "file:///ws%2Fa.nmk",
            "file:///ws/%2E/a.nmk",
        ] {
            assert_eq!(key(alias), path("/ws/a.nmk"), "{alias}");
        }
        assert_eq!(key("file:///ws/"), path("/ws"));
        assert_eq!(key("file:///"), path("/"));
    }

    #[test]
    fn windows_drive_letters_are_one_key_in_any_case_and_encoding() {
        for alias in [
            "file:///c%3A/Users/x/a.nmk",
            "file:///C%3a/Users/x/a.nmk",
            "file:///c:/Users/x/a.nmk",
            "file:///C:/Users/x/a.nmk",
            "file:///C:/Users/x/./y/../a.nmk",
            "file:///C:%5CUsers%5Cx%5Ca.nmk",
            "file://localhost/c%3A/Users/x/a.nmk",
        ] {
            assert_eq!(key(alias), path("C:/Users/x/a.nmk"), "{alias}");
        }
        assert_eq!(key("file:///c:"), path("C:/"));
        assert_eq!(key("file:///c:/.."), path("C:/"));
        // Case matters in every other name: that is the file system's call.
        assert_ne!(
            key("file:///C:/users/x/a.nmk"),
            key("file:///C:/Users/x/a.nmk")
        );
    }

    #[test]
    fn keys_come_back_as_valid_file_uris_that_name_them_again() {
        let cases = [
            ("file:///ws/a.nmk", "file:///ws/a.nmk"),
            ("file:///c%3A/Users/x/a.nmk", "file:///C:/Users/x/a.nmk"),
            (
                "file:///tmp/a%20b/%ED%95%9C%25%23%3F.nmk",
                "file:///tmp/a%20b/%ED%95%9C%25%23%3F.nmk",
            ),
            ("untitled:Untitled-1", "untitled:Untitled-1"),
        ];
        for (sent, answered) in cases {
            let uri = key(sent).to_uri().unwrap();
            assert_eq!(uri.as_str(), answered);
            assert_eq!(FileKey::from_uri(&uri), key(sent));
        }
        assert_eq!(
            &**key("file:///tmp/a%20b/%ED%95%9C.nmk").name(),
            "/tmp/a b/한.nmk"
        );
    }

    #[test]
    fn plain_paths_give_the_encoders_uri() {
        let encoded = |path: &str| {
            let mut encoded = EString::<encoder::Path>::new();
            encoded.encode_str::<encoder::Path>(path.strip_prefix('/').unwrap_or(path));
            format!("file:///{}", encoded.as_str())
        };
        let plain = "/ws/AZaz09-._~/a.nmk";
        assert_eq!(path_uri_text(plain), format!("file://{plain}"));
        // Each other character in a path that is plain otherwise: one that
        // the shortcut took by mistake would come out unescaped.
        let others = (0..=127u8).map(char::from).chain(['é', '한', '😀']);
        for other in others.filter(|c| !c.is_ascii_alphanumeric() && !"/-._~".contains(*c)) {
            let path = format!("/ws/a{other}b.nmk");
            assert_eq!(path_uri_text(&path), encoded(&path), "{path:?}");
        }
        assert_eq!(path_uri_text("C:/x/a.nmk"), "file:///C:/x/a.nmk");
    }

    #[test]
    fn other_documents_are_opaque_and_normalised() {
        assert_eq!(
            key("untitled:Untitled-1"),
            FileKey::Uri("untitled:Untitled-1".into())
        );
        assert_eq!(key("UNTITLED:Untitled-1"), key("untitled:Untitled-1"));
        assert_eq!(
            key("vscode-notebook-cell://Host/a/./b.nmk#W0"),
            FileKey::Uri("vscode-notebook-cell://host/a/b.nmk#W0".into())
        );
        // Not local files, or not files at all: kept apart, never read.
        for opaque in [
            "file://server/share/a.nmk",
            "file://user@localhost/a.nmk",
            "file:///a.nmk?x",
            "file:///a.nmk#x",
            "file:///%FF.nmk",
            "file:a.nmk",
            "file:",
        ] {
            let key = key(opaque);
            assert!(matches!(key, FileKey::Uri(_)), "{opaque}: {key:?}");
            assert_eq!(key.to_path(), None);
            assert!(key.to_uri().is_some(), "{opaque}");
        }
    }

    #[test]
    fn paths_of_this_system_are_keys() {
        assert_eq!(FileKey::from_path(Path::new("a.nmk")), None);
        #[cfg(unix)]
        {
            assert_eq!(
                FileKey::from_path(Path::new("/ws/./b/../a.nmk")),
                Some(path("/ws/a.nmk"))
            );
            // A backslash is part of a name on unix.
            assert_eq!(
                FileKey::from_path(Path::new("/ws/a\\b.nmk")),
                Some(path("/ws/a\\b.nmk"))
            );
            assert_eq!(
                path("/ws/a.nmk").to_path(),
                Some(PathBuf::from("/ws/a.nmk"))
            );
            assert_eq!(path("C:/Users/x/a.nmk").to_path(), None);
        }
        #[cfg(windows)]
        {
            assert_eq!(
                FileKey::from_path(Path::new(r"c:\Users\x\a.nmk")),
                Some(path("C:/Users/x/a.nmk"))
            );
            assert_eq!(
                path("C:/Users/x/a.nmk").to_path(),
                Some(PathBuf::from(r"C:\Users\x\a.nmk"))
            );
            assert_eq!(path("/ws/a.nmk").to_path(), None);
        }
    }

    #[test]
    fn drive_letters_need_a_separator_or_nothing_after_them() {
        assert_eq!(normal_path("/c:x", true), Some("/c:x".to_owned()));
        assert_eq!(normal_path("/cd:/x", true), Some("/cd:/x".to_owned()));
        assert_eq!(normal_path("c:\\x\\..\\y", true), Some("C:/y".to_owned()));
        assert_eq!(normal_path("/c:/x", false), Some("/c:/x".to_owned()));
        assert_eq!(normal_path("c:/x", false), None);
        assert_eq!(normal_path("x.nmk", true), None);
        assert_eq!(normal_path("", true), None);
    }
}
