"""Friendly error pages that still work when the database is down."""
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    from community import audit

    message = str(exception) if exception and str(exception) else ""
    audit.record("denied", request=request, detail=message)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: context processors could touch the database that just failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
