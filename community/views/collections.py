"""Collections: a member's boards of threads and posts, and the pages that list them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.content.limits import refusal_status
from community.forms import CollectionAddForm, CollectionForm
from community.models import Collection, CollectionItem, Post, Thread
from community.selectors import collections as selectors
from community.selectors.feeds import page_number
from community.services import collections as services


def _collection_or_404(request, pk) -> Collection:
    """A collection the visitor may see: a private one is not found for anyone else."""
    collection = get_object_or_404(Collection.objects.select_related("owner"), pk=pk)
    if not permissions.can_view_collection(request.user, collection):
        raise Http404(gettext("No such collection."))
    return collection


def _item_or_404(request, pk) -> CollectionItem:
    item = get_object_or_404(CollectionItem.objects.select_related("collection"), pk=pk)
    if not permissions.can_view_collection(request.user, item.collection):
        raise Http404(gettext("No such collection."))
    return item


def _target_or_404(request, source) -> dict:
    """The thread or post named by ``?thread=`` or ``?post=``, which the visitor can read."""
    for name, model, missing in (("thread", Thread, gettext("No such thread.")),
                                 ("post", Post, gettext("No such post."))):
        raw = source.get(name, "")
        if raw:
            if not str(raw).isdigit():
                raise Http404(missing)
            found = model.objects.filter(pk=int(raw)).first()
            if found is None:
                raise Http404(missing)
            thread = found if name == "thread" else found.thread
            visible = (permissions.can_view_thread(request.user, thread) if name == "thread"
                       else permissions.can_see_post(request.user, found, thread))
            if not visible:
                raise Http404(missing)
            return {name: found}
    raise Http404(gettext("Choose a thread or a post to add."))


def _describe(target: dict) -> str:
    if "thread" in target:
        return f"the thread “{target['thread'].title}”"
    post = target["post"]
    return f"{post.author.name}'s post in “{post.thread.title}”"


@require_GET
def collection_list(request):
    """Public collections, featured first. Template ``community/collection_list.html``."""
    page = selectors.public_collections(page=page_number(request.GET.get("page")))
    return render(request, "community/collection_list.html", {"page": page})


@login_required
@require_GET
def collection_mine(request):
    """The member's collections, and the deleted ones they can restore. Template
    ``community/collection_mine.html``."""
    page = selectors.member_collections(request.user, viewer=request.user,
                                        page=page_number(request.GET.get("page")))
    return render(request, "community/collection_mine.html", {
        "page": page, "restorable": selectors.restorable_collections(request.user),
        "may_collect": permissions.can_collect(request.user),
    })


@require_GET
def collection_detail(request, pk):
    """One collection: its items in order. Template ``community/collection_detail.html``."""
    collection = _collection_or_404(request, pk)
    page = selectors.collection_page(collection, viewer=request.user,
                                     page=page_number(request.GET.get("page")))
    return render(request, "community/collection_detail.html", {
        "collection": collection, "page": page,
    })


@login_required
@require_http_methods(["GET", "POST"])
def collection_create(request):
    """Start a collection, with the thread or post the member was adding when they came
    from "Add to collection". Template ``community/collection_form.html``."""
    permissions.require(permissions.can_collect(request.user),
                        lambda: permissions.why_not(request.user))
    source = request.POST if request.method == "POST" else request.GET
    target = _target_or_404(request, source) if (
        source.get("thread") or source.get("post")) else {}
    form = CollectionForm(request.POST or None)
    context = {"form": form, "target": target, "adding": _describe(target) if target else ""}
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(
                owner=request.user, title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                is_public=form.cleaned_data["is_public"])
        except ValidationError as error:  # a limit: what was typed stays in the form
            form.add_error(None, error)
            return render(request, "community/collection_form.html", context,
                          status=refusal_status(error))
        if target:
            try:
                services.collection_item_add(actor=request.user, collection=collection,
                                             **target)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, (gettext("Collection made, with %(target)s.")
                                           % {"target": _describe(target)}))
                return redirect(collection)
        messages.success(request, gettext("Your collection is made."))
        return redirect(collection)
    return render(request, "community/collection_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def collection_edit(request, pk):
    """Template ``community/collection_form.html``."""
    collection = _collection_or_404(request, pk)
    permissions.require(permissions.can_edit_collection(request.user, collection),
                        services.EDIT_REFUSAL)
    initial = {"title": collection.title, "description": collection.description,
               "is_public": "public" if collection.is_public else "private"}
    form = CollectionForm(request.POST or None, initial=initial)
    context = {"form": form, "collection": collection}
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_edit(actor=request.user, collection=collection,
                                     title=form.cleaned_data["title"],
                                     description=form.cleaned_data["description"],
                                     is_public=form.cleaned_data["is_public"])
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "community/collection_form.html", context,
                          status=refusal_status(error))
        messages.success(request, gettext("Your collection is saved."))
        return redirect(collection)
    return render(request, "community/collection_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def collection_delete(request, pk):
    """Confirm, then delete (restorable from "My collections"). Template
    ``community/collection_delete.html``."""
    collection = _collection_or_404(request, pk)
    permissions.require(permissions.can_edit_collection(request.user, collection),
                        services.EDIT_REFUSAL)
    if request.method == "POST":
        services.collection_delete(actor=request.user, collection=collection)
        messages.success(request, (gettext("“%(title)s” is deleted. Changed your mind? Restore it "
                                           "below for the next 30 days.")
                                   % {"title": collection.title}))
        return redirect("collection_mine")
    return render(request, "community/collection_delete.html", {"collection": collection})


@login_required
@require_POST
def collection_restore(request, pk):
    collection = get_object_or_404(Collection, pk=pk, owner=request.user)
    try:
        services.collection_restore(actor=request.user, collection=collection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("collection_mine")
    messages.success(request, (gettext("“%(title)s” is back.") % {"title": collection.title}))
    return redirect(collection)


@login_required
@require_http_methods(["GET", "POST"])
def collection_add(request):
    """Add a thread or post to one of the member's collections, or start one with it.
    Template ``community/collection_add.html``."""
    permissions.require(permissions.can_collect(request.user),
                        lambda: permissions.why_not(request.user))
    source = request.POST if request.method == "POST" else request.GET
    target = _target_or_404(request, source)
    thread, post = target.get("thread"), target.get("post")
    mine = selectors.collections_for_adding(
        request.user, thread_id=thread.pk if thread else None,
        post_id=post.pk if post else None)
    form = CollectionAddForm(request.POST or None, collections=mine)
    back = (thread or post).get_absolute_url()
    context = {"form": form, "target": target, "adding": _describe(target), "back": back,
               "target_name": "thread" if thread else "post", "target_pk": (thread or post).pk}
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["collection"]
        if chosen == CollectionAddForm.NEW:
            name = "thread" if thread else "post"
            return redirect(f"{reverse('collection_create')}?{name}={(thread or post).pk}")
        collection = next(c for c in mine if str(c.pk) == chosen)
        try:
            services.collection_item_add(actor=request.user, collection=collection,
                                         note=form.cleaned_data["note"], **target)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "community/collection_add.html", context,
                          status=refusal_status(error))
        messages.success(request, (gettext("Added to “%(title)s”.") % {"title": collection.title}))
        return redirect(back)
    return render(request, "community/collection_add.html", context)


@login_required
@require_POST
def collection_item_remove(request, pk):
    item = _item_or_404(request, pk)
    services.collection_item_remove(actor=request.user, item=item)
    messages.success(request, gettext("Removed from the collection."))
    return redirect(item.collection)


@login_required
@require_POST
def collection_item_move(request, pk):
    item = _item_or_404(request, pk)
    direction = request.POST.get("direction", "")
    try:
        services.collection_item_move(actor=request.user, item=item, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    # Back to the moved item, whose buttons keep the keyboard focus's place on the page.
    return redirect(f"{item.collection.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def collection_follow(request, pk):
    """Follow or stop following; htmx gets the button back."""
    collection = _collection_or_404(request, pk)
    follow = request.POST.get("follow") != "0"
    services.collection_follow_set(user=request.user, collection=collection, follow=follow)
    if request.htmx:
        return render(request, "community/_collection_follow.html", {
            "collection": collection, "following": follow,
            "follower_count": collection.follows.count(),
        })
    messages.success(request, gettext("You follow this collection: you will hear of what is added.")
                     if follow else gettext("You no longer follow this collection."))
    return redirect(collection)


@login_required
@require_POST
def collection_feature(request, pk):
    collection = _collection_or_404(request, pk)
    featured = request.POST.get("featured") != "0"
    services.collection_feature_set(actor=request.user, collection=collection,
                                    featured=featured)
    messages.success(request, gettext("Featured: it leads the collections page.") if featured
                     else gettext("No longer featured."))
    return redirect(collection)
