"""Thread pages: reading, starting a thread, replying, following."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import pages, permissions, submissions, viewcount
from community.composer import preview_into
from community.content.limits import new_member_summary, refusal_status
from community.content.search import similar_questions
from community.engine import notifications
from community.forms import PostForm, ThreadForm
from community.models import Post, Product, Space, Thread
from community.pages.invalidation import CATALOGUE
from community.selectors import feeds as feed_selectors
from community.selectors import threads as thread_selectors
from community.selectors.feeds import page_number
from community.services import conversations, drafts, users

from .media import photo_into_body


def _fetched_or_404(pk, *, reading=False) -> Thread:
    try:
        if reading:  # kept under the thread's version; writes read the row itself
            return pages.remember(("thread", pk), lambda: thread_selectors.thread_get(pk),
                                  tags=(pages.thread_tag(pk),))
        return thread_selectors.thread_get(pk)
    except Thread.DoesNotExist:
        raise Http404(_("No such thread.")) from None


def _visible_or_404(request, thread) -> Thread:
    if not permissions.can_view_thread(request.user, thread):
        raise Http404(_("This thread was deleted."))
    return thread


def _thread_or_404(request, pk) -> Thread:
    return _visible_or_404(request, _fetched_or_404(pk))


def _reply_target(request, thread, form) -> Post | None:
    raw = form.data.get("parent") if form is not None else request.GET.get("reply_to")
    if not raw or not str(raw).isdigit():
        return None
    target = Post.objects.select_related("author").filter(pk=int(raw), thread=thread).first()
    if target is None or not permissions.can_see_post(request.user, target, thread):
        return None  # a post the reader may not see is not offered for quoting
    return target


QUOTE_MAX = 600


def quoted(post) -> str:
    """A post's text as a Markdown quote with its author, to reply under (the "Quote"
    link without JavaScript; with it, only the passage the member selected)."""
    text = post.body.strip()
    if len(text) > QUOTE_MAX:
        text = text[:QUOTE_MAX].rsplit(" ", 1)[0] + " …"
    lines = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
    return f"{lines}\n>\n> — @{post.author.username}\n\n"


def _kept_window(thread, number, *, everything, ids=None):
    """One page of posts as hosts or everyone else see it, kept under the thread's version
    (every event about the thread bumps it); in another order, the page's ``ids``."""
    return pages.remember(
        ("thread-page", thread.pk, number, everything, ids and tuple(ids)),
        lambda: thread_selectors.thread_window(thread, number, everything=everything, ids=ids),
        tags=(pages.thread_tag(thread.pk),))


def _kept_list(thread, order, *, everything):
    """A question's posts in ``order`` (``reading_list``), kept under the thread's version:
    a vote that moves an answer bumps it."""
    return pages.remember(
        ("thread-order", thread.pk, order, everything),
        lambda: thread_selectors.reading_list(thread, order, everything=everything),
        tags=(pages.thread_tag(thread.pk),))


def _answer_order(request, thread) -> str:
    """The order the reader reads ``thread``'s answers in: ``?order=`` when it names one
    (remembered for a signed-in member: a write, with its event), else a member's own
    choice, else the default. Anything else in ``?order=`` is ignored."""
    asked = request.GET.get("order", "")
    valid = asked in thread_selectors.Order.values
    if request.user.is_authenticated:
        if valid:
            users.answer_order_set(actor=request.user, order=asked)
        asked = request.user.answer_order
    return thread_selectors.order_of(thread, asked if asked in thread_selectors.Order.values
                                      else thread_selectors.DEFAULT_ORDER)


def _render_thread(request, thread, *, page, form=None, status=200):
    order = _answer_order(request, thread)
    data = thread_selectors.thread_page(thread=thread, page=page, viewer=request.user,
                                        window=_kept_window, order=order, listing=_kept_list)
    reply_to = _reply_target(request, thread, form)
    may_reply = permissions.can_reply(request.user, thread)
    draft = drafts.draft_for(request.user, f"reply:{thread.pk}") if may_reply else None
    draft = draft if draft and draft.body.strip() else None
    if form is None:
        initial = {"parent": reply_to.pk if reply_to else None}
        if reply_to and request.GET.get("quote"):
            initial["body"] = (f"{draft.body.rstrip()}\n\n" if draft else "") + quoted(reply_to)
        elif draft:
            initial["body"] = draft.body
        form = PostForm(initial=initial)
        if "body" in initial:  # this member's own text: rendered for them, not kept
            form.renders_once = False
    context = {
        "thread": thread,
        "page": data,
        "form": form,
        "reply_to": reply_to,
        "may_reply": may_reply,
        "draft": draft,
        "orders": thread_selectors.Order.choices,
        # Page links keep an order that is not the thread's default (anonymous readers).
        "order_query": "" if order == thread_selectors.order_of(
            thread, thread_selectors.DEFAULT_ORDER) else f"&order={order}",
        "suspension": request.user.active_suspension if permissions.is_member(request.user)
        else None,
        "new_member_note": may_reply and new_member_summary(request.user),
    }
    context["body"] = pages.render_body(request, context)
    return render(request, "community/thread.html", context, status=status)


def _thread_tags(request, pk, **kwargs):
    # A question names the product it is about (its name and address come from the
    # catalogue, which a product's edit or an import makes stale).
    return [pages.thread_tag(pk), CATALOGUE]


def _count_view(request, pk, **kwargs):
    if not _live_refresh(request):
        viewcount.record(pk)


def _live_refresh(request) -> bool:
    """The open page asking itself again after a live update (static/js/live.js): the
    same reader, not one more view."""
    return request.headers.get("X-Live-Refresh") == "1"


@require_GET
@pages.anonymous_page(_thread_tags, on_hit=_count_view)
def thread_detail(request, pk, slug):
    """A thread, one page of posts. Template ``community/thread.html``."""
    thread = _fetched_or_404(pk, reading=True)
    if thread.merged_into_id:  # merged away: its address sends readers to the thread it joined
        return redirect(get_object_or_404(Thread, pk=thread.merged_into_id), permanent=True)
    _visible_or_404(request, thread)
    if slug != thread.slug:
        url = reverse("thread", kwargs={"pk": thread.pk, "slug": thread.slug})
        if request.GET.get("page"):
            url += f"?page={page_number(request.GET['page'])}"
        if request.GET.get("order") in thread_selectors.Order.values:
            url += ("&" if "?" in url else "?") + f"order={request.GET['order']}"
        return redirect(url, permanent=True)
    if not request.htmx:
        if not _live_refresh(request):
            viewcount.record(thread.pk)
        notifications.read_in_thread(request.user, thread.pk)
    return _render_thread(request, thread, page=page_number(request.GET.get("page")))


@require_GET
def post_permalink(request, pk):
    """``/p/<id>/``: the page of the thread that holds the post, scrolled to it."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    thread = post.thread
    if not permissions.can_view_thread(request.user, thread):
        raise Http404(_("This thread was deleted."))
    order = _answer_order(request, thread)
    if order == thread_selectors.Order.OLDEST:
        page = thread_selectors.page_of_position(post.position)
    else:
        staff = permissions.is_staff_host(request.user)
        page = thread_selectors.page_in(
            _kept_list(thread, order, everything=staff),
            _kept_list(thread, order, everything=True), post.pk)
    url = reverse("thread", kwargs={"pk": thread.pk, "slug": thread.slug})
    return HttpResponseRedirect(f"{url}?page={page}#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, kind=Thread.Kind.QUESTION):
    """Ask a question / start a discussion / post an announcement.

    Template ``community/thread_form.html``; similar questions come from
    :func:`similar` while the member types.
    """
    # The form is only for those the service lets start one (same predicate, same sentence).
    permissions.require(permissions.can_start_thread(request.user, kind),
                        lambda: permissions.why_not_start(request.user, kind))
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES, kind=kind)
        if preview_into(request, form):  # "Preview" without JavaScript: nothing is saved
            return _thread_form(request, form, kind)
        valid = form.is_valid()
        if refused := photo_into_body(request, form):
            return _thread_form(request, form, kind, status=refusal_status(refused))
        if valid:
            data = form.cleaned_data
            done = submissions.once(request.user, form, lambda: conversations.thread_create(
                author=request.user, space=data["space"], kind=kind,
                title=data["title"], body=data["body"], tags=data["tags"],
                product=data.get("product"),
            ))
            if done.repeat:
                messages.info(request, _("That was already posted."))
                return redirect(done.url or "home")
            if done.error:  # a limit: the text stays
                return _thread_form(request, form, kind, status=refusal_status(done.error))
            thread = done.made
            if thread.is_hidden:
                messages.info(request, _("Thanks! Your post waits for a host's approval; we'll "
                                         "tell you when it is published."))
                return redirect(thread)
            messages.success(request, {
                Thread.Kind.QUESTION: _("Your question is up. We'll tell you when someone "
                                        "answers."),
                Thread.Kind.DISCUSSION: _("Your discussion is up."),
            }.get(thread.kind, _("Your announcement is published.")))
            return redirect(thread)
    else:
        space = Space.objects.filter(slug=request.GET.get("space", "")[:90]).first()
        initial = {"space": space} if space else {}
        named = request.GET.get("tag", "")[:40]  # asked from a tag's page
        if named and (tag := feed_selectors.tag_named(named)):
            initial["tags"] = tag.name
        if product := _asked_about(request, kind):
            initial.update(product=product.slug, space=product.space or space)
            if product.tag_id:
                initial["tags"] = product.tag.name
        if draft := drafts.draft_for(request.user, f"ask:{kind}"):
            initial.update(title=draft.title, body=draft.body)
        form = ThreadForm(initial=initial, kind=kind)
        return _thread_form(request, form, kind, product=product)
    return _thread_form(request, form, kind, status=400)


def _asked_about(request, kind) -> Product | None:
    """``?product=<slug>`` on the ask form: the product the question is about (404 for an
    address no product has)."""
    slug = request.GET.get("product", "")
    if not slug or kind != Thread.Kind.QUESTION:
        return None
    return get_object_or_404(Product.objects.select_related("space", "tag"), slug=slug[:90])


def _thread_form(request, form, kind, *, status=200, product=None):
    if product is None and form.is_bound:  # the product the question is about, if valid
        product = getattr(form, "cleaned_data", {}).get("product")
    return render(request, "community/thread_form.html", {
        "form": form,
        "kind": kind,
        "product": product,
        "similar": similar_questions(form.data.get("title", "")) if form.is_bound else [],
        "title": form.data.get("title", "") if form.is_bound else "",
        "new_member_note": new_member_summary(request.user),
    }, status=status)


@require_GET
def similar(request):
    """htmx: existing questions like the title being typed. Template ``_similar.html``."""
    title = request.GET.get("title", "")[:200]
    return render(request, "community/_similar.html", {
        "similar": similar_questions(title), "title": title,
    })


@login_required
@require_POST
def thread_reply(request, pk):
    """Post a reply or an answer; on errors the thread page comes back with the draft."""
    thread = _thread_or_404(request, pk)
    # conversations.post_create refuses (403, its sentence) who may not reply here; a draft
    # that does not validate comes back on the thread page, which shows the form only to
    # those who may reply.
    form = PostForm(request.POST, request.FILES)
    previewing = preview_into(request, form)  # "Preview" without JavaScript: nothing saved
    if previewing or form.photo_sent():  # nothing shown or uploaded for a refused reply
        permissions.require(permissions.can_reply(request.user, thread),
                            lambda: permissions.why_not(request.user, thread))
    if previewing:
        return _render_thread(request, thread, page=thread_selectors.last_page(thread),
                              form=form)
    valid = form.is_valid()
    if refused := photo_into_body(request, form):
        return _render_thread(request, thread, page=thread_selectors.last_page(thread),
                              form=form, status=refusal_status(refused))
    if not valid:
        return _render_thread(request, thread, page=thread_selectors.last_page(thread),
                              form=form, status=400)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        # Any post of this thread: post_create refuses one the member may not see.
        parent = Post.objects.filter(pk=data["parent"], thread=thread).first()
    done = submissions.once(request.user, form, lambda: conversations.post_create(
        author=request.user, thread=thread, body=data["body"], parent=parent
    ))
    if done.repeat:
        messages.info(request, _("That reply was already posted."))
        return HttpResponseRedirect(done.url or thread.get_absolute_url())
    if done.error:  # a limit: the draft stays in the box
        return _render_thread(request, thread, page=thread_selectors.last_page(thread),
                              form=form, status=refusal_status(done.error))
    post = done.made
    url = post.get_absolute_url()
    if post.status == Post.Status.HELD:
        messages.info(request, _("Thanks! Your post waits for a host's approval; only you "
                                 "and the hosts see it until then."))
    else:
        messages.success(request, _("Your answer is posted.") if post.kind == Post.Kind.ANSWER
                         else _("Your reply is posted."))
    return redirect(url)


@login_required
@require_POST
def thread_follow(request, pk):
    thread = _thread_or_404(request, pk)
    follow = request.POST.get("follow") != "0"
    conversations.thread_follow_set(user=request.user, thread=thread, follow=follow)
    if request.htmx:
        return render(request, "community/_follow_button.html", {
            "following": follow, "follow_url": reverse("thread_follow", args=[thread.pk]),
            "follow_label": _("Follow thread"),
        })
    messages.success(request, _("You follow this thread.") if follow else
                     _("You no longer follow this thread."))
    return redirect(thread)
