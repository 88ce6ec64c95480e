"""The thread page's content, rendered once for each shape of reader and kept."""
import functools
import hashlib

from django.conf import settings
from django.template.loader import get_template, render_to_string

from community import permissions

from . import cards
from .slots import CSRF_SLOT, FORM_SLOTS, from_kept, slotted, to_keep, with_values
from .store import fragment_key, kept
from .versions import thread_tag

BODY_TEMPLATE = "community/_thread_body.html"


@functools.cache
def _body_version() -> str:
    source = get_template(BODY_TEMPLATE).template.source
    return hashlib.blake2b((cards.templates_version() + source + repr(settings.BRAND)).encode(),
                           digest_size=8).hexdigest()


def render_body(request, context: dict) -> str:
    """The thread page's content (``community/_thread_body.html``: header, cards,
    pagination, reply box), rendered once for each shape of reader and kept under the
    thread's version like the cards.

    Members mostly read pages they have neither written on nor voted on, so most of them
    share one shape: the order they read the answers in (its links are in the body), what
    each may do with each post (``cards._permissions``, which holds their
    votes), their follow, host tools, whether and how they may reply. With the cards cached,
    the template around them still cost a third of a member's thread page. The CSRF token
    and the reply form's nonce and start time are slots filled in as the body is served. A
    form sent back with errors is rendered as it is, never kept. Bodies are large and every
    event about the thread makes new ones: they are kept as long as an anonymous page, not
    as long as a card."""
    user, thread, page, form = (request.user, context["thread"], context["page"],
                                context["form"])
    plan = cards.plan(user, thread, page)
    # A form sent back with errors, or holding the member's own draft or quote, is theirs.
    key = "" if form.is_bound or form.initial.get("body") else fragment_key(
        "thread-body", _body_version(), thread.pk, page.number, page.num_pages, page.order,
        [(post.pk, accepted_slot, tuple(allowed.values())) for post, accepted_slot, allowed
         in plan],
        page.following, page.level, page.space_level, permissions.can_use_host_tools(user),
        context["may_reply"],
        context.get("new_member_note"),
        user.is_authenticated,
        # The product a question is about is named in the header (renamed: a new body).
        thread.product_id and (thread.product.slug, thread.product.name),
        (suspension := context["suspension"]) and (suspension.ends_at, suspension.reason),
        (reply_to := context["reply_to"]) and (reply_to.pk, reply_to.author.name),
        sorted((name, repr(value)) for name, value in form.initial.items()
               if name not in FORM_SLOTS),
        tags=(thread_tag(thread.pk),), switch="bodies")
    copied, values = slotted(form)
    def make():
        return to_keep(render_to_string(BODY_TEMPLATE, {
            **context, "form": copied, "csrf_token": CSRF_SLOT,
            "cards": cards.render_cards(thread=thread, page=page, may_reply=context["may_reply"],
                                   plan=plan),
        }, request=request))

    html = from_kept(kept(key, make))
    if html is None:  # not what ``to_keep`` stores: rendered again, not kept
        html = from_kept(make())
    return with_values(html, values, request)
