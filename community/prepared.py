"""Queries whose SQL the ORM builds once per shape and that run with each request's values.

For the queries every member's page runs (the member with their standing, the viewer's
marks on a thread page), building the SQL through the ORM cost more than PostgreSQL spent
running it. ``prepared`` builds a query once per shape from stand-in values, numbers no
row has, each within its column's range (Django drops an out-of-range condition as empty),
and ``bind`` puts the request's values in the stand-ins' places among the parameters.
"""
import functools
from collections.abc import Callable


@functools.lru_cache(maxsize=256)
def prepared(build: Callable, *shape) -> tuple[str, tuple]:
    """The SQL and parameters of ``build(*shape)``, a queryset built from stand-ins."""
    return build(*shape).query.sql_with_params()


def bind(params: tuple, values: dict[int, object]) -> list:
    """``params`` with each stand-in replaced by its value from ``values``."""
    return [values.get(p, p) if type(p) is int else p for p in params]
