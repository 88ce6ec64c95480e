"""A real webhook receiver on a free loopback port (http.server in a thread), for the tests.

It verifies each request's signature as docs/webhooks.md tells a receiver to, keeps what it
was sent, and answers ``status`` (200 unless a test says otherwise). ``stop`` closes the
port (the receiver is down); ``start`` opens the same port again.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.serving import free_port
from community.api.webhooks import signing


class Receiver:
    def __init__(self):
        self.port = free_port()
        self.secret = None
        self.status = 200
        self.delay = 0.0  # seconds before answering
        self.received: list[dict] = []  # verified requests: id, headers, body (parsed)
        self.refused: list[str] = []  # requests whose signature did not verify
        self.server = None
        self.lock = threading.Lock()

    def url(self, path="/hook", host="127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k: v for k, v in self.headers.items()}
                try:
                    # The clock may be moved by the test: check the signature, not the age.
                    signing.verify(secret=receiver.secret, headers=headers, body=body,
                                   now=int(headers.get("webhook-timestamp", 0)))
                except signing.InvalidSignature as error:
                    with receiver.lock:
                        receiver.refused.append(str(error))
                    self.send_response(401)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.received.append({"id": headers["webhook-id"], "headers": headers,
                                              "body": json.loads(body)})
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answered {receiver.status}".encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def ids(self) -> list[str]:
        with self.lock:
            return [r["id"] for r in self.received]

    def wait_for(self, count: int, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.ids()) < count:
            time.sleep(0.05)
        return self.ids()
