#!/usr/bin/env python3
"""Requests to the language server once its scan ends (docs/performance.md):
starts `newsmark lsp` in a corpus written by `newsmark-corpus`, opens
article 4242, waits for the end of the scan's work-done progress, then
sends hover, definition, references and completion at the article's marks
in turn, each after the last one's answer, and prints each latency (from
sending to the answer's last byte read here) with the number of results,
then each method's min / p50 / p90 / p99.

    python3 scripts/bench-requests.py CORPUS [NEWSMARK]

Environment: ROUNDS (default 3), METHOD (one of hover, definition,
references, completion; default all four), MARK (always the mark of that
index), MARKS (a regular expression for the marks: by default `]@`, the
ids of mentions; `@` for every id), WAIT (seconds to wait after the end
of the progress), PREFIX (runs the server under another program, such as
`perf record -g -o out`)."""
import os, re, sys, time

from lsp_stdio import Server, newsmark_binary, percentiles

root = sys.argv[1]
binary = newsmark_binary(sys.argv, 2)
article = os.path.join(root, "articles/0042/article-4242.nmk")
server = Server(os.environ.get("PREFIX", "").split() + [binary, "lsp"], root)
server.start(root, {"window": {"workDoneProgress": True},
                    "general": {"positionEncodings": ["utf-16"]}})
text = open(article, encoding="utf-8").read()
uri = "file://" + os.path.abspath(article)
server.open(uri, text)
time.sleep(float(os.environ.get("WAIT", "0")))

# Just after the `@` of each mark, in UTF-16 columns.
marks = [(number, len(line[:found.end()].encode("utf-16-le")) // 2)
         for number, line in enumerate(text.split("\n"))
         for found in re.finditer(os.environ.get("MARKS", r"\]@"), line)]
methods = [("hover", {}), ("definition", {}),
           ("references", {"context": {"includeDeclaration": True}}), ("completion", {})]
methods = [m for m in methods if os.environ.get("METHOD", m[0]) == m[0]]
request_id = 100
latencies = {method: [] for method, _ in methods}
for round_ in range(int(os.environ.get("ROUNDS", "3"))):
    line, column = marks[int(os.environ.get("MARK", round_)) % len(marks)]
    for method, extra in methods:
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}, **extra}
        sent = time.monotonic()
        server.send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/" + method, "params": params})
        answered, answer, _ = server.wait(lambda m: m.get("id") == request_id and "method" not in m)
        result = answer.get("result")
        count = len(result["items"]) if isinstance(result, dict) and "items" in result else (
            len(result) if isinstance(result, list) else int(result is not None))
        latencies[method].append(1000 * (answered - sent))
        print(f"{round_} {method:10} {latencies[method][-1]:7.2f} ms, {count} results")
        request_id += 1
for method, times in latencies.items():
    if times:
        print(f"{method}: {percentiles(times)} over {len(times)} requests")
server.stop()
