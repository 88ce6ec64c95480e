"""The production server (gunicorn with ``config/gunicorn.py``) against slow and oversized
clients, on a free loopback port and the test database, under production settings.

Fifty connections trickle their headers or their bodies, slowloris style, while a visitor
keeps opening pages: every page still comes back, 200, within two seconds. A 200 MB upload
is refused with the site's 413 page after its first 64 KB, and the connection is closed
rather than drained; a chunked body is refused once it passes the limit.
"""
import contextlib
import os
import select
import socket
import threading
import time
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from bench.serving import free_port, gunicorn

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# How production runs the site (README.md, Production).
SERVER = ("-c", "config/gunicorn.py")
SLOW_CONNECTIONS = 50


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production settings render hashed static names and need the manifest."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=settings.BASE_DIR, check=True,
                   env={**_env(), "STATIC_ROOT": str(root)})
    return root


def _env() -> dict:
    db = connection.settings_dict
    return {**os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DEBUG": "0", "SECRET_KEY": "slow-clients-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
            "TASKS_EAGER": "1", "CACHE_PREFIX": f"slow-{uuid.uuid4().hex[:8]}",
            "WEB_CONCURRENCY": "2", "DJANGO_SETTINGS_MODULE": "config.settings"}


@pytest.fixture
def server(static_root, tmp_path):
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    process = gunicorn("config.wsgi", port, workers=2, env={**_env(),
                       "STATIC_ROOT": str(static_root)}, log=log, ready="/healthz",
                       extra=SERVER)
    yield port
    process.terminate()
    process.wait(30)
    log.close()


def _timed_get(port: int, path: str) -> tuple[int, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            response.read()
            status = response.status
    except OSError as error:  # a timeout: the site did not answer
        status = getattr(error, "code", None) or repr(error)
    return status, time.monotonic() - start


def _slowloris(port: int, stop: threading.Event, n: int, opened: list):
    """One slow client, reconnecting whenever the server gives up on it: odd ones trickle
    their headers a line a second, even ones send complete headers of a form post and then
    trickle its body a byte a second."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                if n % 2:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                else:
                    s.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              b"Content-Type: application/x-www-form-urlencoded\r\n"
                              b"Content-Length: 100000\r\n\r\nlogin=")
                opened.append(n)
                while not stop.wait(1):
                    s.sendall(b"X-Slow: 1\r\n" if n % 2 else b"a")
        except OSError:
            stop.wait(0.1)


def test_pages_are_served_while_fifty_clients_trickle(server):
    port = server
    for _ in range(3):  # warm: the workers have loaded and connected once
        assert _timed_get(port, "/")[0] == 200
    stop, opened = threading.Event(), []
    slow = [threading.Thread(target=_slowloris, args=(port, stop, n, opened), daemon=True)
            for n in range(SLOW_CONNECTIONS)]
    for thread in slow:
        thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(set(opened)) < SLOW_CONNECTIONS and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(set(opened)) == SLOW_CONNECTIONS
        time.sleep(1)  # every slow client has started trickling
        answers = []
        until = time.monotonic() + 8  # longer than the server's patience with headers
        while time.monotonic() < until:
            for path in ("/", "/healthz", "/search/?q=yeast"):
                answers.append((path, *_timed_get(port, path)))
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)
    late = [(path, status, round(took, 2)) for path, status, took in answers
            if status != 200 or took > 2]
    assert len(answers) >= 10 and not late, (len(answers), late[:10])


def _request(port: int, head: bytes, body_parts) -> tuple[bytes, int]:
    """Send ``head``, then ``body_parts`` until the server answers or stops reading;
    (the answer, bytes of body sent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head)
        sent = 0
        # poll, not select: inside the whole suite this process holds more than 1,024 files.
        readable = select.poll()
        readable.register(s, select.POLLIN)
        for part in body_parts:
            if readable.poll(0):  # an answer (or a close) has come
                break
            try:
                s.sendall(part)
            except OSError:  # the server stopped reading, or hung up
                break
            sent += len(part)
        answer = b""
        s.settimeout(5)
        with contextlib.suppress(OSError):  # a timeout: no (more) answer
            while chunk := s.recv(65536):
                answer += chunk
        return answer, sent


def test_a_200_megabyte_upload_is_refused_before_it_is_read(server):
    port = server
    # Any visitor has a CSRF cookie, so the CSRF check reads the form before refusing it.
    head = (b"POST /settings/profile/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            b"Content-Length: %d\r\n\r\n" % (200 * 1024 * 1024))
    started = time.monotonic()
    part = (b'--xyz\r\nContent-Disposition: form-data; name="avatar"; filename="me.png"\r\n'
            b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n")
    answer, sent = _request(port, head, [part + b"x" * 65536])
    took = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"That was too large to send" in answer
    assert b"at most 6 MB" in answer
    # The server closed the connection at once instead of reading the other 199.9 MB.
    assert took < 3 and sent <= 66_000, (took, sent)


def test_a_chunked_body_is_refused_once_it_passes_the_limit(server):
    port = server
    head = (b"POST /settings/profile/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
    answer, sent = _request(port, head, [chunk] * (40 * 16))  # 40 MB if nobody stops it
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert sent < 12 * 1024 * 1024, sent


def test_oversized_request_lines_and_headers_are_refused(server):
    port = server
    line, _ = _request(port, b"GET /?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1"
                       b"\r\n\r\n", [])
    assert _status(line) == b"414", line[:200]
    many = b"".join(b"X-%d: 1\r\n" % n for n in range(60))
    fields, _ = _request(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n", [])
    assert _status(fields) == b"431", fields[:200]


def _status(answer: bytes) -> bytes:
    return answer.split(b"\r\n")[0].split(b" ")[1]
