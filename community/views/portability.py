"""A member's own data: what we hold about them, and all of it as one download."""
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community.commerce.ownership import owned_by
from community.engine import notice_settings
from community.models import Collection, Post, PostImage, Vote


@login_required
@require_GET
def my_data(request):
    """What we hold about you, and the download button. Template ``my_data.html``."""
    return render(request, "community/my_data.html", {
        "posts": Post.objects.filter(author=request.user).count(),
        "votes": Vote.objects.filter(voter=request.user).count(),
    })


@login_required
@require_GET
def my_data_download(request):
    """Your profile, the products you own, posts, photos, votes and collections as one JSON
    file."""
    user = request.user
    data = {
        "profile": {
            "handle": user.username, "display_name": user.display_name, "email": user.email,
            "bio": user.bio, "location": user.location, "products": user.products,
            "interests": user.interests, "joined": user.date_joined.isoformat(),
            "digest": user.digest, "email_notifications": user.email_notifications,
            "notifications": notice_settings.choices_of(user.notice_settings),
            "owner_asks": user.accepts_owner_asks,
        },
        "products_owned": [
            {"sku": o.product.sku, "name": o.product.name, "source": o.source,
             "verified_at": o.verified_at and o.verified_at.isoformat(),
             "purchased_on": o.purchased_on and o.purchased_on.isoformat(),
             "order_ref": o.order_ref}
            for o in owned_by(user)
        ],
        "posts": [
            {"id": p.pk, "thread": p.thread.title, "thread_id": p.thread_id, "kind": p.kind,
             "body": p.body, "created_at": p.created_at.isoformat(), "deleted": p.is_deleted,
             "url": request.build_absolute_uri(p.get_absolute_url())}
            for p in Post.objects.filter(author=user).select_related("thread")
            .order_by("created_at").iterator(chunk_size=500)
        ],
        "photos": [
            {"key": i.key, "alt_text": i.alt_text, "post_id": i.post_id,
             "created_at": i.created_at.isoformat(),
             "files": [request.build_absolute_uri(url) for url, _, _ in i.urls()]}
            for i in PostImage.objects.filter(uploader=user).order_by("created_at")
            .iterator(chunk_size=500)
        ],
        "votes": [
            {"post_id": v.post_id, "kind": v.kind, "created_at": v.created_at.isoformat()}
            for v in Vote.objects.filter(voter=user).order_by("created_at")
            .iterator(chunk_size=500)
        ],
        "collections": [
            {"id": c.pk, "title": c.title, "description": c.description,
             "public": c.is_public, "created_at": c.created_at.isoformat(),
             "deleted": c.deleted_at is not None,
             "items": [{"thread_id": i.thread_id, "post_id": i.post_id, "note": i.note,
                        "added_at": i.added_at.isoformat()} for i in c.items.all()]}
            for c in Collection.objects.filter(owner=user).prefetch_related("items")
            .order_by("created_at")
        ],
    }
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{user.username}-data.json"'
    return response
