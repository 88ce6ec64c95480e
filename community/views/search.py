"""Search page."""
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from community import pages
from community.content import search as search_engine
from community.host.listening.services import search_miss_record
from community.models import Tag, Thread
from community.selectors.feeds import page_number
from community.views.feeds import kept_spaces


def _searched(query, filters, page, correct):
    """The search's results; a first page that found nothing without filters is counted
    for the hosts' digest by its words alone (``listening.services.search_miss_record``).
    Counted when the results are computed: a repeat served from the kept fragment is not
    counted again until the threads change."""
    found = search_engine.search(query, filters, page=page, correct=correct)
    if not found.results and page == 1 and filters == search_engine.Filters():
        search_miss_record(words=search_engine.words_of(query))
    return found


@require_GET
@pages.anonymous_page(lambda request, **kwargs: ["feed"])
def search(request):
    """Full-text search over every post, with filters. Template ``community/search.html``
    (also reached from the search box of the site header)."""
    query = request.GET.get("q", "")[: search_engine.MAX_QUERY]
    filters = search_engine.Filters(
        space=request.GET.get("space", "")[:90],
        tag=request.GET.get("tag", "")[:40],
        kind=request.GET.get("kind", ""),
        solved=request.GET.get("solved", ""),
        by=request.GET.get("by", ""),
    )
    page = page_number(request.GET.get("page"))
    correct = request.GET.get("spell") != "0"  # "Search instead for" the words as typed
    tag = Tag.objects.filter(name=filters.tag).first() if filters.tag else None
    # Results are the same for every visitor: rendered once per version of the feed (any
    # change to threads bumps it), their queries run only when the fragment is rendered.
    if query.strip():
        results = SimpleLazyObject(lambda: _searched(query, filters, page, correct))
    elif tag is not None:
        results = SimpleLazyObject(lambda: search_engine.tagged(tag, filters, page=page))
    else:
        results = None
    params = request.GET.copy()
    params.pop("page", None)
    as_typed = request.GET.copy()
    as_typed.pop("page", None)
    as_typed["spell"] = "0"
    untagged = request.GET.copy()  # the same search without the tag filter
    for name in ("page", "tag"):
        untagged.pop(name, None)
    return render(request, "community/search.html", {
        "query": query,
        "filters": filters,
        "results": results,
        "results_key": pages.fragment_key(
            "search", search_engine.words_of(query), filters, page, tag and tag.pk,
            params.urlencode()),
        "tag": tag,
        "spaces": kept_spaces(),
        "kinds": Thread.Kind.choices,
        "query_prefix": params.urlencode(),
        "as_typed": as_typed.urlencode(),
        "untagged": untagged.urlencode(),
    })
