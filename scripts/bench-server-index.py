#!/usr/bin/env python3
"""The language server's start on a corpus (docs/performance.md): starts
`newsmark lsp` in the corpus folder, sends `initialize` and `initialized`,
polls `newsmark/status` until the scan has ended, and prints the time from
spawn to the end of the scan, the files indexed and the server's resident
memory a second later (VmRSS, VmHWM).

    python3 scripts/bench-server-index.py CORPUS [NEWSMARK]

NEWSMARK defaults to target/release/newsmark; PREFIX="heaptrack -o out"
runs the server under another program."""
import json, os, subprocess, sys, time

root = sys.argv[1]
binary = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "target", "release", "newsmark"))
env = dict(os.environ)
t0 = time.monotonic()
p = subprocess.Popen(os.environ.get("PREFIX", "").split() + [binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, env=env)
def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()
def read():
    length = None
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))
def request(i, method, params):
    send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
    while True:
        m = read()
        if m.get("id") == i and "method" not in m:
            return m
uri = "file://" + os.path.abspath(root)
request(1, "initialize", {"processId": os.getpid(), "rootUri": uri, "capabilities": {},
                          "workspaceFolders": [{"uri": uri, "name": "c"}]})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
i = 2
while True:
    r = request(i, "newsmark/status", None); i += 1
    if r["result"]["indexing"] is False:
        break
    time.sleep(0.01)
elapsed = time.monotonic() - t0
time.sleep(1.0)
mem = {l.split(":")[0]: l.split(":")[1].strip() for l in open(f"/proc/{p.pid}/status") if l.startswith(("VmRSS", "VmHWM"))}
print(f"{root}: index {elapsed:.2f} s, files {r['result']['files']}, RSS {mem['VmRSS']}, peak {mem['VmHWM']}")
request(i, "shutdown", None)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=30)
