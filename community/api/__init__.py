"""The public REST API (``/api/v1/``, docs/api.md): Django REST framework views over the
same selectors, permission predicates and services as the pages, personal access tokens
with scopes, RFC 9457 problem details for every error, cursor pages, ETags and rate limits.
"""
