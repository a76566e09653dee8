#!/usr/bin/env python3
"""Pulled diagnostics of a large document (docs/performance.md): starts
`newsmark lsp` in a corpus written by `newsmark-corpus` as a pull client
(VS Code's way), opens an unsaved document of ~1 MB made of the articles
of `articles/0001` repeated, waits for the end of the scan, then asks
`textDocument/diagnostic` for it ROUNDS times, each after the last one's
answer, and prints the items, the answer's size and the time from sending
to the answer's last byte (min / p50 / p90 / p99).

    python3 scripts/bench-pull-diagnostics.py CORPUS [NEWSMARK] [ROUNDS]"""
import glob, os, sys, time

from lsp_stdio import Server, newsmark_binary, percentiles

root = sys.argv[1]
binary = newsmark_binary(sys.argv, 2)
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 50
if rounds < 1:
    sys.exit("ROUNDS must be at least 1")
server = Server([binary, "lsp"], root)
root_uri = server.start(root, {"window": {"workDoneProgress": True},
                               "textDocument": {"diagnostic": {"dynamicRegistration": False}},
                               "workspace": {"diagnostics": {"refreshSupport": True}}})
files = sorted(glob.glob(os.path.join(root, "articles/0001/*.nmk")))
text = "".join(open(f, encoding="utf-8").read() + "\n" for f in files)
while len(text) < 1_000_000:
    text += text
text = text[:1_000_000].rsplit("\n", 1)[0] + "\n"
uri = root_uri + "/big-unsaved.nmk"
server.open(uri, text)
time.sleep(1)
times = []
for request_id in range(100, 100 + rounds):
    sent = time.monotonic()
    server.send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/diagnostic",
                 "params": {"textDocument": {"uri": uri}}})
    answered, answer, size = server.wait(lambda m: m.get("id") == request_id and "method" not in m)
    times.append(1000 * (answered - sent))
print(f"{len(answer['result']['items'])} items, {size} bytes: {percentiles(times)}")
server.stop()
