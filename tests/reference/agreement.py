"""Checks `newsmark agree`'s chance-corrected measures against reference
implementations: krippendorff.alpha, nltk's AnnotationTask (kappa, alpha)
and statsmodels (fleiss_kappa, cohens_kappa).

Each case is a set of annotators who label the words of some articles
with an entity kind, or with nothing. The script writes each annotator's
version as `.nmk` files (a word with a kind becomes a mention of an entity
of that kind), runs the real binary (`newsmark agree --format json`), and
compares its numbers for the `mention` kind with what the references
compute from the same labels, within 1e-9. An annotator may lack an
article (missing values, which α handles). αu has no common Python
implementation: the Rust unit tests check it on Krippendorff's published
example (docs/agreement.md).

    python tests/reference/agreement.py NEWSMARK_BIN
"""

import json
import math
import random
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import krippendorff
import numpy as np
from nltk.metrics.agreement import AnnotationTask
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

TOLERANCE = 1e-9
# Category 0 is no mention; the others are entity kinds.
KINDS = [None, "person", "country", "organization", "group"]
REGISTRY = "".join(f"@{kind}x: {kind.title()} X\n  kind: {kind}\n\n" for kind in KINDS[1:])


def case(name, labels):
    """`labels[annotator][article]`: a category per word, or None when the
    annotator lacks the article."""
    return {"name": name, "labels": labels}


def hand_made():
    cases = []
    same = [[[1, 0, 2, 2, 0, 3], [0, 0, 1]]] * 3
    cases.append(case("total agreement", same))
    cases.append(case("total disagreement", [[[1, 0, 1, 0]], [[0, 1, 0, 1]]]))
    cases.append(case("systematic disagreement", [[[1, 1, 2, 2]], [[2, 2, 1, 1]]]))
    # Cohen's κ, Wikipedia's example: 20 yes-yes, 5 yes-no, 10 no-yes,
    # 15 no-no; κ = 0.4.
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    cases.append(case("Cohen 0.4", [[[a for a, _ in pairs]], [[b for _, b in pairs]]]))
    # Fleiss (1971) as Wikipedia gives it: 10 items, 14 raters, 5
    # categories; κ = 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    raters = [[] for _ in range(14)]
    for row in table:
        ratings = [category for category, count in enumerate(row) for _ in range(count)]
        for rater, category in zip(raters, ratings):
            rater.append(category)
    cases.append(case("Fleiss 0.210", [[r] for r in raters]))
    # Krippendorff (2011), section C: 4 observers, 12 units, values 1-5,
    # missing values (0 here); nominal α = 0.743. Each unit is an article
    # of one word, which an observer without a value lacks.
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
    ]
    cases.append(
        case(
            "Krippendorff 0.743",
            [[[value - 1] if value else None for value in o] for o in observers],
        )
    )
    return cases


def generated(count, seed=20):
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        annotators = rng.randint(2, 5)
        articles = rng.randint(1, 4)
        categories = rng.randint(2, len(KINDS))
        # Annotators who mostly agree: a shared truth, each word changed
        # with some probability.
        noise = rng.random()
        truth = [
            [rng.randrange(categories) for _ in range(rng.randint(3, 25))]
            for _ in range(articles)
        ]
        labels = []
        for _ in range(annotators):
            labels.append(
                [
                    None
                    if rng.random() < 0.2
                    else [rng.randrange(categories) if rng.random() < noise else c for c in words]
                    for words in truth
                ]
            )
        # Every article has at least one annotator.
        for a in range(articles):
            if all(labels[i][a] is None for i in range(annotators)):
                labels[0][a] = list(truth[a])
        cases.append(case(f"random {n}", labels))
    return cases


def write(folder, labels):
    """Each annotator's folder: the registry and one article per list."""
    names = []
    for i, articles in enumerate(labels):
        name = f"annotator{i}"
        root = folder / name
        root.mkdir()
        (root / "registry.nmk").write_text(REGISTRY)
        for a, words in enumerate(articles):
            if words is None:
                continue
            text = " ".join(
                f"[word{w}]@{KINDS[c]}x" if c else f"word{w}" for w, c in enumerate(words)
            )
            (root / f"article{a}.nmk").write_text(text + "\n")
        names.append(name)
    return names


def defined(compute):
    """The reference's value, or None where the measure is undefined (it
    raises or gives no finite number)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = compute()
            value = None if value is None else float(value)
    except (ZeroDivisionError, ValueError):
        return None
    return value if value is not None and math.isfinite(value) else None


def expected_pair(labels, i, j):
    items = [
        (a, b)
        for x, y in zip(labels[i], labels[j])
        if x is not None and y is not None
        for a, b in zip(x, y)
    ]
    if not items:
        return 0, {"no common words": None}
    task = AnnotationTask(
        [("a", n, str(a)) for n, (a, _) in enumerate(items)]
        + [("b", n, str(b)) for n, (_, b) in enumerate(items)]
    )
    table = np.zeros((len(KINDS), len(KINDS)))
    for a, b in items:
        table[a][b] += 1
    return len(items), {
        "nltk kappa": defined(task.kappa),
        "statsmodels cohens_kappa": defined(lambda: cohens_kappa(table).kappa),
    }


def expected_group(labels, articles):
    """Fleiss' κ over the articles of `articles` every annotator has; α
    over all of them, with missing values."""
    m = len(labels)
    complete = [a for a in articles if all(labels[i][a] is not None for i in range(m))]
    rows = [
        [labels[i][a][w] for i in range(m)]
        for a in complete
        for w in range(len(labels[0][a]))
    ]
    reliability = [
        [
            np.nan if labels[i][a] is None else labels[i][a][w]
            for a in articles
            for w in range(len(next(l[a] for l in labels if l[a] is not None)))
        ]
        for i in range(m)
    ]
    triples = [
        (str(i), f"{a}:{w}", str(labels[i][a][w]))
        for i in range(m)
        for a in articles
        if labels[i][a] is not None
        for w in range(len(labels[i][a]))
    ]
    values = {
        "statsmodels fleiss_kappa": defined(
            lambda: fleiss_kappa(aggregate_raters(np.array(rows))[0]) if rows else None
        ),
        "krippendorff.alpha": defined(
            lambda: krippendorff.alpha(
                reliability_data=np.array(reliability, dtype=float),
                level_of_measurement="nominal",
            )
        ),
    }
    if not complete or len(complete) == len(articles):
        # nltk's alpha wants every item rated by every coder.
        values["nltk alpha"] = defined(lambda: AnnotationTask(triples).alpha())
    return len(rows), values


COMPARED = {"values": 0, "undefined": 0}


def compare(where, actual, expected, failures):
    for reference, value in expected.items():
        if value is None and actual is None:
            COMPARED["undefined"] += 1
            continue
        COMPARED["values"] += 1
        if value is None or actual is None or abs(value - actual) > TOLERANCE:
            failures.append(f"{where}: newsmark {actual}, {reference} {value}")


def check(binary, item, failures):
    labels = item["labels"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        names = write(folder, labels)
        run = subprocess.run(
            [binary, "agree", *names, "--format", "json"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
    if run.returncode != 0:
        failures.append(f"{item['name']}: exit {run.returncode}: {run.stderr}")
        return
    report = json.loads(run.stdout)
    articles = range(len(labels[0]))
    m = len(labels)

    def mention(kinds):
        return kinds.get("mention", {})

    pairs = [(i, j) for i in range(m) for j in range(i + 1, m)]
    for pair, (i, j) in zip(report["pairs"], pairs):
        words, expected = expected_pair(labels, i, j)
        actual = mention(pair["kinds"])
        if actual and actual["words"] != words:
            failures.append(f"{item['name']} {i}-{j}: {actual['words']} words, not {words}")
        compare(f"{item['name']} κ {i}-{j}", actual.get("cohen_kappa"), expected, failures)
    words, expected = expected_group(labels, list(articles))
    actual = mention(report["all"]["kinds"])
    if actual and actual["words"] != words:
        failures.append(f"{item['name']}: {actual['words']} words rated by all, not {words}")
    for measure, key in [
        ("statsmodels fleiss_kappa", "fleiss_kappa"),
        ("krippendorff.alpha", "alpha"),
        ("nltk alpha", "alpha"),
    ]:
        if measure in expected:
            compare(f"{item['name']} {key}", actual.get(key), {measure: expected[measure]}, failures)
    # Per document: the annotators who have it.
    for document in report["all"]["documents"]:
        a = int(document["path"].removeprefix("article").removesuffix(".nmk"))
        holders = [labels[i] for i in range(m) if labels[i][a] is not None]
        _, expected = expected_group(holders, [a])
        actual = mention(document["kinds"])
        compare(
            f"{item['name']} {document['path']} fleiss_kappa",
            actual.get("fleiss_kappa"),
            {"statsmodels": expected["statsmodels fleiss_kappa"]},
            failures,
        )
        compare(
            f"{item['name']} {document['path']} alpha",
            actual.get("alpha"),
            {"krippendorff.alpha": expected["krippendorff.alpha"]},
            failures,
        )
    return report


def main():
    binary = str(Path(sys.argv[1]).resolve())
    cases = hand_made() + generated(50)
    failures = []
    reports = {}
    for item in cases:
        report = check(binary, item, failures)
        if report is not None:
            reports[item["name"]] = report
    # The published values themselves, to three places.
    published = [
        ("Cohen 0.4", lambda r: r["pairs"][0]["kinds"]["mention"]["cohen_kappa"], 0.4),
        ("Fleiss 0.210", lambda r: r["all"]["kinds"]["mention"]["fleiss_kappa"], 0.210),
        ("Krippendorff 0.743", lambda r: r["all"]["kinds"]["mention"]["alpha"], 0.743),
        ("total agreement", lambda r: r["all"]["kinds"]["mention"]["alpha"], 1.0),
        ("systematic disagreement", lambda r: r["pairs"][0]["kinds"]["mention"]["cohen_kappa"], -1.0),
    ]
    for name, value, expected in published:
        actual = value(reports[name])
        if abs(actual - expected) > 5e-4:
            failures.append(f"{name}: newsmark {actual}, published {expected}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(
        f"{len(cases)} cases, {COMPARED['values']} values (and {COMPARED['undefined']} undefined"
        f" in both) against krippendorff, nltk and statsmodels: {len(failures)} failures"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
