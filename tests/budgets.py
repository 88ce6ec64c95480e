"""Query budgets: what a page costs, and the check that it does not grow with the data."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

BUDGET = 15


def queries(client, url) -> int:
    """Queries of a second visit (the first fills cached figures, such as member totals)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def assert_flat(small: dict[str, int], large: dict[str, int], budget: int = BUDGET) -> None:
    for name in small:
        assert large[name] <= budget, f"{name}: {large[name]} queries"
        assert large[name] == small[name], f"{name}: {small[name]} -> {large[name]} queries"
