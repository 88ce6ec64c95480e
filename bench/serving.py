"""Serving the site on loopback for the harnesses (bench, soak, scan, fault tests): a free
port, gunicorn started and waited for, and waiting for anything else."""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str, context=None) -> bool:
    """Whether ``url`` (on loopback) answers at all."""
    try:
        urllib.request.urlopen(url, timeout=2, context=context)  # noqa: S310  # nosec B310
        return True
    except OSError:
        return False


def wait_until(predicate, *, timeout: float = 60, what: str = "condition") -> float:
    """Seconds until ``predicate()`` held; fails after ``timeout`` naming ``what``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def gunicorn(module: str, port: int, *, workers: int, env: dict, extra=(), ready: str = "/",
             scheme: str = "http", context=None, log=None) -> subprocess.Popen:
    """gunicorn serving ``module`` on 127.0.0.1:``port``, once ``ready`` answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", module, "-w", str(workers),
         "-b", f"127.0.0.1:{port}", *extra],
        cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"{scheme}://127.0.0.1:{port}{ready}"
    try:
        wait_until(lambda: answers(url, context), timeout=60, what=f"gunicorn at {url}")
    except AssertionError:
        server.terminate()
        raise
    return server


def stop_all(processes, *, timeout: float = 10) -> None:
    """Terminate ``processes`` together, then wait for each; one that does not end within
    ``timeout`` is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
