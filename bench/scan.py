"""``make scan``: Wapiti against the running site, as a second opinion on SECURITY.md.

Builds a fresh demo community in PostgreSQL (``SCAN_DATABASE_URL``, default
``gravity_scan``), serves it with gunicorn under production settings over HTTPS (a
self-signed certificate made for the run, so HSTS and secure cookies are what a scanner
sees), signs Wapiti in as an ordinary member and runs the modules xss, permanentxss, csrf,
redirect, http_headers, csp and cookieflags. The JSON report goes to
``bench/results/wapiti.json`` and a summary by severity to stdout; any finding above
informational makes the command fail. Wapiti lives in its own virtualenv (``.venv-scan``),
apart from the site's dependencies.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serving import free_port, gunicorn

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("SCAN_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/gravity_scan")
WAPITI = Path(os.environ.get("WAPITI", ROOT / ".venv-scan" / "bin" / "wapiti"))
MODULES = "xss,permanentxss,csrf,redirect,http_headers,csp,cookieflags"
REPORT = ROOT / "bench" / "results" / "wapiti.json"
SCANNER = ("scanner", "scanner@example.com", "a scanner's long passphrase 7")
# Pages whose forms would end the scan's own session or account, or wipe its data.
EXCLUDED = ["/accounts/logout/*", "/settings/delete/*", "/accounts/password/change/*",
            "/accounts/email/*", "/accounts/sessions/*", "/accounts/3rdparty/*"]
LEVELS = {1: "low", 2: "medium", 3: "high", 4: "critical"}


def _env(port: int) -> dict:
    return {
        **os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "0",
        "SECRET_KEY": "scan-" + os.urandom(24).hex(), "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "REDIS_URL": os.environ.get("SCAN_REDIS_URL", "redis://127.0.0.1:6379/3"),
        "CACHE_PREFIX": "scan", "TASKS_EAGER": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _prepare(env: dict) -> None:
    server, name = DATABASE_URL.rsplit("/", 1)
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True)  # nosec B607
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                    ["seed_demo", "--allow-production"]):  # a throwaway, loopback site
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
    username, email, password = SCANNER
    subprocess.run([*manage, "shell", "-c", (
        "from allauth.account.models import EmailAddress\n"
        "from community.models import User\n"
        f"u = User.objects.create_user({username!r}, {email!r}, {password!r})\n"
        "u.trust_level = User.Trust.MEMBER; u.save()\n"
        f"EmailAddress.objects.create(user=u, email={email!r}, verified=True, primary=True)\n"
        "from community.models import CommunitySettings\n"
        "s = CommunitySettings.get(); s.min_fill_seconds = 0; s.save()\n")],
        cwd=ROOT, env=env, check=True)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",  # nosec B607
                    "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    return cert, key


def _serve(port: int, env: dict, cert: Path, key: Path) -> subprocess.Popen:
    import ssl

    context = ssl._create_unverified_context()  # noqa: S323  # nosec B323
    return gunicorn("config.wsgi", port, workers=3, env=env, ready="/healthz", scheme="https",
                    context=context, extra=("--certfile", str(cert), "--keyfile", str(key),
                                            "--log-level", "warning"))


def summarise(report: dict) -> tuple[dict, list]:
    """Findings by severity, and those above informational."""
    counts, serious = {}, []
    for section in ("vulnerabilities", "anomalies"):
        for category, findings in report.get(section, {}).items():
            for finding in findings:
                level = LEVELS.get(finding.get("level", 0), "info")
                counts[level] = counts.get(level, 0) + 1
                if level != "info":
                    serious.append((level, category, finding.get("path"),
                                    finding.get("parameter"), finding.get("info")))
    return counts, serious


def main() -> None:
    if not WAPITI.exists():
        sys.exit(f"{WAPITI} is missing: python3 -m venv .venv-scan && "
                 ".venv-scan/bin/pip install wapiti3 (or make scan)")
    port = free_port()
    env = _env(port)
    _prepare(env)
    base = f"https://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as folder:
        cert, key = _certificate(Path(folder))
        server = _serve(port, env, cert, key)
        try:
            REPORT.parent.mkdir(parents=True, exist_ok=True)
            command = [str(WAPITI), "-u", base, "-m", MODULES, "--scope", "folder",
                       "--form-url", f"{base}accounts/login/", "--form-user", SCANNER[1],
                       "--form-password", SCANNER[2], "-d", os.environ.get("SCAN_DEPTH", "3"),
                       "--max-scan-time", os.environ.get("SCAN_SECONDS", "900"),
                       "--max-attack-time", "120", "--flush-session", "--no-bugreport",
                       "-f", "json", "-o", str(REPORT), "--verify-ssl", "0"]
            for pattern in EXCLUDED:
                command += ["-x", base.rstrip("/") + pattern]
            subprocess.run(command, check=True)
        finally:
            server.terminate()
            server.wait(10)
    report = json.loads(REPORT.read_text())
    counts, serious = summarise(report)
    crawled = report.get("infos", {}).get("crawled_pages_nbr", "?")
    print(f"\nWapiti {report.get('infos', {}).get('version', '')}: {crawled} pages crawled; "
          f"findings by level: {counts or 'none'}")
    for row in serious:
        print("  ", *row)
    if serious:
        sys.exit(1)


if __name__ == "__main__":
    main()
