"""Actions on one post: vote, accept, edit, delete, history."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.composer import preview_into
from community.content.limits import refusal_status
from community.forms import PostEditForm
from community.models import Post, Vote
from community.services import conversations, drafts

from .media import photo_into_body


def _post_or_404(pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    if post.thread.is_deleted:
        raise Http404(_("This thread was deleted."))
    return post


@login_required
@require_POST
def post_vote(request, pk, kind):
    """Toggle a like or helpful vote. htmx gets the button back; others the thread."""
    if kind not in Vote.Kind.values:
        raise Http404(_("No such vote."))
    post = _post_or_404(pk)
    # The services refuse (403 with their sentence) what the voter may not do.
    if request.POST.get("undo") == "1":
        conversations.vote_withdraw(voter=request.user, post=post, kind=kind)
        voted = False
    else:
        conversations.vote_cast(voter=request.user, post=post, kind=kind)
        voted = True
    post.refresh_from_db(fields=["like_count", "helpful_count"])
    if request.htmx:
        return render(request, "community/_vote_button.html", {
            "post": post, "kind": kind, "voted": voted, "may_vote": True,
        })
    return redirect(post)


@login_required
@require_POST
def post_accept(request, pk):
    post = _post_or_404(pk)
    thread = post.thread
    if request.POST.get("undo") == "1":
        # A repeated "Unaccept" (double click, stale page) must not accept the answer again.
        conversations.answer_unaccept(actor=request.user, thread=thread, answer=post)
        messages.info(request, _("The answer is no longer marked as accepted."))
    else:
        conversations.answer_accept(actor=request.user, answer=post)
        messages.success(request, _("Marked as the accepted answer: the question shows solved."))
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    """Edit one's own post. Template ``community/post_edit.html``."""
    post = _post_or_404(pk)
    # The form is only for those the service lets edit (same predicate, same sentence).
    permissions.require(permissions.can_edit_post(request.user, post),
                        lambda: permissions.why_not_edit_post(request.user, post))
    if request.method == "POST":
        form = PostEditForm(request.POST, request.FILES)
        if preview_into(request, form):  # "Preview" without JavaScript: nothing is saved
            return render(request, "community/post_edit.html", {"form": form, "post": post})
        valid = form.is_valid()
        if refused := photo_into_body(request, form):
            return render(request, "community/post_edit.html", {"form": form, "post": post},
                          status=refusal_status(refused))
        if valid:
            was_published = post.status == Post.Status.PUBLISHED
            try:
                conversations.post_edit(actor=request.user, post=post,
                                        body=form.cleaned_data["body"])
            except ValidationError as error:  # a limit: the edited text stays in the box
                form.add_error(None, error)
                return render(request, "community/post_edit.html",
                              {"form": form, "post": post}, status=refusal_status(error))
            if was_published and post.status == Post.Status.HELD:
                messages.info(request, _("Your edit waits for a host's approval; only you and "
                                         "the hosts see the post until then."))
            else:
                messages.success(request, _("Your post is updated."))
            return redirect(post)
    else:
        draft = drafts.draft_for(request.user, f"edit:{post.pk}")
        form = PostEditForm(initial={"body": draft.body if draft else post.body})
    return render(request, "community/post_edit.html", {"form": form, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    """Confirm, then soft-delete a post. Template ``community/post_delete.html``."""
    post = _post_or_404(pk)
    if request.method == "POST":  # the service refuses who may not delete
        conversations.post_delete(actor=request.user, post=post)
        if post.kind == Post.Kind.OPENING:
            messages.success(request, _("Your thread is deleted."))
            return redirect(post.thread.space)
        messages.success(request, _("Your post is deleted."))
        return redirect(post)
    permissions.require(permissions.can_delete_post(request.user, post),
                        conversations.DELETE_REFUSAL)
    return render(request, "community/post_delete.html", {"post": post})


@login_required
@require_GET
def post_history(request, pk):
    """Earlier versions of a post, for hosts. Template ``community/post_history.html``."""
    post = _post_or_404(pk)
    permissions.require(permissions.can_view_post_history(request.user, post),
                        _("Edit history is visible to hosts only."))
    revisions = post.revisions.select_related("edited_by")
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})
