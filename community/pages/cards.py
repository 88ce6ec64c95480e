"""Post cards, rendered once and kept in the shared cache.

A thread page for a signed-in member used to render every post card through the template
engine on every request: twenty cards, each with its includes, URL reversals and seven
permission checks in template tags, cost most of the page's time. Here the viewer's
permissions for each post are worked out in Python (cheap), and a card is rendered only
when nobody has rendered that exact card before: the cache key covers everything the card
shows (every field the selector loads for it, ``selectors.threads.CARD_FIELDS``: the
post's stored HTML and state, its counts, its author's name and picture, the quoted parent;
and the thread's accepted answer and last page) and every permission that changes it, so
a change anywhere makes a new key and stale cards simply expire. One ``get_many`` fetches
a page's cards. The CSRF token is the one thing that differs between
members with the same permissions: cards are stored with a placeholder that is swapped for
the request's token as they are served.

The content around the cards (the thread's header, pagination, the reply box) is kept the
same way, whole, for each shape of reader (``bodies.render_body``).
"""
import functools
import hashlib

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.template.loader import get_template, render_to_string
from django.utils import translation

from community import permissions
from community.selectors.threads import CARD_FIELDS

from . import switches
from .slots import CSRF_SLOT, from_kept, to_keep, with_values
from .store import versioned_get_many, versioned_set_many

TTL = 24 * 3600
SLOTS_KEPT = "marked-2"  # how cards and bodies keep their slots (``slots.to_keep``)
TEMPLATES = ("components/_post_card.html", "community/_vote_button.html",
             "components/_avatar.html")


@functools.cache
def templates_version() -> str:
    """Changes whenever the card's templates (or how slots are kept) do: a deploy never
    serves old cards."""
    source = SLOTS_KEPT + "".join(get_template(name).template.source for name in TEMPLATES)
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def _permissions(user, post, thread, voted) -> dict:
    return {
        "may_vote": permissions.can_vote(user, post, thread),
        # The quoted parent's text obeys the parent's own visibility (held, hidden, deleted).
        "quote": bool(post.parent_id) and permissions.can_see_post(user, post.parent, thread),
        "liked": (post.pk, "like") in voted,
        "helped": (post.pk, "helpful") in voted,
        "may_accept": post.kind == "answer" and permissions.can_accept_answer(user, thread),
        "may_edit": permissions.can_edit_post(user, post),
        "may_delete": permissions.can_delete_post(user, post),
        "may_flag": permissions.can_flag(user, post),
        "may_history": bool(post.edited_at) and permissions.can_view_post_history(user, post),
        "host_tools": permissions.is_staff_host(user),
        "may_collect": permissions.can_collect(user),
    }


def loaded(post) -> tuple:
    """The value of every field the selector loads for a card (``CARD_FIELDS``, followed
    through the author and the quoted parent): a field added there is in the key at once."""
    values = []
    for path in CARD_FIELDS:
        value = post
        for name in path.split("__"):
            value = None if value is None else getattr(value, name)
        values.append(str(value) if isinstance(value, FieldFile) else value)
    return tuple(values)


def _key(post, thread, page, may_reply, accepted_slot, allowed) -> str:
    facts = (
        templates_version(), translation.get_language(), settings.BRAND.get("name"), post.pk,
        loaded(post),
        getattr(post, "owner_mark", ""),  # the owner badge (``commerce.owners.mark_posts``)
        thread.accepted_answer_id == post.pk, accepted_slot, page.num_pages, may_reply,
        tuple(sorted(allowed.items())),
    )
    return "card:" + hashlib.blake2b(repr(facts).encode(), digest_size=20).hexdigest()


def plan(user, thread, page) -> list:
    """(post, shown as the accepted answer, what the viewer may do with it) in reading
    order (``ThreadPage.reading_order``)."""
    return [(post, accepted_slot, _permissions(user, post, thread, page.voted))
            for post, accepted_slot in page.reading_order]


def render_cards(*, thread, page, may_reply, plan) -> list:
    """The page's cards in reading order, a CSRF slot in each form."""
    wanted = [(post, accepted_slot, allowed,
               _key(post, thread, page, may_reply, accepted_slot, allowed))
              for post, accepted_slot, allowed in plan]
    keep = not switches.off("cards")
    found = versioned_get_many([key for *_, key in wanted]) if keep else {}
    fresh = {}
    cards = []
    for post, accepted_slot, allowed, key in wanted:
        card = from_kept(found.get(key))
        if card is None:
            card = render_to_string("components/_post_card.html", {
                "post": post, "thread": thread, "page": page, "may_reply": may_reply,
                "accepted_slot": accepted_slot, "card": allowed, "csrf_token": CSRF_SLOT,
                "brand": settings.BRAND,
            })
            fresh[key] = to_keep(card)
        cards.append(with_values(card, {}))  # template output, escaped then
    if fresh and keep:
        versioned_set_many(fresh, TTL)
    return cards
