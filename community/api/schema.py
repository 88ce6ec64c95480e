"""The OpenAPI schema's shared parts: every operation answers its errors as problem
details (``community.api.problems``), GETs may answer 304 to ``If-None-Match``."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .problems import MEDIA_TYPE, TYPES

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object",
            "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
            "required": ["detail"]}},
    },
    "required": ["type", "title", "status", "detail"],
}
READ_ERRORS = (400, 401, 403, 404, 406, 429)
WRITE_ERRORS = (*READ_ERRORS, 413, 415)


def add_problems(result, generator, request, public):
    """drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS``)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = READ_ERRORS if method == "get" else WRITE_ERRORS
            for code in codes:
                responses.setdefault(str(code), {
                    "description": TYPES[code][1], "content": {MEDIA_TYPE: {"schema": ref}}})
            if method == "get":
                responses.setdefault("304", {
                    "description": "Not modified: the ETag sent in If-None-Match still "
                                   "names this response."})
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "community.api.auth.TokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "grv_<prefix>_<secret>",
                "description": "A personal access token from /settings/tokens/."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "community.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The site's session (the browsable API); writes need the "
                               "CSRF token too."}


class OAuthScheme(OpenApiAuthenticationExtension):
    target_class = "community.api.auth.OAuthAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        from .access import scope_for

        return {self.name: [scope_for(auto_schema.method, auto_schema.view)]}

    def get_security_definition(self, auto_schema):
        from .oauth.server import SCOPE_WORDS

        return {
            "type": "oauth2",
            "description": "A third-party app's access token (docs/api.md, \"OAuth 2 for "
                           "third-party apps\"): the authorization-code grant with PKCE "
                           "(S256) and refresh tokens; the scopes never exceed the "
                           "member's role.",
            "flows": {"authorizationCode": {
                "authorizationUrl": "/oauth/authorize/",
                "tokenUrl": "/oauth/token/",
                "refreshUrl": "/oauth/token/",
                "scopes": {scope: str(words) for scope, words in SCOPE_WORDS.items()},
            }},
        }
