"""Post cards and the thread page's content, rendered once and kept in the shared cache.

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
same way, whole, for each shape of reader (``render_body``).
"""
import functools
import hashlib

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.template.loader import get_template, render_to_string

from community import pagecache, permissions
from community.content import rendering
from community.content.rendering import CSRF_SLOT
from community.selectors.threads import CARD_FIELDS
from community.templatetags.community import FORM_SLOTS, slotted

TTL = 24 * 3600
SLOTS_KEPT = "marked-2"  # how cards and bodies keep their slots (``rendering.to_keep``)
TEMPLATES = ("components/_post_card.html", "community/_vote_button.html",
             "components/_avatar.html")


@functools.cache
def _templates_version() -> str:
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
        _templates_version(), settings.BRAND.get("name"), post.pk, loaded(post),
        thread.accepted_answer_id == post.pk, accepted_slot, page.num_pages, may_reply,
        tuple(sorted(allowed.items())),
    )
    return "card:" + hashlib.blake2b(repr(facts).encode(), digest_size=20).hexdigest()


def _plan(user, thread, page) -> list:
    """(post, shown as the accepted answer, what the viewer may do with it) in reading
    order (``ThreadPage.reading_order``)."""
    return [(post, accepted_slot, _permissions(user, post, thread, page.voted))
            for post, accepted_slot in page.reading_order]


def _render_cards(*, thread, page, may_reply, plan) -> list:
    """The page's cards in reading order, a CSRF slot in each form."""
    wanted = [(post, accepted_slot, allowed,
               _key(post, thread, page, may_reply, accepted_slot, allowed))
              for post, accepted_slot, allowed in plan]
    found = pagecache.versioned_get_many([key for *_, key in wanted])
    fresh = {}
    cards = []
    for post, accepted_slot, allowed, key in wanted:
        card = rendering.from_kept(found.get(key))
        if card is None:
            card = render_to_string("components/_post_card.html", {
                "post": post, "thread": thread, "page": page, "may_reply": may_reply,
                "accepted_slot": accepted_slot, "card": allowed, "csrf_token": CSRF_SLOT,
                "brand": settings.BRAND,
            })
            fresh[key] = rendering.to_keep(card)
        cards.append(rendering.with_values(card, {}))  # template output, escaped then
    if fresh:
        pagecache.versioned_set_many(fresh, TTL)
    return cards


BODY_TEMPLATE = "community/_thread_body.html"


@functools.cache
def _body_version() -> str:
    source = get_template(BODY_TEMPLATE).template.source
    return hashlib.blake2b((_templates_version() + source + repr(settings.BRAND)).encode(),
                           digest_size=8).hexdigest()


def render_body(request, context: dict) -> str:
    """The thread page's content (``community/_thread_body.html``: header, cards,
    pagination, reply box), rendered once for each shape of reader and kept under the
    thread's version like the cards.

    Members mostly read pages they have neither written on nor voted on, so most of them
    share one shape: what each may do with each post (``_permissions``, which holds their
    votes), their follow, host tools, whether and how they may reply. With the cards cached,
    the template around them still cost a third of a member's thread page. The CSRF token
    and the reply form's nonce and start time are slots filled in as the body is served. A
    form sent back with errors is rendered as it is, never kept. Bodies are large and every
    event about the thread makes new ones: they are kept as long as an anonymous page, not
    as long as a card."""
    user, thread, page, form = (request.user, context["thread"], context["page"],
                                context["form"])
    plan = _plan(user, thread, page)
    key = "" if form.is_bound else pagecache.fragment_key(
        "thread-body", _body_version(), thread.pk, page.number, page.num_pages,
        [(post.pk, accepted_slot, tuple(allowed.values())) for post, accepted_slot, allowed
         in plan],
        page.following, permissions.can_use_host_tools(user), context["may_reply"],
        user.is_authenticated,
        (suspension := context["suspension"]) and (suspension.ends_at, suspension.reason),
        (reply_to := context["reply_to"]) and (reply_to.pk, reply_to.author.name),
        sorted((name, repr(value)) for name, value in form.initial.items()
               if name not in FORM_SLOTS),
        tags=(pagecache.thread_tag(thread.pk),))
    copied, values = slotted(form)
    def make():
        return rendering.to_keep(render_to_string(BODY_TEMPLATE, {
            **context, "form": copied, "csrf_token": CSRF_SLOT,
            "cards": _render_cards(thread=thread, page=page, may_reply=context["may_reply"],
                                   plan=plan),
        }, request=request))

    html = rendering.from_kept(pagecache.kept(key, make))
    if html is None:  # not what ``to_keep`` stores: rendered again, not kept
        html = rendering.from_kept(make())
    return rendering.with_values(html, values, request)
