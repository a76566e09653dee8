//! The only way text from files (names, property values, paths, codes)
//! enters the Markdown that hover and completion show. A corpus may be
//! someone else's repository, and editors render this Markdown: a value
//! must not open a link (`[x](command:…)`), an image, raw HTML or a new
//! block. Links are made only to `http`/`https` URLs and Wikidata Q-ids.

/// `text` as plain Markdown text: every character that could start inline
/// markup is backslash-escaped, line breaks and other control characters
/// become spaces, and what would start a block at the start of a line
/// (`# `, `- `, `1. `, `> `, `===`) is escaped too.
pub fn text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut leading_digits = true;
    for (i, c) in text.chars().enumerate() {
        let starts_block = i == 0 && matches!(c, '-' | '+' | '=');
        let ends_list_number = leading_digits && i > 0 && c == '.';
        leading_digits &= c.is_ascii_digit();
        if c.is_control() {
            escaped.push(' ');
            continue;
        }
        if starts_block
            || ends_list_number
            || matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '['
                    | ']'
                    | '('
                    | ')'
                    | '<'
                    | '>'
                    | '#'
                    | '!'
                    | '&'
                    | '|'
                    | '~'
            )
        {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `text` as an inline code span that it cannot close: the fence is longer
/// than any run of backticks inside, and line breaks become spaces.
pub fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space on each side keeps a backtick at either end from joining the
    // fence; the renderer strips one space from each side.
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `text` (lines of a file) as a fenced code block it cannot close: the
/// fence is longer than any run of backticks inside. Line breaks become
/// LF and other control characters spaces.
pub fn code_block(text: &str) -> String {
    let lines: Vec<String> = (text.lines())
        .flat_map(|line| line.split('\r'))
        .map(|line| {
            line.chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect()
        })
        .collect();
    let longest_run = (lines.iter())
        .flat_map(|line| line.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest_run + 1).max(3));
    format!("{fence}newsmark\n{}\n{fence}", lines.join("\n"))
}

/// A link to `url` reading `label`, when `url` is an `http`/`https` URL;
/// otherwise `url` as plain text.
pub fn link(label: &str, url: &str) -> String {
    match web_url(url) {
        // A parenthesis could end the destination in some renderers.
        Some(target) => format!(
            "[{}]({})",
            self::text(label),
            target.replace('(', "%28").replace(')', "%29")
        ),
        None => self::text(url),
    }
}

/// `Wikidata Q…`, linked to its Wikidata page when `id` is a Q-id;
/// otherwise as plain text.
pub fn wikidata_link(id: &str) -> String {
    let label = format!("Wikidata {id}");
    match wikidata_url(id) {
        Some(target) => format!("[{}]({target})", text(&label)),
        None => text(&label),
    }
}

/// `value` as a link target when it is an `http`/`https` URL with a host,
/// with the characters that URIs may not hold percent-encoded, as browsers
/// do: spaces and controls, `"`, `<`, `>`, `\`, `^`, backticks, `{`, `|`,
/// `}` and non-ASCII (Hangul in a Wikipedia address). None of these can
/// end a Markdown link destination either, but parentheses can: [`link`]
/// encodes those too.
pub fn web_url(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        || host.is_empty()
    {
        return None;
    }
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_graphic()
            && !matches!(
                byte,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(encoded)
}

/// The Wikidata page of `id` when it is a Q-id (`Q` and a number without
/// leading zeros).
pub fn wikidata_url(id: &str) -> Option<String> {
    let digits = id.strip_prefix('Q')?;
    let valid = digits.starts_with(|c: char| matches!(c, '1'..='9'))
        && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| format!("https://www.wikidata.org/wiki/{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(
            text("Sergey Lavrov, Jean-Luc 2.0"),
            "Sergey Lavrov, Jean-Luc 2.0"
        );
        assert_eq!(code("entities/people.nmk"), "`entities/people.nmk`");
    }

    #[test]
    fn text_cannot_open_links_images_or_html() {
        assert_eq!(text(")[x](command:foo)"), r"\)\[x\]\(command:foo\)");
        assert_eq!(
            text("<img src=x onerror=alert(1)>"),
            r"\<img src=x onerror=alert\(1\)\>"
        );
        assert_eq!(
            text("![i](x) &amp; *a* _b_ ~c~ |d| `e` \\"),
            r"\!\[i\]\(x\) \&amp; \*a\* \_b\_ \~c\~ \|d\| \`e\` \\"
        );
    }

    #[test]
    fn text_cannot_start_a_block() {
        assert_eq!(
            text("a\n\n# heading\r\n[x](y)"),
            r"a  \# heading  \[x\]\(y\)"
        );
        assert_eq!(text("# heading"), r"\# heading");
        assert_eq!(text("- item"), r"\- item");
        assert_eq!(text("+ item"), r"\+ item");
        assert_eq!(text("==="), r"\===");
        assert_eq!(text("> quote"), r"\> quote");
        assert_eq!(text("12. item"), r"12\. item");
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("x``)[x](command:foo)"), "```x``)[x](command:foo)```");
        assert_eq!(code("`start"), "`` `start ``");
        assert_eq!(code("end`"), "`` end` ``");
        assert_eq!(code("a\n\n# b"), "`a  # b`");
    }

    #[test]
    fn only_web_urls_link() {
        assert_eq!(
            link("example.org", "https://example.org/a"),
            "[example.org](https://example.org/a)"
        );
        assert_eq!(link("x", "javascript:alert(1)"), r"javascript:alert\(1\)");
        assert_eq!(link("x", "file:///etc/passwd"), "file:///etc/passwd");
        assert_eq!(
            link("x", "data:text/html,<script>alert(1)</script>"),
            r"data:text/html,\<script\>alert\(1\)\</script\>"
        );
        assert_eq!(link("x", "command:foo"), "command:foo");
        assert_eq!(link("x", "https://"), "https://");
        assert_eq!(
            link("x", "javascript://example.org/%0aalert(1)"),
            r"javascript://example.org/%0aalert\(1\)"
        );
    }

    #[test]
    fn link_targets_cannot_be_ended_from_inside() {
        assert_eq!(
            link("a", "https://a.org/x)[y](command:foo)"),
            "[a](https://a.org/x%29[y]%28command:foo%29)"
        );
        assert_eq!(
            link("a", "https://a.org/a b\"c'<d>`e\\"),
            "[a](https://a.org/a%20b%22c'%3Cd%3E%60e%5C)"
        );
        assert_eq!(
            link("a", "https://ko.wikipedia.org/wiki/최"),
            "[a](https://ko.wikipedia.org/wiki/%EC%B5%9C)"
        );
        assert_eq!(
            link("a](command:x) [b", "https://a.org"),
            r"[a\]\(command:x\) \[b](https://a.org)"
        );
    }

    #[test]
    fn document_link_targets_keep_parentheses() {
        assert_eq!(
            web_url("https://en.wikipedia.org/wiki/John_Kirby_(admiral)").as_deref(),
            Some("https://en.wikipedia.org/wiki/John_Kirby_(admiral)")
        );
        assert_eq!(
            web_url("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(
            web_url("HTTPS://example.org?a=1#c").as_deref(),
            Some("HTTPS://example.org?a=1#c")
        );
        assert_eq!(web_url("https:///etc/passwd"), None);
    }

    #[test]
    fn only_q_ids_link_to_wikidata() {
        assert_eq!(
            wikidata_link("Q7747"),
            "[Wikidata Q7747](https://www.wikidata.org/wiki/Q7747)"
        );
        assert_eq!(
            wikidata_link("Q1) [x](command:y"),
            r"Wikidata Q1\) \[x\]\(command:y"
        );
        for not_an_id in ["Q", "Q0", "Q012", "q5", "P31", "Q5 ", "Q٣"] {
            assert_eq!(wikidata_url(not_an_id), None, "{not_an_id}");
        }
    }
}
