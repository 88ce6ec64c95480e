"""RFC 9457 problem details: every error the API answers is ``application/problem+json``
with ``type``, ``title``, ``status`` and ``detail`` (and ``errors``, one per field, for a
refused body or query). DRF's own exceptions, Django's (``Http404``, ``PermissionDenied``,
a service's ``ValidationError``) and the URLs no view answers all end here."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from community.content import limits

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"
# type: a stable URI per kind of problem (docs/api.md lists them).
TYPES = {
    400: ("invalid", "The request is not valid"),
    401: ("unauthenticated", "Authentication needed"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("rate-limited", "Too many requests"),
    500: ("server-error", "Server error"),
    503: ("unavailable", "Service unavailable"),
}


def type_of(status_code: int) -> str:
    return f"urn:gravity:problem:{TYPES.get(status_code, ('error', ''))[0]}"


def body(status_code: int, detail: str = "", errors: list[dict] | None = None) -> dict:
    data = {"type": type_of(status_code), "title": TYPES.get(status_code, ("", "Error"))[1],
            "status": status_code, "detail": detail or TYPES.get(status_code, ("", ""))[1]}
    if errors:
        data["errors"] = errors
    return data


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def response(status_code: int, detail: str = "", errors=None, headers=None) -> JsonResponse:
    """A problem answered outside DRF (middleware refusals, URLs no view answers, 500)."""
    answer = JsonResponse(body(status_code, detail, errors), status=status_code,
                          content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


def _field_errors(detail, field: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of ``{"field", "detail"}``."""
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            inner = name if not field else f"{field}.{name}"
            found += _field_errors(value, "" if name == "non_field_errors" else inner)
        return found
    if isinstance(detail, list):
        found = []
        for i, value in enumerate(detail):
            found += _field_errors(value, f"{field}.{i}" if isinstance(value, dict | list)
                                   and field else field)
        return found
    return [{"field": field, "detail": str(detail)}] if field else [{"detail": str(detail)}]


def validation_problem(error: DjangoValidationError) -> tuple[int, str, list[dict]]:
    """A service's or form's refusal: 429 for posting too fast (``limits.refusal_status``)."""
    code = limits.refusal_status(error)
    if hasattr(error, "error_dict"):
        errors = [{"field": "" if name == "__all__" else name, "detail": message}
                  for name, messages in error.message_dict.items() for message in messages]
        errors = [{k: v for k, v in e.items() if v} for e in errors]
        return code, errors[0]["detail"], errors
    messages = error.messages
    return code, " ".join(messages), []


def exception_handler(exc, context):
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: every exception a view raises, as a problem."""
    headers = {}
    errors = []
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if str(exc) else None)
    if isinstance(exc, DjangoValidationError):
        code, detail, errors = validation_problem(exc)
    elif isinstance(exc, exceptions.APIException):
        code = exc.status_code
        if isinstance(exc, exceptions.ValidationError):
            errors = _field_errors(exc.detail)
            detail = errors[0]["detail"] if errors else "The request is not valid."
        else:
            detail = str(exc.detail)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait) + 1)
    else:
        return None  # a bug: Django's 500 handler answers (a problem too, under /api/)
    if code == status.HTTP_429_TOO_MANY_REQUESTS and "Retry-After" not in headers:
        headers["Retry-After"] = "60"
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    browsable = renderer is not None and renderer.format == "api"
    if request is not None and not browsable:
        # Whatever the view renders (the docs page's HTML, the schema's YAML), a problem
        # is JSON.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), MEDIA_TYPE
    return Response(body(code, detail, errors), status=code, headers=headers,
                    content_type=None if browsable else MEDIA_TYPE)


@csrf_exempt  # answers every method with a 404 problem, changes nothing
def not_found(request, *args, **kwargs):
    """Every address under /api/v1/ that no resource answers."""
    return response(404, "No resource at this address.")
