"""Cursor pages: ``next`` and ``previous`` are opaque links, stable while rows are added
(no page shifts under a reader); ``page_size`` up to 100."""
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
