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

Corpora: examples/ (Cyrillic, CRLF), tests/fixtures/workspace (Hangul,
emoji, CRLF) and an article written here with lone CR line ends.

    python tests/reference/interop.py NEWSMARK_BIN
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from label_studio_sdk.label_interface import LabelInterface
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
            annotations, selectors = check_web_annotation(out / "wa")
            regions = check_label_studio(out / "ls", "annotations")
            assert regions == check_label_studio(out / "ls-predictions", "predictions")
            spans = check_doccano(out / "doccano.jsonl")
            citron = check_citron(out / "citron")
            print(
                f"{name}: web-annotation {annotations} annotations ({selectors} selectors) expanded by pyld; "
                f"label-studio {regions} regions valid for label-studio-sdk; "
                f"doccano {spans} spans (UTF-16); citron {citron} spans"
            )
            assert annotations and regions and spans and citron, name
            checks += 4
    print(f"{checks} passed, 0 failed")


if __name__ == "__main__":
    main()
