//! Reading UIMA CAS XMI, XML 1.0 or 1.1, with quick-xml: the sofas (the
//! texts), the views and every other feature structure with its features
//! as strings, each with the line it starts on. What the structures mean
//! is [`super::inception`]'s business.
//!
//! Element names are resolved through their namespaces, as UIMA writes
//! them (`http:///a/b.ecore` is the type namespace `a.b`), so any prefix
//! works. Attribute values are normalised as the document's XML version
//! says (character references kept as they are, so `&#10;` is a line
//! break); a feature written as child elements (UIMA's multi-valued
//! features) gets the text of each, separated by spaces. No DTD is read,
//! and no entity but XML's five is expanded.

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;

const XMI_NS: &str = "http://www.omg.org/XMI";

/// A sofa: a view's subject of analysis.
#[derive(Debug)]
pub struct Sofa {
    pub id: String,
    /// `sofaID`: `_InitialView` for the text INCEpTION annotates.
    pub name: String,
    pub text: Option<String>,
    pub line: usize,
}

/// The feature structures indexed in a sofa's view.
#[derive(Debug)]
pub struct View {
    pub sofa: String,
    pub members: Vec<String>,
}

/// A feature structure other than a sofa or a view.
#[derive(Debug)]
pub struct Structure {
    pub id: String,
    /// Its UIMA type, `de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity`.
    pub type_name: String,
    pub features: BTreeMap<String, String>,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Cas {
    pub sofas: Vec<Sofa>,
    pub views: Vec<View>,
    pub structures: Vec<Structure>,
}

/// Why a file is no XMI, and where.
#[derive(Debug)]
pub struct XmlError {
    pub line: usize,
    pub message: String,
}

/// The type namespace of an XML namespace: `http:///a/b.ecore` is `a.b`;
/// `uima.noNamespace` types have none.
fn type_namespace(uri: &str) -> Option<String> {
    let path = uri.strip_prefix("http:///")?.strip_suffix(".ecore")?;
    Some(if path == "uima/noNamespace" {
        String::new()
    } else {
        path.replace('/', ".")
    })
}

/// Line numbers of byte offsets, counted on from the last one asked
/// (offsets only grow): LF, CRLF and a lone CR each end a line.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        for i in self.at..offset {
            match self.text[i] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(i + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.at = self.at.max(offset);
        self.line
    }
}

/// Reads an XMI document.
pub fn read(text: &str) -> Result<Cas, XmlError> {
    let mut reader = NsReader::from_str(text);
    let mut lines = Lines {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let mut cas = Cas::default();
    let mut version = XmlVersion::Implicit1_0;
    let mut depth = 0;
    let mut root = false;
    // The child element being read as a feature: its name and text.
    let mut child: Option<(String, String)> = None;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let error = |reader: &NsReader<&[u8]>, lines: &mut Lines, message: String| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            XmlError {
                line: lines.line(at),
                message,
            }
        };
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((namespace, event)) => (resolved(namespace), event),
            Err(e) => return Err(error(&reader, &mut lines, e.to_string())),
        };
        let line = lines.line(start);
        let at = |message: String| XmlError { line, message };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Decl(decl) => {
                version = decl.xml_version().map_err(|e| at(e.to_string()))?;
            }
            Event::DocType(_) => return Err(at("a DOCTYPE is not read in XMI".into())),
            Event::Start(element) | Event::Empty(element) => {
                depth += 1;
                match depth {
                    1 => {
                        if namespace.as_deref() != Some(XMI_NS)
                            || element.local_name().into_inner() != "XMI"
                        {
                            return Err(at("the root element is not xmi:XMI".into()));
                        }
                        root = true;
                    }
                    2 => {
                        let attributes = attributes(&reader, &element, version).map_err(at)?;
                        let name = element.local_name().into_inner().to_owned();
                        structure(&mut cas, namespace, name, attributes, line).map_err(at)?;
                    }
                    3 => {
                        child = Some((element.local_name().into_inner().to_owned(), String::new()))
                    }
                    _ => {}
                }
                if empty {
                    end_element(&mut cas, &mut depth, &mut child);
                }
            }
            Event::End(_) => end_element(&mut cas, &mut depth, &mut child),
            Event::Text(text) => {
                if let Some((_, value)) = child.as_mut() {
                    value.push_str(&text.xml_content(version));
                }
            }
            Event::CData(data) => {
                if let Some((_, value)) = child.as_mut() {
                    value.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = reference.into_inner();
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| at(format!("unknown entity `&{name};`")))?
                            .to_owned()
                    }
                    Err(e) => return Err(at(e.to_string())),
                };
                if let Some((_, value)) = child.as_mut() {
                    value.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::PI(_) => {}
        }
    }
    if !root {
        return Err(XmlError {
            line: 1,
            message: "no xmi:XMI element".into(),
        });
    }
    Ok(cas)
}

/// The namespace an element is in, as a string.
fn resolved(namespace: ResolveResult) -> Option<String> {
    match namespace {
        ResolveResult::Bound(Namespace(uri)) => Some(uri.to_owned()),
        _ => None,
    }
}

/// Closes the element at `depth`: a child element's text becomes a
/// feature of the structure it is in.
fn end_element(cas: &mut Cas, depth: &mut usize, child: &mut Option<(String, String)>) {
    if *depth == 3
        && let Some((name, value)) = child.take()
        && let Some(structure) = cas.structures.last_mut()
    {
        let values = structure.features.entry(name).or_default();
        if !values.is_empty() {
            values.push(' ');
        }
        values.push_str(&value);
    }
    *depth = depth.saturating_sub(1);
}

/// An element's attributes, normalised, by local name; `xmi:id` as `xmi:id`.
fn attributes(
    reader: &NsReader<&[u8]>,
    element: &BytesStart,
    version: XmlVersion,
) -> Result<BTreeMap<String, String>, String> {
    let mut found = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute: Attribute = attribute.map_err(|e| e.to_string())?;
        let (namespace, local) = reader.resolver().resolve_attribute(attribute.key);
        let value = attribute
            .normalized_value(version)
            .map_err(|e| e.to_string())?
            .into_owned();
        let name = match resolved(namespace) {
            Some(uri) if uri == XMI_NS => format!("xmi:{}", local.into_inner()),
            Some(_) => continue,
            None if attribute.key.into_inner().starts_with("xmlns") => continue,
            None => local.into_inner().to_owned(),
        };
        found.insert(name, value);
    }
    Ok(found)
}

/// Files a top-level element of the XMI as a sofa, a view or a structure.
fn structure(
    cas: &mut Cas,
    namespace: Option<String>,
    name: String,
    mut features: BTreeMap<String, String>,
    line: usize,
) -> Result<(), String> {
    let namespace = namespace
        .as_deref()
        .map_or(Some(String::new()), type_namespace);
    let Some(namespace) = namespace else {
        return Err(format!(
            "the namespace of `{name}` is no UIMA type namespace"
        ));
    };
    let mut take = |key: &str| features.remove(key);
    match (namespace.as_str(), name.as_str()) {
        ("uima.cas", "NULL") => {}
        ("uima.cas", "Sofa") => cas.sofas.push(Sofa {
            id: take("xmi:id").ok_or("a sofa has no xmi:id")?,
            name: take("sofaID").unwrap_or_default(),
            text: take("sofaString"),
            line,
        }),
        ("uima.cas", "View") => cas.views.push(View {
            sofa: take("sofa").unwrap_or_default(),
            members: (take("members").unwrap_or_default().split_whitespace())
                .map(str::to_owned)
                .collect(),
        }),
        _ => {
            let type_name = match namespace.as_str() {
                "" => name,
                namespace => format!("{namespace}.{name}"),
            };
            let id = take("xmi:id").ok_or_else(|| format!("`{type_name}` has no xmi:id"))?;
            cas.structures.push(Structure {
                id,
                type_name,
                features,
                line,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XMI: &str = "<?xml version=\"1.1\" encoding=\"UTF-8\"?>\n<x:XMI xmlns:x=\"http://www.omg.org/XMI\" xmlns:c=\"http:///uima/cas.ecore\" xmlns:n=\"http:///de/ner.ecore\">\n  <c:NULL x:id=\"0\"/>\n  <n:NamedEntity x:id=\"2\" sofa=\"1\" begin=\"0\" end=\"3\" value=\"a&#10;b\tc&#1;&#x85;\"><tags>x &amp; y</tags><tags><![CDATA[<z>]]></tags></n:NamedEntity>\n  <c:Sofa x:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" sofaString=\"Bob&#13;&#10;\"/>\n  <c:View sofa=\"1\" members=\"2\"/>\n</x:XMI>\n";

    #[test]
    fn structures_sofas_and_views_with_their_features_and_lines() {
        let cas = read(XMI).unwrap();
        assert_eq!(cas.sofas.len(), 1);
        assert_eq!(cas.sofas[0].text.as_deref(), Some("Bob\r\n"));
        assert_eq!(
            (cas.sofas[0].name.as_str(), cas.sofas[0].line),
            ("_InitialView", 5)
        );
        assert_eq!(cas.views[0].members, ["2"]);
        let [entity] = &cas.structures[..] else {
            panic!("{:?}", cas.structures)
        };
        assert_eq!(entity.type_name, "de.ner.NamedEntity");
        assert_eq!(entity.line, 4);
        // XML 1.1: references kept, a literal tab normalised to a space.
        assert_eq!(entity.features["value"], "a\nb c\u{1}\u{85}");
        assert_eq!(entity.features["tags"], "x & y <z>");
    }

    #[test]
    fn what_is_no_xmi_is_an_error_with_its_line() {
        let error = |text: &str| {
            let error = read(text).unwrap_err();
            (error.line, error.message)
        };
        let (line, message) = error(
            "<a:XMI xmlns:a=\"http://www.omg.org/XMI\">\n<b:T xmlns:b=\"http:///x.ecore\" a:id=\"1\">\n</a:XMI>",
        );
        assert_eq!(line, 3, "{message}");
        assert_eq!(
            error("<a:XMI xmlns:a=\"http://www.omg.org/XMI\">\n<b/></a:XMI>").1,
            "`b` has no xmi:id"
        );
        assert_eq!(error("<XMI/>").1, "the root element is not xmi:XMI");
        assert_eq!(error("").1, "no xmi:XMI element");
        let (line, message) =
            error("<a:XMI xmlns:a=\"http://www.omg.org/XMI\">\n<a:X a=\"&bomb;\"/></a:XMI>");
        assert!(line == 2 && message.contains("bomb"), "{line} {message}");
        let (line, _) = error("<!DOCTYPE x [<!ENTITY a \"b\">]>\n<x/>");
        assert_eq!(line, 1);
        let (line, message) = error(
            "<a:XMI xmlns:a=\"http://www.omg.org/XMI\">\r\r<n:T xmlns:n=\"urn:x\" a:id=\"1\"/></a:XMI>",
        );
        assert_eq!(line, 3, "a lone CR ends a line");
        assert!(message.contains("no UIMA type namespace"), "{message}");
    }
}
