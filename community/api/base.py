"""What every API view shares: ETags on GETs (``If-None-Match`` -> 304), ``Vary`` on
who is asking, and the helpers that turn a missing or unseen object into a 404."""
import hashlib

from django.http import Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext
from rest_framework import generics, views
from rest_framework.response import Response

BIGINT_MAX = 2**63 - 1


class ETagMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if (request.method in ("GET", "HEAD") and response.status_code == 200
                and isinstance(response, Response)):
            response.render()
            tag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = tag
            # Private (it depends on who asks) and revalidated: the ETag makes that cheap.
            patch_cache_control(response, private=True, no_cache=True)
            wanted = request.headers.get("If-None-Match", "")
            if wanted and (tag in parse_etags(wanted) or f"W/{tag}" in parse_etags(wanted)
                           or wanted.strip() == "*"):
                unchanged = HttpResponseNotModified()
                for name in ("ETag", "Vary", "Cache-Control"):
                    unchanged[name] = response[name]
                return unchanged
        return response


class ApiView(ETagMixin, views.APIView):
    pass


class GenericApiView(ETagMixin, generics.GenericAPIView):
    pass


def by_pk(queryset, pk):
    """``queryset.get(pk=pk)``, a 404 for an id no row can have (past a bigint too)."""
    if not 0 < int(pk) <= BIGINT_MAX:
        raise Http404(gettext("No such object."))
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404(gettext("No such object.")) from None
