//! `--format inception`: UIMA CAS XMI, the lossless format INCEpTION
//! recommends (its "UIMA CAS XMI (XML 1.1)"). For each article
//! `<path>.xmi`, mirroring the workspace's folders, and one
//! `TypeSystem.xml` at the top that declares every type they use, as
//! DKPro Core's XmiWriter lays out the files INCEpTION exports.
//!
//! `begin` and `end` count UTF-16 code units (UIMA's offsets index Java
//! strings: an emoji counts two), end exclusive; a comment opening the
//! root of each file says so. The text is the `sofaString` of the initial
//! view.
//!
//! - `DocumentMetaData` over the whole text: `documentId` (the path),
//!   `documentTitle` (the front matter's `title`, else the file name) and
//!   `language` (the front matter's, when it has one);
//! - `webanno.custom.FrontMatter` (a document-level layer: `key`, `value`)
//!   for each front matter property, in order;
//! - `Sentence` for each line of the text (a paragraph or a heading), so
//!   no mark crosses one, and `Token` for each run of non-space
//!   characters, cut where a mark starts or ends, so every mark covers
//!   whole tokens (INCEpTION's span layers snap to tokens);
//! - `NamedEntity` for each mention: `value` its entity's kind (`Entity`
//!   when unknown), `identifier` its Wikidata IRI when it has one (the
//!   form INCEpTION's entity linking writes), `entity` the Newsmark id;
//! - `webanno.custom.Claim` for each claim (`label`, `quote`, `hedged`, and
//!   `sources` as written: `@jon via @kcna, @us`), each later part of a
//!   split quote (linked `PartOf` the first), `webanno.custom.Quoted` and
//!   `webanno.custom.HedgeCue` for its quoted and hedging words;
//! - relation layers (`Governor`, `Dependent`; offsets the dependent's, as
//!   INCEpTION sets them): `AttributedTo` (claim → mention: attached to
//!   any span layer), `Via` (mention → mention), `Denies`, `Confirms`,
//!   `Disputes` and `PartOf` (claim → claim); see
//!   [`crate::export::relations`].
//!
//! XML 1.1 holds any character but NUL, U+FFFE and U+FFFF, which are
//! written as U+FFFD (one UTF-16 unit too, so no offset moves) with a
//! warning. Control characters are character references; the C0 ones
//! exist only in XML 1.1, so parsers that read XML 1.0 only (libxml2, and
//! dkpro-cassis through it) refuse a text that has them.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::Span;
use newsmark_syntax::QuoteKind;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use crate::export::relations::{Kind, Node, relations};
use crate::export::utf16::Utf16;
use crate::export::{Article, written_sources};

/// The type system file beside the `.xmi` files.
pub const TYPE_SYSTEM: &str = "TypeSystem.xml";

/// The comment that opens each `.xmi` file (no `--format`: a comment
/// cannot hold two hyphens in a row).
pub const OFFSET_NOTE: &str = " Written by newsmark export, format inception. begin and end count UTF-16 code units, as UIMA's Java strings do (an emoji counts two), end exclusive. ";

pub const DOCUMENT_META_DATA: &str =
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData";
pub const SENTENCE: &str = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence";
pub const TOKEN: &str = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token";
pub const NAMED_ENTITY: &str = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";
/// The namespace of INCEpTION's custom layers.
pub const CUSTOM: &str = "webanno.custom";
pub const FRONT_MATTER: &str = "webanno.custom.FrontMatter";
pub const CLAIM: &str = "webanno.custom.Claim";
pub const QUOTED: &str = "webanno.custom.Quoted";
pub const HEDGE_CUE: &str = "webanno.custom.HedgeCue";
/// The relation linking a later part of a split quote to the first.
pub const PART_OF: &str = "PartOf";
/// A relation layer's features: where it starts and where it points.
pub const GOVERNOR: &str = "Governor";
pub const DEPENDENT: &str = "Dependent";

const ANNOTATION: &str = "uima.tcas.Annotation";
const STRING: &str = "uima.cas.String";
const XMI_NS: &str = "http://www.omg.org/XMI";

/// The XML namespace UIMA gives a type namespace: `a.b` is `http:///a/b.ecore`.
pub fn namespace_uri(namespace: &str) -> String {
    format!("http:///{}.ecore", namespace.replace('.', "/"))
}

/// The prefixes the files use, by type namespace.
const PREFIXES: [(&str, &str); 5] = [
    ("uima.cas", "cas"),
    ("de.tudarmstadt.ukp.dkpro.core.api.metadata.type", "type"),
    (
        "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type",
        "type2",
    ),
    ("de.tudarmstadt.ukp.dkpro.core.api.ner.type", "type3"),
    (CUSTOM, "custom"),
];

/// The element name of a type: its namespace's prefix and its short name.
fn element(type_name: &str) -> String {
    let (namespace, name) = type_name.rsplit_once('.').unwrap_or(("", type_name));
    let prefix = PREFIXES
        .iter()
        .find(|(ns, _)| *ns == namespace)
        .map_or("cas", |(_, prefix)| prefix);
    format!("{prefix}:{name}")
}

/// The full name of a custom relation layer.
pub fn relation_type(name: &str) -> String {
    format!("{CUSTOM}.{name}")
}

/// The files of the export, at their paths below `folder`, and a warning
/// for each article whose text has characters XML cannot hold.
pub fn files(
    folder: &Path,
    articles: &[Article],
) -> (Vec<(PathBuf, Cow<'static, str>)>, Vec<String>) {
    let mut files = vec![(folder.join(TYPE_SYSTEM), Cow::Owned(type_system()))];
    let mut warnings = Vec::new();
    for article in articles {
        let unwritable = (article.document.text.chars())
            .chain(
                article
                    .front_matter
                    .iter()
                    .flat_map(|(k, v)| k.chars().chain(v.chars())),
            )
            .filter(|&c| is_unwritable(c))
            .count();
        if unwritable > 0 {
            warnings.push(format!(
                "{}: {} (NUL, U+FFFE or U+FFFF) that XML cannot hold, written as U+FFFD",
                article.path,
                crate::output::plural(unwritable, "character")
            ));
        }
        files.push((
            folder.join(format!("{}.xmi", article.stem())),
            Cow::Owned(xmi(article)),
        ));
    }
    (files, warnings)
}

/// Characters no XML document can hold, even as references.
fn is_unwritable(c: char) -> bool {
    matches!(c, '\0' | '\u{fffe}' | '\u{ffff}')
}

/// `text` as an XML 1.1 attribute value: quick-xml escapes markup and
/// quotes; line breaks and tabs (which attribute-value normalisation would
/// turn into spaces), the control characters (which XML 1.1 allows only as
/// references) and NEL and U+2028 (which an XML 1.1 parser reads as line
/// breaks) become character references.
fn attribute_value(text: &str) -> String {
    let escaped = quick_xml::escape::escape(text);
    let mut out = String::with_capacity(escaped.len());
    for c in escaped.chars() {
        if is_unwritable(c) {
            out.push('\u{fffd}');
        } else if c.is_control() || c == '\u{2028}' {
            let _ = write!(out, "&#{};", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A feature structure: its element with `xmi:id` and the features given.
struct Fs {
    start: BytesStart<'static>,
}

impl Fs {
    fn new(type_name: &str, id: usize) -> Self {
        let mut start = BytesStart::new(element(type_name));
        start.push_attribute(("xmi:id", id.to_string().as_str()));
        Fs { start }
    }

    fn set(mut self, feature: &str, value: &str) -> Self {
        self.start.push_attribute(Attribute {
            key: QName(feature),
            value: Cow::Owned(attribute_value(value)),
        });
        self
    }
}

/// One `.xmi` document being written.
struct Document<'a> {
    units: Utf16,
    /// Every feature structure but the sofa, in order; `xmi:id`s count
    /// from 2 (0 is `cas:NULL`, 1 the sofa).
    structures: Vec<Fs>,
    article: &'a Article,
}

impl Document<'_> {
    fn next_id(&self) -> usize {
        self.structures.len() + 2
    }

    /// Adds an annotation over characters `start..end`; its `xmi:id`.
    fn annotation(
        &mut self,
        type_name: &str,
        start: usize,
        end: usize,
        features: &[(&str, &str)],
    ) -> usize {
        let id = self.next_id();
        let mut fs = Fs::new(type_name, id)
            .set("sofa", "1")
            .set("begin", &self.units.at(start).to_string())
            .set("end", &self.units.at(end).to_string());
        for (feature, value) in features {
            fs = fs.set(feature, value);
        }
        self.structures.push(fs);
        id
    }

    /// Adds a relation from `governor` to `dependent` (`xmi:id`s), over
    /// the dependent's characters.
    fn relation(
        &mut self,
        name: &str,
        governor: usize,
        dependent: usize,
        (start, end): (usize, usize),
    ) {
        let (governor, dependent) = (governor.to_string(), dependent.to_string());
        self.annotation(
            &relation_type(name),
            start,
            end,
            &[(GOVERNOR, &governor), (DEPENDENT, &dependent)],
        );
    }
}

/// The `.xmi` file of one article.
pub fn xmi(article: &Article) -> String {
    let document = &article.document;
    let mut doc = Document {
        units: Utf16::new(&document.text),
        structures: Vec::new(),
        article,
    };
    let front = |key: &str| {
        (article.front_matter.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let file_name = article.path.rsplit('/').next().unwrap_or(&article.path);
    let mut metadata = vec![
        ("documentTitle", front("title").unwrap_or(file_name)),
        ("documentId", article.path.as_str()),
        ("isLastSegment", "false"),
    ];
    if let Some(language) = front("language") {
        metadata.insert(0, ("language", language));
    }
    let length = document.text.chars().count();
    doc.annotation(DOCUMENT_META_DATA, 0, length, &metadata);
    for (key, value) in &article.front_matter {
        let id = doc.next_id();
        doc.structures.push(
            Fs::new(FRONT_MATTER, id)
                .set("sofa", "1")
                .set("key", key)
                .set("value", value),
        );
    }
    for (start, end) in lines(&document.text) {
        doc.annotation(SENTENCE, start, end, &[]);
    }
    for (start, end) in tokens(article) {
        doc.annotation(TOKEN, start, end, &[]);
    }

    let mut mention_ids = Vec::with_capacity(document.mentions.len());
    for mention in &document.mentions {
        let entity = article.entity(&mention.id);
        let iri = entity
            .and_then(|e| e.wikidata.as_deref())
            .map(|q| format!("http://www.wikidata.org/entity/{q}"));
        let mut features = vec![("value", article.kind_of(&mention.id))];
        if let Some(iri) = &iri {
            features.push(("identifier", iri.as_str()));
        }
        features.push(("entity", mention.id.as_str()));
        mention_ids.push(doc.annotation(NAMED_ENTITY, mention.start, mention.end, &features));
    }
    let mut claim_ids = Vec::with_capacity(document.claims.len());
    for claim in &document.claims {
        let sources = written_sources(claim).join(", ");
        let mut features = Vec::new();
        if let Some(label) = &claim.label {
            features.push(("label", label.as_str()));
        }
        if claim.quote != QuoteKind::None {
            features.push(("quote", claim.quote.word()));
        }
        if !claim.hedges.is_empty() {
            features.push(("hedged", "true"));
        }
        if !sources.is_empty() {
            features.push(("sources", sources.as_str()));
        }
        claim_ids.push(doc.annotation(CLAIM, claim.start, claim.end, &features));
    }
    // Each claim's parts, quoted and hedging words, after every claim.
    let mut parts = Vec::new();
    for (claim, &claim_id) in document.claims.iter().zip(&claim_ids) {
        let mut spans = |type_name: &str, spans: &[Span]| {
            for span in spans {
                let id = doc.annotation(type_name, span.start, span.end, &[]);
                if type_name == CLAIM {
                    parts.push((id, claim_id, (claim.start, claim.end)));
                }
            }
        };
        spans(CLAIM, &claim.parts);
        spans(QUOTED, &claim.fragments);
        spans(HEDGE_CUE, &claim.hedges);
    }
    for link in relations(document) {
        let node = |node: Node| match node {
            Node::Mention(i) => (
                mention_ids[i],
                (document.mentions[i].start, document.mentions[i].end),
            ),
            Node::Claim(i) => (
                claim_ids[i],
                (document.claims[i].start, document.claims[i].end),
            ),
        };
        let ((governor, _), (dependent, span)) = (node(link.from), node(link.to));
        doc.relation(link.kind.name(), governor, dependent, span);
    }
    for (part, first, span) in parts {
        doc.relation(PART_OF, part, first, span);
    }
    write_xmi(doc)
}

/// The lines of a plain text that are not empty, in characters: its
/// paragraphs and headings (read from the text, so that what the text
/// holds decides, as it does on import).
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (at, c) in text.chars().chain(['\n']).enumerate() {
        if c == '\n' {
            if at > start {
                lines.push((start, at));
            }
            start = at + 1;
        }
    }
    lines
}

/// The tokens of an article: runs of non-space characters of its blocks,
/// cut where a mark starts or ends.
fn tokens(article: &Article) -> Vec<(usize, usize)> {
    let document = &article.document;
    let mut cuts = BTreeSet::new();
    let mut cut = |start: usize, end: usize| {
        cuts.insert(start);
        cuts.insert(end);
    };
    for mention in &document.mentions {
        cut(mention.start, mention.end);
    }
    for claim in &document.claims {
        cut(claim.start, claim.end);
        for span in claim
            .parts
            .iter()
            .chain(&claim.fragments)
            .chain(&claim.hedges)
        {
            cut(span.start, span.end);
        }
    }
    let mut tokens = Vec::new();
    let mut start = None;
    for (at, c) in document.text.chars().chain([' ']).enumerate() {
        if start.is_some() && (c.is_whitespace() || cuts.contains(&at)) {
            tokens.extend(start.take().map(|s| (s, at)));
        }
        if start.is_none() && !c.is_whitespace() {
            start = Some(at);
        }
    }
    tokens
}

fn write_xmi(doc: Document) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut event = |event: Event| writer.write_event(event).expect("writing to memory");
    event(Event::Decl(BytesDecl::new("1.1", Some("UTF-8"), None)));
    let mut root = BytesStart::new("xmi:XMI");
    root.push_attribute(("xmlns:xmi", XMI_NS));
    for (namespace, prefix) in PREFIXES {
        root.push_attribute((
            format!("xmlns:{prefix}").as_str(),
            namespace_uri(namespace).as_str(),
        ));
    }
    root.push_attribute(("xmi:version", "2.0"));
    event(Event::Start(root));
    // Inside the root: dkpro-cassis fails on anything beside it.
    event(Event::Comment(BytesText::from_escaped(OFFSET_NOTE)));
    event(Event::Empty(Fs::new("uima.cas.NULL", 0).start));
    let members: Vec<String> = (2..doc.next_id()).map(|id| id.to_string()).collect();
    let sofa = Fs::new("uima.cas.Sofa", 1)
        .set("sofaNum", "1")
        .set("sofaID", "_InitialView")
        .set("mimeType", "text/plain")
        .set("sofaString", &doc.article.document.text);
    event(Event::Empty(sofa.start));
    for fs in doc.structures {
        event(Event::Empty(fs.start));
    }
    let mut view = BytesStart::new(element("uima.cas.View"));
    view.push_attribute(("sofa", "1"));
    view.push_attribute(("members", members.join(" ").as_str()));
    event(Event::Empty(view));
    event(Event::End(BytesEnd::new("xmi:XMI")));
    let mut xml = String::from_utf8(writer.into_inner()).expect("the XML written is UTF-8");
    xml.push('\n');
    xml
}

/// A type of the type system: name, supertype, and features with their
/// range types.
type TypeDescription = (String, &'static str, Vec<(&'static str, &'static str)>);

/// Every type the `.xmi` files use that UIMA does not define itself.
fn types() -> Vec<TypeDescription> {
    let mut types: Vec<TypeDescription> = vec![
        (
            DOCUMENT_META_DATA.into(),
            "uima.tcas.DocumentAnnotation",
            vec![
                ("documentTitle", STRING),
                ("documentId", STRING),
                ("documentUri", STRING),
                ("collectionId", STRING),
                ("documentBaseUri", STRING),
                ("isLastSegment", "uima.cas.Boolean"),
            ],
        ),
        (
            FRONT_MATTER.into(),
            "uima.cas.AnnotationBase",
            vec![("key", STRING), ("value", STRING)],
        ),
        (SENTENCE.into(), ANNOTATION, vec![]),
        (TOKEN.into(), ANNOTATION, vec![]),
        (
            NAMED_ENTITY.into(),
            ANNOTATION,
            vec![
                ("value", STRING),
                ("identifier", STRING),
                ("entity", STRING),
            ],
        ),
        (
            CLAIM.into(),
            ANNOTATION,
            vec![
                ("label", STRING),
                ("quote", STRING),
                ("hedged", "uima.cas.Boolean"),
                ("sources", STRING),
            ],
        ),
        (QUOTED.into(), ANNOTATION, vec![]),
        (HEDGE_CUE.into(), ANNOTATION, vec![]),
    ];
    for name in Kind::NAMES.into_iter().chain([PART_OF]) {
        let ends = match name {
            "AttributedTo" => ANNOTATION,
            "Via" => NAMED_ENTITY,
            _ => CLAIM,
        };
        types.push((
            relation_type(name),
            ANNOTATION,
            vec![(GOVERNOR, ends), (DEPENDENT, ends)],
        ));
    }
    types
}

/// `TypeSystem.xml`: a UIMA type system description of [`types`].
pub fn type_system() -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let text = |w: &mut Writer<Vec<u8>>, name: &str, value: &str| {
        w.create_element(name.to_owned())
            .write_text_content(BytesText::new(value))
            .map(|_| ())
    };
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| {
            writer
                .create_element("typeSystemDescription")
                .with_attribute(("xmlns", "http://uima.apache.org/resourceSpecifier"))
                .write_inner_content(|w| {
                    text(w, "description", OFFSET_NOTE.trim())?;
                    w.create_element("types").write_inner_content(|w| {
                        for (name, supertype, features) in types() {
                            w.create_element("typeDescription")
                                .write_inner_content(|w| {
                                    text(w, "name", &name)?;
                                    text(w, "supertypeName", supertype)?;
                                    if features.is_empty() {
                                        return Ok(());
                                    }
                                    w.create_element("features").write_inner_content(|w| {
                                        for (feature, range) in &features {
                                            w.create_element("featureDescription")
                                                .write_inner_content(|w| {
                                                    text(w, "name", feature)?;
                                                    text(w, "rangeTypeName", range)
                                                })?;
                                        }
                                        Ok(())
                                    })?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })
                .map(|_| ())
        })
        .expect("writing to memory");
    let mut xml = String::from_utf8(writer.into_inner()).expect("the XML written is UTF-8");
    xml.push('\n');
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_every_character_xml_can_hold() {
        assert_eq!(
            attribute_value("a<b>&\"c'\t\r\n]]>\u{1}\u{7f}\u{85}\u{2028}\u{ffff}😀"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#9;&#13;&#10;]]&gt;&#1;&#127;&#133;&#8232;\u{fffd}😀"
        );
    }

    #[test]
    fn tokens_are_cut_where_marks_start_and_end() {
        let text = "북한이 said it.";
        let document = newsmark_analysis::export::PlainDocument {
            text: text.into(),
            mentions: vec![newsmark_analysis::export::MentionSpan {
                start: 0,
                end: 2,
                id: "nk".into(),
                text: "북한".into(),
                is_reference: false,
            }],
            ..Default::default()
        };
        let article = Article {
            path: "a.nmk".into(),
            file: "a.nmk".into(),
            text: text.into(),
            front_matter: Vec::new(),
            summary: Default::default(),
            document: document.into(),
            entities: Vec::new(),
        };
        assert_eq!(tokens(&article), [(0, 2), (2, 3), (4, 8), (9, 12)]);
    }
}
