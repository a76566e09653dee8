#!/usr/bin/env bash
# Reads `newsmark export`'s interchange formats with real consumers from
# PyPI (pinned in tests/reference/requirements*.txt, installed into the
# project's .venv): pyld expands the Web Annotation JSON-LD (with the W3C
# context vendored in tests/reference/anno.jsonld: there is no network),
# label-studio-sdk validates the Label Studio tasks against the labeling
# config written with them, dkpro-cassis loads the INCEpTION XMI with its
# type system (and what it writes again imports as ours does), spaCy reads
# the spacy export into Docs and a DocBin, pyld expands the ClaimReview
# JSON-LD (with an excerpt of schema.org's context vendored in
# tests/reference/schemaorg-context.jsonld), and every span of every
# format slices its text to the span's text in the unit the format states.
#
#   scripts/test-interop-reference.sh    needs target/debug/newsmark
#                                        (or NEWSMARK_BIN)
set -euo pipefail

# shellcheck source=scripts/reference-venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/reference-venv.sh"
"$VENV_PYTHON" "$ROOT/tests/reference/interop.py" "$NEWSMARK_BIN"
