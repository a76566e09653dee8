"""A language-server client over stdio for the bench scripts: frames
messages, reads the server's on a thread of its own, and notes when the
last byte of each arrived (before it is parsed)."""
import json, os, queue, subprocess, threading, time


def newsmark_binary(argv, at):
    """The server named by `argv[at]`, else the release build."""
    return os.path.abspath(argv[at] if len(argv) > at else os.path.join(
        os.path.dirname(__file__), "..", "target", "release", "newsmark"))


class Server:
    def __init__(self, command, cwd):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.incoming = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stdout = self.process.stdout
        while True:
            length = None
            while True:
                line = stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = stdout.read(length)
            self.incoming.put((time.monotonic(), json.loads(body), len(body)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def wait(self, pick):
        """The first message `pick` accepts, when its last byte came, and
        its size; the server's own requests (progress tokens, refreshes)
        are answered on the way."""
        while True:
            at, message, size = self.incoming.get()
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if pick(message):
                return at, message, size

    def start(self, root, capabilities):
        """`initialize` with `root` as the workspace folder, then `initialized`."""
        root_uri = "file://" + os.path.abspath(root)
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root_uri, "capabilities": capabilities,
            "workspaceFolders": [{"uri": root_uri, "name": "corpus"}]}})
        self.wait(lambda m: m.get("id") == 1 and "method" not in m)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        return root_uri

    def open(self, uri, text):
        """Opens a document and waits for the end of the scan's progress."""
        self.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}})
        self.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")

    def stop(self):
        self.send({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": None})
        self.wait(lambda m: m.get("id") == 1 and "method" not in m)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=30)


def percentiles(times):
    """min / p50 / p90 / p99 of latencies in ms, as the docs' tables give them."""
    times = sorted(times)
    at = lambda share: times[min(len(times) - 1, int(len(times) * share))]
    return f"min {times[0]:.2f} / p50 {at(0.5):.2f} / p90 {at(0.9):.2f} / p99 {at(0.99):.2f} ms"
