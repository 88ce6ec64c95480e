"""Post cards for members, rendered once and kept in the shared cache.

A thread page for a signed-in member used to render every post card through the template
engine on every request: twenty cards, each with its includes, URL reversals and seven
permission checks in template tags, cost most of the page's time. Here the viewer's
permissions for each post are worked out in Python (cheap), and a card is rendered only
when nobody has rendered that exact card before: the cache key covers everything the card
shows (the post's stored HTML and state, its counts, its author's name and picture, the
quoted parent, the thread's accepted answer and last page) and every permission that
changes it, so a change anywhere makes a new key and stale cards simply expire. One
``get_many`` fetches a page's cards. The CSRF token is the one thing that differs between
members with the same permissions: cards are stored with a placeholder that is swapped for
the request's token as they are served.
"""
import functools
import hashlib

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string

from community import pagecache, permissions, rendering

TTL = 24 * 3600
CSRF_SLOT = "card-csrf-slot"
TEMPLATES = ("components/_post_card.html", "community/_vote_button.html",
             "components/_avatar.html")


@functools.cache
def _templates_version() -> str:
    """Changes whenever the card's templates do: a deploy never serves old cards."""
    source = "".join(get_template(name).template.source for name in TEMPLATES)
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def _permissions(user, post, thread, voted) -> dict:
    return {
        "may_vote": permissions.can_vote(user, post),
        "liked": (post.pk, "like") in voted,
        "helped": (post.pk, "helpful") in voted,
        "may_accept": post.kind == "answer" and permissions.can_accept_answer(user, thread),
        "may_edit": permissions.can_edit_post(user, post),
        "may_delete": permissions.can_delete_post(user, post),
        "may_flag": permissions.can_flag(user, post),
        "may_history": bool(post.edited_at) and permissions.can_view_post_history(user, post),
        "host_tools": permissions.is_staff_host(user),
    }


def _key(post, thread, page, may_reply, accepted_slot, allowed) -> str:
    author, parent = post.author, post.parent if post.parent_id else None
    facts = (
        _templates_version(), settings.BRAND.get("name"), post.pk, post.kind, post.author_role,
        post.status, post.held_reason, post.is_deleted, post.body_html, post.created_at,
        post.edited_at, post.staff_edited_at, post.like_count, post.helpful_count,
        author.pk, author.username, author.name, str(author.avatar),
        parent and (parent.pk, parent.is_deleted, parent.author.name, parent.body[:200]),
        thread.accepted_answer_id == post.pk, accepted_slot, page.num_pages, may_reply,
        tuple(sorted(allowed.items())),
    )
    return "card:" + hashlib.blake2b(repr(facts).encode(), digest_size=20).hexdigest()


def render_cards(request, *, thread, page, may_reply) -> list:
    """The page's cards in reading order (``ThreadPage.reading_order``)."""
    user = request.user
    wanted = []
    for post, accepted_slot in page.reading_order:
        allowed = _permissions(user, post, thread, page.voted)
        wanted.append((post, accepted_slot, allowed,
                       _key(post, thread, page, may_reply, accepted_slot, allowed)))
    found = pagecache.versioned_get_many([key for *_, key in wanted])
    fresh = {}
    cards = []
    for post, accepted_slot, allowed, key in wanted:
        card = found.get(key)
        if card is None:
            card = render_to_string("components/_post_card.html", {
                "post": post, "thread": thread, "page": page, "may_reply": may_reply,
                "accepted_slot": accepted_slot, "card": allowed, "csrf_token": CSRF_SLOT,
                "brand": settings.BRAND,
            })
            fresh[key] = card
        cards.append(card)
    if fresh:
        pagecache.versioned_set_many(fresh, TTL)
    if not any(CSRF_SLOT in card for card in cards):  # nothing to post: no token to hand out
        return cards
    token = get_token(request)
    return [rendering.with_values(card, {CSRF_SLOT: token}) for card in cards]
