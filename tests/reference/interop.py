"""Reads `newsmark export`'s interchange formats with real consumers and
checks every span against its text in the unit each format states.

- web-annotation: pyld expands each article's JSON-LD (the W3C context is
  served from tests/reference/anno.jsonld; any other URL is refused, so
  nothing is fetched); every TextQuoteSelector's exact, prefix and suffix
  and every TextPositionSelector are checked against the `.txt` beside it,
  in code points.
- label-studio: label-studio-sdk's LabelInterface validates the labeling
  config and every annotation (or prediction) of every task against it,
  relations included; every region's text is the slice of the task's text
  in code points.
- doccano: every entity's text is the UTF-16 slice of the line's text;
  relations name existing entities.
- citron: every span is the code-point slice of the text.
- inception: dkpro-cassis loads every `.xmi` with `TypeSystem.xml`; the
  sofa is the article's text, every annotation's covered text (cassis
  turns UIMA's UTF-16 offsets into code points) is the span the JSON
  lines export gives for it, and every relation's Governor and Dependent
  are the annotations it links. A text with the characters XML escapes
  and the controls XML 1.0 still holds loads too; one with a C0 control,
  which only XML 1.1 can hold, is refused by cassis's XML 1.0 parser
  (libxml2), as docs/interop.md says.
- inception, the other way: cassis writes every export again (XML 1.0,
  its own prefixes and order) and `newsmark import --from inception`
  reads its files into the same articles as ours; a CAS that cassis
  builds from nothing, as an INCEpTION annotator's would be, imports to
  the markup expected.
- spacy: spaCy's Doc.from_json (validating) reads every line of docs.jsonl
  with Newsmark's tokens, which aligns every span to them (strictly);
  every entity and span group has the exported spans, labels, kb_ids and
  texts; every relation of relations.jsonl names a span of the Doc; the
  DocBin route of docs/interop.md, run as written, saves a .spacy file
  that loads back to the same Docs.
- claimreview: pyld expands the JSON-LD (schema.org's context served from
  tests/reference/schemaorg-context.jsonld, an excerpt of it) into
  ClaimReviews with a Claim, a Rating and an author; each claim's offsets
  slice the article's text to the start of the claim reviewed.

Corpora: examples/ (Cyrillic, CRLF), tests/fixtures/workspace (Hangul,
emoji, CRLF) and an article written here with lone CR line ends, the one
with reviews (the examples review no claim: a verdict on their real
claims would be made up).

    python tests/reference/interop.py NEWSMARK_BIN
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import spacy
from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from label_studio_sdk.label_interface import LabelInterface
from lxml.etree import XMLSyntaxError
from pyld import jsonld
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parents[2]
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = json.loads((ROOT / "tests/reference/anno.jsonld").read_text(encoding="utf-8"))
SCHEMA_URLS = ("https://schema.org", "https://schema.org/")
SCHEMA_CONTEXT = json.loads(
    (ROOT / "tests/reference/schemaorg-context.jsonld").read_text(encoding="utf-8")
)
AS = "http://www.w3.org/ns/activitystreams#"
OA = "http://www.w3.org/ns/oa#"
SDO = "http://schema.org/"
NEWSMARK = "https://github.com/newsmark/newsmark/blob/main/docs/interop.md#"

LONE_CR = (
    "---\rtitle: Lone CR\rlanguage: ru\rdate: 2023-10-19\rurl: https://news.example/@desk/lone-cr\r"
    "review: #переговоры Не подтверждено @checker 2023-10-20 https://check.example/a\\@b 2/5\r"
    "review: #회담 Unverified @checker\r---\r\r"
    "🎉 [Сергей Лавров]@lavrov сказал, что {переговоры\rпрошли успешно | @lavrov}#переговоры.\r\r"
    "{“회담은 성공적이었다” | @choe via @kcna}#회담, [조선중앙통신]@kcna reported 😀.\r"
)
# Everything XML escapes or must write as a reference, and the controls
# XML 1.0 holds (DEL, C1 with NEL) and U+2028.
HOSTILE = (
    "---\ntitle: \"A & <b> ]]> \x7f\"\n---\n\n"
    "[Bob]@bob said {it ]]> <x> & \"q\" 's \x7f\x85\u2028\x9f tab\there 😀 | @bob}.\n"
)
HOSTILE_REGISTRY = "@bob: Bob\n  kind: person\n  wikidata: Q1\n"
C0 = "[Bob]@bob said {x\x01y | @bob}.\n"
NER = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CUSTOM = "webanno.custom."
REGISTRY = (
    "@lavrov: Sergey Lavrov\n  kind: person\n  wikidata: Q80447\n\n"
    "@choe: Choe Son Hui\n  kind: person\n\n"
    "@kcna: Korean Central News Agency\n  kind: outlet\n\n"
    "@checker: Example Fact Check\n  kind: org\n  url: https://check.example/\n"
)
# The documented way from docs.jsonl to a .spacy DocBin, run as written.
DOCBIN_ROUTE = re.search(
    r"## spaCy.*?```python\n(.*?)```",
    (ROOT / "docs/interop.md").read_text(encoding="utf-8"),
    re.S,
).group(1)


def loader(url, options=None):
    contexts = {CONTEXT_URL: CONTEXT, **{url: SCHEMA_CONTEXT for url in SCHEMA_URLS}}
    if url not in contexts:
        raise RuntimeError(f"refused to fetch {url}: only the vendored contexts are served")
    return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}


def export(binary, corpus, fmt, out, *extra):
    subprocess.run(
        [binary, "export", "--format", fmt, "--out", str(out), *extra, "."],
        cwd=corpus, check=True, capture_output=True,
    )


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def check_web_annotation(folder):
    annotations = selectors = 0
    for path in sorted(folder.rglob("*.jsonld")):
        document = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        expanded = jsonld.expand(document, {"base": path.as_uri(), "documentLoader": loader})
        [collection] = expanded
        assert collection["@type"] == [AS + "OrderedCollection"], collection["@type"]
        items = collection[AS + "first"][0][AS + "items"][0]["@list"]
        assert len(items) == document["total"], path
        for item in items:
            assert item["@type"] == [OA + "Annotation"], item
            assert item["@id"].startswith(path.as_uri() + "#"), item["@id"]
            for target in item[OA + "hasTarget"]:
                assert target[OA + "hasSource"][0]["@id"] == path.with_suffix(".txt").as_uri()
                found = {}
                for selector in target[OA + "hasSelector"]:
                    found[selector["@type"][0]] = selector
                quote, position = found[OA + "TextQuoteSelector"], found[OA + "TextPositionSelector"]
                start = int(position[OA + "start"][0]["@value"])
                end = int(position[OA + "end"][0]["@value"])
                exact = quote[OA + "exact"][0]["@value"]
                prefix = quote[OA + "prefix"][0]["@value"]
                suffix = quote[OA + "suffix"][0]["@value"]
                assert text[start:end] == exact, (path, start, end, exact)
                assert text[:start].endswith(prefix), (path, prefix)
                assert text[end:].startswith(suffix), (path, suffix)
                selectors += 1
            annotations += 1
        assert document["offsetUnit"] == "Unicode code points"
    return annotations, selectors


def check_label_studio(folder, key):
    interface = LabelInterface((folder / "labeling-config.xml").read_text(encoding="utf-8"))
    interface.validate()
    regions = 0
    for task in json.loads((folder / "tasks.json").read_text(encoding="utf-8")):
        assert task["data"]["offset_unit"] == "Unicode code points"
        text = task["data"]["text"]
        other = "annotations" if key == "predictions" else "predictions"
        assert other not in task, task.keys()
        for marks in task[key]:
            errors = interface.validate_prediction(marks, return_errors=True)
            assert not errors, (task["data"]["path"], errors)
            ids = set()
            for result in marks["result"]:
                if result["type"] == "labels":
                    value = result["value"]
                    assert text[value["start"] : value["end"]] == value["text"], result
                    ids.add(result["id"])
                    regions += 1
            for result in marks["result"]:
                if result["type"] == "relation":
                    assert result["from_id"] in ids and result["to_id"] in ids, result
                elif result["type"] != "labels":
                    assert result["id"] in ids, result
    return regions


def check_doccano(path):
    spans = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        example = json.loads(line)
        assert example["offset_unit"] == "UTF-16 code units"
        ids = set()
        for entity in example["entities"]:
            sliced = utf16_slice(example["text"], entity["start_offset"], entity["end_offset"])
            assert sliced == entity["text"], (example["path"], entity)
            ids.add(entity["id"])
            spans += 1
        for relation in example["relations"]:
            assert relation["from_id"] in ids and relation["to_id"] in ids, relation
    return spans


def check_citron(folder):
    spans = 0
    for path in sorted(folder.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["offset_unit"] == "Unicode code points"
        text = document["text"]
        every = [span for group in document["coreference_groups"] for span in group]
        for quote in document["quotes"] + document["uncued"]:
            every += quote["sources"] + quote["contents"]
            if "cue" in quote:
                every.append(quote["cue"])
        for span in every:
            assert text[span["start"] : span["end"]] == span["text"], (path, span)
            spans += 1
    return spans


def spans(claims, key):
    return [(s["start"], s["end"], s["text"]) for c in claims for s in c.get(key, [])]


def covered(annotations):
    return sorted((a.begin, a.end, a.get_covered_text()) for a in annotations)


class Pairs(dict):
    """A JSON object that also keeps its pairs: the front matter writes a
    key given twice (`review:`) twice, and a dict keeps only the last."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.pairs = pairs


def check_inception(folder, jsonl):
    """Every `.xmi` of `folder` loaded by cassis against the JSON lines of
    the same corpus; the number of annotations and relations checked."""
    with (folder / "TypeSystem.xml").open("rb") as xml:
        typesystem = load_typesystem(xml)
    lines = {}
    # Not splitlines(): it breaks at NEL and U+2028 too.
    for line in jsonl.read_text(encoding="utf-8").split("\n")[:-1]:
        article = json.loads(line, object_pairs_hook=Pairs)
        lines[article["path"]] = article
    checked = 0
    for path in sorted(folder.rglob("*.xmi")):
        with path.open("rb") as xmi:
            cas = load_cas_from_xmi(xmi, typesystem=typesystem)
        [metadata] = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")
        article = lines[metadata.documentId]
        assert cas.sofa_string == article["text"], path
        front_matter = [(f.key, f.value) for f in cas.select(CUSTOM + "FrontMatter")]
        assert front_matter == article["front_matter"].pairs, path
        claims = article["claims"]
        parts = {a.Governor.xmiID for a in cas.select(CUSTOM + "PartOf")}
        whole = [a for a in cas.select(CUSTOM + "Claim") if a.xmiID not in parts]
        expected = {
            NER: [(m["start"], m["end"], m["text"]) for m in article["mentions"]],
            "claims": [(c["start"], c["end"], c["text"]) for c in claims],
            "parts": spans(claims, "parts"),
            CUSTOM + "Quoted": spans(claims, "fragments"),
            CUSTOM + "HedgeCue": spans(claims, "hedges"),
        }
        found = {
            NER: covered(cas.select(NER)),
            "claims": covered(whole),
            "parts": covered(a for a in cas.select(CUSTOM + "Claim") if a.xmiID in parts),
            CUSTOM + "Quoted": covered(cas.select(CUSTOM + "Quoted")),
            CUSTOM + "HedgeCue": covered(cas.select(CUSTOM + "HedgeCue")),
        }
        for kind, spans_found in found.items():
            assert spans_found == sorted(expected[kind]), (path, kind, spans_found, expected[kind])
            checked += len(spans_found)
        ids = {m["id"] for m in article["mentions"]}
        for mention in cas.select(NER):
            assert mention.entity in ids, (path, mention.entity)
        by_span = {(c["start"], c["end"]): c for c in claims}
        claim_of = lambda a: by_span[(a.begin, a.end)]
        for name in ["AttributedTo", "Via", "Denies", "Confirms", "Disputes", "PartOf"]:
            for relation in cas.select(CUSTOM + name):
                governor, dependent = relation.Governor, relation.Dependent
                assert (relation.begin, relation.end) == (dependent.begin, dependent.end), path
                if name == "AttributedTo":
                    assert governor.type.name == CUSTOM + "Claim", path
                    assert dependent.type.name == NER, path
                    assert dependent.entity in claim_of(governor)["sources"], (path, dependent.entity)
                elif name == "Via":
                    pair = (governor.entity, dependent.entity)
                    chains = [
                        list(zip([chain["source"]] + chain["via"], chain["via"]))
                        for claim in claims
                        for chain in claim.get("chains", [])
                    ]
                    assert any(pair in chain for chain in chains), (path, pair)
                elif name == "PartOf":
                    part = (governor.begin, governor.end, governor.get_covered_text())
                    assert part in spans([claim_of(dependent)], "parts"), (path, part)
                else:
                    stances = claim_of(governor).get("stances", [])
                    target = claim_of(dependent).get("label")
                    assert {"kind": name.lower(), "label": target} in stances, (path, stances)
                checked += 1
    return checked


def check_hostile(binary, temp):
    """cassis loads a text with everything XML escapes; it refuses a C0
    control, which only XML 1.1 holds."""
    corpus = temp / "hostile"
    corpus.mkdir()
    (corpus / "registry.nmk").write_text(HOSTILE_REGISTRY, encoding="utf-8")
    (corpus / "article.nmk").write_text(HOSTILE, encoding="utf-8")
    out = temp / "out" / "hostile"
    export(binary, corpus, "inception", out / "xmi")
    export(binary, corpus, "jsonl", out / "lines.jsonl")
    checked = check_inception(out / "xmi", out / "lines.jsonl")
    (corpus / "article.nmk").write_text(C0, encoding="utf-8")
    export(binary, corpus, "inception", out / "c0", "--force")
    with (out / "c0/TypeSystem.xml").open("rb") as xml:
        typesystem = load_typesystem(xml)
    try:
        with (out / "c0/article.xmi").open("rb") as xmi:
            load_cas_from_xmi(xmi, typesystem=typesystem)
    except XMLSyntaxError as error:
        assert "invalid xmlChar value 1" in str(error), error
    else:
        raise AssertionError("cassis loaded a C0 control: update docs/interop.md")
    return checked


def import_inception(binary, folder, out):
    """`newsmark import --from inception`: its exit code, report and files."""
    result = subprocess.run(
        [binary, "import", "--from", "inception", str(folder), "--out", str(out)],
        capture_output=True, text=True,
    )
    files = {p.relative_to(out): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}
    return result.returncode, result.stdout, files


def rewrite_with_cassis(folder, out):
    """Each `.xmi` of `folder` loaded and written again by cassis."""
    with (folder / "TypeSystem.xml").open("rb") as xml:
        typesystem = load_typesystem(xml)
    out.mkdir(parents=True)
    (out / "TypeSystem.xml").write_text(typesystem.to_xml(), encoding="utf-8")
    for path in sorted(folder.rglob("*.xmi")):
        with path.open("rb") as xmi:
            cas = load_cas_from_xmi(xmi, typesystem=typesystem)
        target = out / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        cas.to_xmi(target, pretty_print=False)


def check_cassis_rewrite(binary, folder, out):
    """Importing cassis's rewrite gives what importing ours gives."""
    rewrite_with_cassis(folder, out / "cassis")
    code, report, ours = import_inception(binary, folder, out / "from-ours")
    assert "not imported" not in report, report
    again, report, theirs = import_inception(binary, out / "cassis", out / "from-cassis")
    assert (code, ours) == (again, theirs), report
    return len(ours)


def check_cas_built_by_cassis(binary, temp):
    """A CAS made with cassis, as an INCEpTION annotator makes one (named
    entities with a tag and a Wikidata link, a claim layer, a relation
    layer), imports to the markup expected; the emoji before the claim
    is two UTF-16 units in the file."""
    typesystem = TypeSystem()
    ner = typesystem.create_type(NER)
    typesystem.create_feature(ner, "value", "uima.cas.String")
    typesystem.create_feature(ner, "identifier", "uima.cas.String")
    claim = typesystem.create_type(CUSTOM + "Claim")
    attributed = typesystem.create_type(CUSTOM + "AttributedTo")
    typesystem.create_feature(attributed, "Governor", "uima.tcas.Annotation")
    typesystem.create_feature(attributed, "Dependent", "uima.tcas.Annotation")
    cas = Cas(typesystem=typesystem)
    text = "😀 Kirby said the ships left.\r\n\r\n“We deny it,” 조선 said."
    cas.sofa_string = text
    at = lambda words: {"begin": text.index(words), "end": text.index(words) + len(words)}
    kirby = ner(**at("Kirby"), value="person", identifier="http://www.wikidata.org/entity/Q6384938")
    said = claim(**at("the ships left"))
    korea = ner(**at("조선"), value="country")
    quote = claim(**at("“We deny it,”"))
    for annotation in [kirby, said, korea, quote]:
        cas.add(annotation)
    cas.add(attributed(**at("Kirby"), Governor=said, Dependent=kirby))
    cas.add(attributed(**at("조선"), Governor=quote, Dependent=korea))
    folder = temp / "built-by-cassis"
    folder.mkdir()
    (folder / "TypeSystem.xml").write_text(typesystem.to_xml(), encoding="utf-8")
    cas.to_xmi(folder / "doc.xmi")
    assert 'begin="3"' in (folder / "doc.xmi").read_text(encoding="utf-8"), "UTF-16 offsets"
    code, report, files = import_inception(binary, folder, temp / "built-by-cassis-nmk")
    assert code == 0 and "not imported" not in report, report
    assert files[Path("doc.nmk")] == (
        "😀 [Kirby]@kirby said {the ships left | @kirby}.\n\n"
        "{“We deny it,” | @조선} [조선]@조선 said.\n"
    ), files[Path("doc.nmk")]
    assert "@kirby: Kirby\n  kind: person\n  wikidata: Q6384938\n" in files[Path("entities.nmk")], files
    return len(files)


def spans_of(doc, group):
    return [(s.start_char, s.end_char, s.label_, s.kb_id_, s.text) for s in doc.spans[group]]


def exported(spans):
    return [(s["start"], s["end"], s["label"], s["kb_id"], s["text"]) for s in spans]


def check_spacy(folder, temp):
    vocab = spacy.blank("xx").vocab
    lines = [json.loads(line) for line in (folder / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    sides = [json.loads(line) for line in (folder / "relations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["path"] for line in lines] == [side["path"] for side in sides]
    spans = relations = unaligned = 0
    own_tokenizer = spacy.blank("xx")
    for line, side in zip(lines, sides):
        assert line["offset_unit"] == side["offset_unit"] == "Unicode code points"
        # Validates, and aligns every entity and span strictly, or raises.
        doc = Doc(vocab).from_json(line, validate=True)
        assert doc.text == line["text"], line["path"]
        if line["lang"] in ("en", "ru"):
            assert Doc(spacy.blank(line["lang"]).vocab).from_json(line).text == doc.text
        for span in line["ents"] + [s for group in line["spans"].values() for s in group]:
            start, end, text = span["start"], span["end"], span["text"]
            assert line["text"][start:end] == text, (line["path"], span)
            assert doc.char_span(start, end, alignment_mode="strict").text == text, span
            # How many would not align to spaCy's own tokenizer (printed).
            unaligned += own_tokenizer.make_doc(line["text"]).char_span(start, end) is None
            spans += 1
        assert [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents] == [
            (e["start"], e["end"], e["label"], e["text"]) for e in line["ents"]
        ]
        for group, group_spans in line["spans"].items():
            assert spans_of(doc, group) == exported(group_spans), (line["path"], group)
        for relation in side["relations"]:
            for end in (relation["from"], relation["to"]):
                span = doc.spans[end["group"]][end["index"]]
                assert (span.start_char, span.end_char, span.text) == (end["start"], end["end"], end["text"])
            relations += 1
    # The documented DocBin route, then the .spacy file read back.
    corpus = temp / "corpus.spacy"
    subprocess.run([sys.executable, "-c", DOCBIN_ROUTE, str(folder / "docs.jsonl"), str(corpus)], check=True)
    reloaded = list(DocBin().from_disk(corpus).get_docs(vocab))
    assert len(reloaded) == len(lines)
    for doc, line in zip(reloaded, lines):
        assert doc.text == line["text"]
        assert [(e.start_char, e.end_char, e.label_, e.kb_id_, e.text) for e in doc.ents] == exported(line["ents"])
        for group, group_spans in line["spans"].items():
            assert spans_of(doc, group) == exported(group_spans), (line["path"], group)
    return spans, relations, unaligned


def check_claimreview(path, texts):
    document = json.loads(path.read_text(encoding="utf-8"))
    expanded = jsonld.expand(document, {"documentLoader": loader})
    assert len(expanded) == len(document)
    for review, written in zip(expanded, document):
        assert review["@type"] == [SDO + "ClaimReview"], review
        [claim] = review[SDO + "itemReviewed"]
        assert claim["@type"] == [SDO + "Claim"]
        [rating] = review[SDO + "reviewRating"]
        assert rating["@type"] == [SDO + "Rating"] and rating[SDO + "alternateName"][0]["@value"]
        [author] = review[SDO + "author"]
        assert author["@type"][0] in (SDO + "Organization", SDO + "Person")
        for source in claim[SDO + "author"]:
            assert source["@type"][0] in (SDO + "Organization", SDO + "Person")
        [appearance] = claim[SDO + "appearance"]
        assert appearance["@type"] == [SDO + "NewsArticle"]
        if SDO + "url" in review:
            assert review[SDO + "url"][0]["@id"] == written["url"]
        if SDO + "datePublished" in review:
            assert review[SDO + "datePublished"][0]["@type"] == SDO + "Date"
        value = lambda key: claim[NEWSMARK + key][0]["@value"]
        assert value("offsetUnit") == "Unicode code points"
        text = texts[value("path")][value("start") : value("end")]
        assert review[SDO + "claimReviewed"][0]["@value"].startswith(text), (text, review)
    return len(expanded)


def main():
    binary = sys.argv[1]
    checks = linked = reviewed = 0
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        lone_cr = temp / "lone-cr"
        lone_cr.mkdir()
        (lone_cr / "registry.nmk").write_text(REGISTRY, encoding="utf-8")
        (lone_cr / "article.nmk").write_bytes(LONE_CR.encode("utf-8"))
        corpora = {
            "examples": ROOT / "examples",
            "fixtures": ROOT / "tests/fixtures/workspace",
            "lone-cr": lone_cr,
        }
        for name, corpus in corpora.items():
            out = temp / "out" / name
            export(binary, corpus, "web-annotation", out / "wa")
            export(binary, corpus, "label-studio", out / "ls")
            export(binary, corpus, "label-studio", out / "ls-predictions", "--as-predictions")
            export(binary, corpus, "doccano", out / "doccano.jsonl")
            export(binary, corpus, "citron", out / "citron")
            export(binary, corpus, "jsonl", out / "lines.jsonl")
            export(binary, corpus, "inception", out / "xmi")
            export(binary, corpus, "spacy", out / "spacy")
            export(binary, corpus, "claimreview", out / "claimreview.jsonld")
            annotations, selectors = check_web_annotation(out / "wa")
            regions = check_label_studio(out / "ls", "annotations")
            assert regions == check_label_studio(out / "ls-predictions", "predictions")
            spans = check_doccano(out / "doccano.jsonl")
            citron = check_citron(out / "citron")
            inception = check_inception(out / "xmi", out / "lines.jsonl")
            imported = check_cassis_rewrite(binary, out / "xmi", out / "import")
            spacy_spans, relations, unaligned = check_spacy(out / "spacy", out)
            texts = {
                line["path"]: line["text"]
                for line in map(json.loads, (out / "spacy/docs.jsonl").read_text(encoding="utf-8").splitlines())
            }
            reviews = check_claimreview(out / "claimreview.jsonld", texts)
            print(
                f"{name}: web-annotation {annotations} annotations ({selectors} selectors) expanded by pyld; "
                f"label-studio {regions} regions valid for label-studio-sdk; "
                f"doccano {spans} spans (UTF-16); citron {citron} spans; "
                f"inception {inception} annotations and relations loaded by dkpro-cassis, "
                f"its rewrite imported to the same {imported} files; "
                f"spacy {spacy_spans} spans and {relations} relations in Docs and a DocBin "
                f"({unaligned} of them off the tokens of spaCy's own xx tokenizer); "
                f"claimreview {reviews} ClaimReviews expanded by pyld"
            )
            assert annotations and regions and spans and citron and spacy_spans, name
            assert inception and imported, name
            linked += relations
            reviewed += reviews
            checks += 8
        hostile = check_hostile(binary, temp)
        print(f"hostile text: inception {hostile} annotations loaded by dkpro-cassis; a C0 control refused")
        assert hostile
        built = check_cas_built_by_cassis(binary, temp)
        print(f"a CAS built by dkpro-cassis imported to {built} files, the markup expected")
        checks += 2
    # Not every corpus has relations or reviews; together they have both.
    assert linked and reviewed, (linked, reviewed)
    print(f"{checks} passed, 0 failed")


if __name__ == "__main__":
    main()
