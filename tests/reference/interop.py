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
from label_studio_sdk.label_interface import LabelInterface
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
            export(binary, corpus, "spacy", out / "spacy")
            export(binary, corpus, "claimreview", out / "claimreview.jsonld")
            annotations, selectors = check_web_annotation(out / "wa")
            regions = check_label_studio(out / "ls", "annotations")
            assert regions == check_label_studio(out / "ls-predictions", "predictions")
            spans = check_doccano(out / "doccano.jsonl")
            citron = check_citron(out / "citron")
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
                f"spacy {spacy_spans} spans and {relations} relations in Docs and a DocBin "
                f"({unaligned} of them off the tokens of spaCy's own xx tokenizer); "
                f"claimreview {reviews} ClaimReviews expanded by pyld"
            )
            assert annotations and regions and spans and citron and spacy_spans, name
            linked += relations
            reviewed += reviews
            checks += 6
    # Not every corpus has relations or reviews; together they have both.
    assert linked and reviewed, (linked, reviewed)
    print(f"{checks} passed, 0 failed")


if __name__ == "__main__":
    main()
