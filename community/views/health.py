import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check(fn):
    started = time.perf_counter()
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis():
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: database and Redis, as JSON; 503 when one is down."""
    checks = {"database": _check(_database)}
    if settings.REDIS_URL:
        checks["redis"] = _check(_redis)
    else:
        checks["redis"] = {"ok": True, "skipped": "REDIS_URL is not set; tasks run in-process"}
    checks["cache"] = _check(lambda: cache.get("healthz"))
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)
