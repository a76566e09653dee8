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
import json, os, queue, re, subprocess, sys, threading, time

root = sys.argv[1]
binary = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "target", "release", "newsmark"))
article = os.path.join(root, "articles/0042/article-4242.nmk")
server = subprocess.Popen(os.environ.get("PREFIX", "").split() + [binary, "lsp"], cwd=root,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
incoming = queue.Queue()


def read():
    while True:
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        incoming.put((time.monotonic(), json.loads(server.stdout.read(length))))


threading.Thread(target=read, daemon=True).start()


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def wait(pick):
    """The first message `pick` accepts, and when it came; the server's
    own requests (progress tokens, refreshes) are answered on the way."""
    while True:
        at, message = incoming.get()
        if "method" in message and "id" in message:
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        if pick(message):
            return at, message


root_uri = "file://" + os.path.abspath(root)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": os.getpid(), "rootUri": root_uri,
    "capabilities": {"window": {"workDoneProgress": True}, "general": {"positionEncodings": ["utf-16"]}},
    "workspaceFolders": [{"uri": root_uri, "name": "corpus"}]}})
wait(lambda m: m.get("id") == 1 and "method" not in m)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
text = open(article, encoding="utf-8").read()
uri = "file://" + os.path.abspath(article)
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
    "textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}})
wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")
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
        send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/" + method, "params": params})
        answered, answer = wait(lambda m: m.get("id") == request_id and "method" not in m)
        result = answer.get("result")
        count = len(result["items"]) if isinstance(result, dict) and "items" in result else (
            len(result) if isinstance(result, list) else int(result is not None))
        latencies[method].append(1000 * (answered - sent))
        print(f"{round_} {method:10} {latencies[method][-1]:7.2f} ms, {count} results")
        request_id += 1
for method, times in latencies.items():
    if not times:
        continue
    times.sort()
    at = lambda share: times[min(len(times) - 1, int(len(times) * share))]
    print(f"{method}: min {times[0]:.2f} / p50 {at(0.5):.2f} / p90 {at(0.9):.2f} / p99 {at(0.99):.2f} ms"
          f" over {len(times)} requests")
send({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": None})
wait(lambda m: m.get("id") == 1 and "method" not in m)
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=30)
