#!/usr/bin/env python3
"""Pulled diagnostics of a large document (docs/performance.md): starts
`newsmark lsp` in a corpus written by `newsmark-corpus` as a pull client
(VS Code's way), opens an unsaved document of ~1 MB made of the articles
of `articles/0001` repeated, waits for the end of the scan, then asks
`textDocument/diagnostic` for it ROUNDS times, each after the last one's
answer, and prints the items, the answer's size and the time from sending
to the answer's last byte (min / p50 / p90).

    python3 scripts/bench-pull-diagnostics.py CORPUS [NEWSMARK] [ROUNDS]"""
import glob, json, os, queue, subprocess, sys, threading, time

root = sys.argv[1]
binary = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "target", "release", "newsmark"))
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 50
if rounds < 1:
    sys.exit("ROUNDS must be at least 1")
server = subprocess.Popen([binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
incoming = queue.Queue()
def read():
    while True:
        length = None
        while True:
            line = server.stdout.readline()
            if not line: return
            if line in (b"\r\n", b"\n"): break
            if line.lower().startswith(b"content-length:"): length = int(line.split(b":")[1])
        body = server.stdout.read(length)
        incoming.put((time.monotonic(), json.loads(body), len(body)))
threading.Thread(target=read, daemon=True).start()
def send(m):
    b = json.dumps(m).encode(); server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); server.stdin.flush()
def wait(pick):
    while True:
        at, m, n = incoming.get()
        if "method" in m and "id" in m: send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        if pick(m): return at, m, n
ru = "file://" + os.path.abspath(root)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": os.getpid(), "rootUri": ru,
      "capabilities": {"window": {"workDoneProgress": True}, "textDocument": {"diagnostic": {"dynamicRegistration": False}},
                       "workspace": {"diagnostics": {"refreshSupport": True}}},
      "workspaceFolders": [{"uri": ru, "name": "c"}]}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
files = sorted(glob.glob(os.path.join(root, "articles/0001/*.nmk")))
text = "".join(open(f, encoding="utf-8").read() + "\n" for f in files)
while len(text) < 1_000_000:
    text += text
text = text[:1_000_000].rsplit("\n", 1)[0] + "\n"
uri = ru + "/big-unsaved.nmk"
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}})
wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")
time.sleep(1)
times = []; rid = 100
for r in range(rounds):
    sent = time.monotonic()
    send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}})
    at, m, n = wait(lambda m: m.get("id") == rid and "method" not in m)
    times.append(1000 * (at - sent)); rid += 1
    items = len(m["result"]["items"])
times.sort()
print(f"{items} items, {n} bytes: min {times[0]:.2f} p50 {times[len(times)//2]:.2f} p90 {times[int(len(times)*.9)]:.2f} ms")
send({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": None}); wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "exit"}); server.wait(timeout=30)
