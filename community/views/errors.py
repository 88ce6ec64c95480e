"""Friendly error pages that still work when the database is down; under /api/ the same
errors as problem details (``community.api.problems``)."""
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from community.api import problems


def bad_request(request, exception=None):
    if problems.is_api(request):
        return problems.response(400)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    from community.host import audit

    message = str(exception) if exception and str(exception) else ""
    audit.record("denied", request=request, detail=message)
    if problems.is_api(request):
        return problems.response(403, message)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if problems.is_api(request):
        return problems.response(404)
    return render(request, "404.html", status=404)


# Seconds a client is asked to wait while the database comes back (a restart, a failover).
RETRY_AFTER = 5


def server_error(request):
    """500, or 503 when the database could not be reached: that is an outage the site
    recovers from by itself (connections are health-checked on the next request), so the
    visitor is told to try again shortly rather than that something broke."""
    # No request context: context processors could touch the database that just failed.
    error = sys.exc_info()[1]
    outage = isinstance(error, OperationalError | InterfaceError)
    if problems.is_api(request):
        return problems.response(503 if outage else 500, headers={"Retry-After": str(
            RETRY_AFTER)} if outage else None)
    if outage:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({}))
