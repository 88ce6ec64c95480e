"""Known-item search on the real beer dump: an answer is found again from three of its
rarest words (community/content/search_eval.py, docs/search.md)."""
import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from community.content import search_eval
from tests.evaldata import BEER, BEER_STAFF

pytestmark = pytest.mark.django_db


def test_the_rarest_words_of_a_post_are_its_own_words_without_stopwords():
    words = search_eval.words_in("<p>The <a href='https://x.example/'>Isinglass</a> "
                                 "&amp; gelatine, 2 of them: ok?</p>")
    assert words == {"isinglass", "gelatine", "them"} - search_eval.STOPWORDS


def test_the_command_reports_its_figures(member, other_member):
    from community.services import conversations

    from .. import factories

    space = factories.SpaceFactory(name="Brewing")
    for n, (title, body) in enumerate([("Cloudy beer", "Use isinglass finings."),
                                       ("Flat beer", "Prime with dextrose sugar."),
                                       ("Sour beer", "Lactobacillus got in.")]):
        thread = conversations.thread_create(author=member, space=space, kind="question",
                                             title=title, body=f"Question {n}.")
        conversations.post_create(author=other_member, thread=thread, body=body)
    out = StringIO()
    call_command("evaluate_search", "--space", space.slug, "--n", "3", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures == {"n": 3, "hit@1": 1.0, "hit@5": 1.0, "mrr": 1.0, "seed": 1,
                       "space": space.slug}


@pytest.mark.skipif(not BEER.is_dir(), reason="the evaluation dump is not on this machine")
def test_known_answers_of_the_beer_dump_are_found_in_the_first_five():
    started = time.monotonic()
    call_command("import_stackexchange", str(BEER), "--space", "beer", "--no-progress",
                 "--staff-user-ids", BEER_STAFF, stdout=StringIO())

    figures = search_eval.evaluate(space="beer", n=200, seed=1)

    assert figures["n"] == 200
    assert figures["hit@5"] >= 0.9, figures
    assert time.monotonic() - started < 60
