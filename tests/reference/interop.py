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

Corpora: examples/ (Cyrillic, CRLF), tests/fixtures/workspace (Hangul,
emoji, CRLF) and an article written here with lone CR line ends.

    python tests/reference/interop.py NEWSMARK_BIN
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from label_studio_sdk.label_interface import LabelInterface
from lxml.etree import XMLSyntaxError
from pyld import jsonld

ROOT = Path(__file__).resolve().parents[2]
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = json.loads((ROOT / "tests/reference/anno.jsonld").read_text(encoding="utf-8"))
AS = "http://www.w3.org/ns/activitystreams#"
OA = "http://www.w3.org/ns/oa#"

LONE_CR = (
    "---\rtitle: Lone CR\rlanguage: ru\r---\r\r"
    "🎉 [Сергей Лавров]@lavrov сказал, что {переговоры\rпрошли успешно | @lavrov}.\r\r"
    "{“회담은 성공적이었다” | @choe via @kcna}, [조선중앙통신]@kcna reported 😀.\r"
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
    "@kcna: Korean Central News Agency\n  kind: outlet\n"
)


def loader(url, options=None):
    if url != CONTEXT_URL:
        raise RuntimeError(f"refused to fetch {url}: only the vendored W3C context is served")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


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


def check_inception(folder, jsonl):
    """Every `.xmi` of `folder` loaded by cassis against the JSON lines of
    the same corpus; the number of annotations and relations checked."""
    with (folder / "TypeSystem.xml").open("rb") as xml:
        typesystem = load_typesystem(xml)
    lines = {}
    # Not splitlines(): it breaks at NEL and U+2028 too.
    for line in jsonl.read_text(encoding="utf-8").split("\n")[:-1]:
        article = json.loads(line)
        lines[article["path"]] = article
    checked = 0
    for path in sorted(folder.rglob("*.xmi")):
        with path.open("rb") as xmi:
            cas = load_cas_from_xmi(xmi, typesystem=typesystem)
        [metadata] = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")
        article = lines[metadata.documentId]
        assert cas.sofa_string == article["text"], path
        front_matter = [(f.key, f.value) for f in cas.select(CUSTOM + "FrontMatter")]
        assert front_matter == list(article["front_matter"].items()), path
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


def main():
    binary = sys.argv[1]
    checks = 0
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
            annotations, selectors = check_web_annotation(out / "wa")
            regions = check_label_studio(out / "ls", "annotations")
            assert regions == check_label_studio(out / "ls-predictions", "predictions")
            spans = check_doccano(out / "doccano.jsonl")
            citron = check_citron(out / "citron")
            inception = check_inception(out / "xmi", out / "lines.jsonl")
            imported = check_cassis_rewrite(binary, out / "xmi", out / "import")
            print(
                f"{name}: web-annotation {annotations} annotations ({selectors} selectors) expanded by pyld; "
                f"label-studio {regions} regions valid for label-studio-sdk; "
                f"doccano {spans} spans (UTF-16); citron {citron} spans; "
                f"inception {inception} annotations and relations loaded by dkpro-cassis, "
                f"its rewrite imported to the same {imported} files"
            )
            assert annotations and regions and spans and citron and inception and imported, name
            checks += 6
        hostile = check_hostile(binary, temp)
        print(f"hostile text: inception {hostile} annotations loaded by dkpro-cassis; a C0 control refused")
        assert hostile
        built = check_cas_built_by_cassis(binary, temp)
        print(f"a CAS built by dkpro-cassis imported to {built} files, the markup expected")
        checks += 2
    print(f"{checks} passed, 0 failed")


if __name__ == "__main__":
    main()
