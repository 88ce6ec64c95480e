"""Photos in posts: upload, attach to the post that shows them, delete what nobody shows.

An upload is not a page change (nobody sees a photo until a post shows it), so it records
no event; attaching is part of the post write that records its own (``ThreadCreated``,
``PostCreated``, ``PostEdited``), and the daily clean-up only removes what no page shows.
"""
import io
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from PIL import Image

from community import permissions
from community.content import limits, rendering
from community.content.images import clean_image
from community.models import CommunitySettings, Post, PostImage

from .users import ACCOUNT_CONTENT_HANDLERS

log = logging.getLogger(__name__)

ALT_MAX = 300
ALT_REQUIRED = (gettext_lazy("Describe the photo in a few words (its alt text), for people who "
                "cannot see it."))
UPLOAD_KEY_RE = re.compile(rf"{rendering.UPLOAD_SCHEME}({rendering.UPLOAD_KEY})")


def uploads_today(user, now=None) -> int:
    since = (now or timezone.now()) - timedelta(days=1)
    return PostImage.objects.filter(uploader=user, created_at__gte=since).count()


def _quota_check(user) -> None:
    if permissions.is_staff_host(user):
        return
    most = settings.UPLOAD_IMAGES_PER_DAY
    if uploads_today(user) >= most:
        raise ValidationError(
            (gettext("You can add %(most)s photos a day and you have reached that. Try again "
                     "tomorrow: your text is kept here.") % {"most": most}), code="upload_quota")


def _new_member_check(user) -> None:
    if permissions.is_new_member(user) and CommunitySettings.get().new_member_max_images == 0:
        raise ValidationError(limits.with_note(gettext("New members cannot add photos yet.")),
                              code="new_member_limit")


def _sizes(cleaned) -> tuple[str, list[tuple[bytes, int, int]]]:
    """The re-encoded image at each configured size (smallest first, never upscaled)."""
    data = cleaned.read()
    ext = cleaned.name.rsplit(".", 1)[1]
    with Image.open(io.BytesIO(data)) as largest:
        largest.load()
        width, height = largest.size
        out = []
        for side in sorted(settings.POST_IMAGE_SIZES):
            if side >= max(width, height):
                break
            smaller = largest.copy()
            smaller.thumbnail((side, side))
            buffer = io.BytesIO()
            if ext == "png":
                smaller.save(buffer, format="PNG", optimize=True)
            else:
                smaller.save(buffer, format="JPEG", quality=85, optimize=True)
            out.append((buffer.getvalue(), *smaller.size))
    out.append((data, width, height))
    return ext, out


def image_upload(*, uploader, upload, alt_text: str) -> PostImage:
    """Store a member's photo at every size; the row waits for a post to show it.

    Refused with a sentence (``ValidationError``): no alt text, a new member who may not
    add images, the day's quota reached (code ``upload_quota``: a 429), a file that is not
    a plain image (``content.images.clean_image``). Who may not post gets a 403."""
    permissions.require(permissions.can_upload_image(uploader),
                        lambda: permissions.why_not(uploader))
    alt = " ".join((alt_text or "").split())
    if not alt:
        raise ValidationError(ALT_REQUIRED, code="alt_required")
    if len(alt) > ALT_MAX:
        raise ValidationError((gettext("Keep the description under %(ALT_MAX)s characters.")
                               % {"ALT_MAX": ALT_MAX}),
                              code="alt_too_long")
    if not upload.size:
        raise ValidationError(gettext("That file is empty."), code="empty")
    _new_member_check(uploader)
    _quota_check(uploader)  # cheap, before decoding
    cleaned = clean_image(upload, max_side=max(settings.POST_IMAGE_SIZES))
    ext, sizes = _sizes(cleaned)
    key = secrets.token_hex(12)
    stored = []
    try:
        for data, width, height in sizes:
            name = default_storage.save(f"posts/{key}-{width}.{ext}", ContentFile(data))
            stored.append({"name": name, "width": width, "height": height})
        with transaction.atomic():
            limits.lock_author(uploader)  # parallel uploads see each other's rows
            _quota_check(uploader)
            return PostImage.objects.create(
                key=key, uploader=uploader, alt_text=alt, width=sizes[-1][1],
                height=sizes[-1][2], variants=stored)
    except BaseException:
        for variant in stored:
            default_storage.delete(variant["name"])
        raise


def _not_products(queryset):
    """``queryset`` without the catalogue's photos (a product's photo is its product's,
    never an orphan; by a subquery, so the rows can still be locked)."""
    from community.models import ProductImage

    return queryset.exclude(pk__in=ProductImage.objects.values("image_id"))


def keys_in(body: str) -> set[str]:
    return set(UPLOAD_KEY_RE.findall(body or ""))


def uploads_for(owners) -> "callable":
    """The renderer's look-up of ``upload:<key>`` images (one query a render, at write
    time): images already in a post, and those of ``owners`` waiting for one. Someone
    else's unattached upload is not shown (it would be deleted under the post)."""
    from django.db.models import Q

    owner_ids = [getattr(o, "pk", o) for o in owners or ()]

    def lookup(keys: set[str]) -> dict[str, rendering.Upload]:
        rows = (PostImage.objects.filter(key__in=keys)
                .filter(Q(post__isnull=False) | Q(uploader_id__in=owner_ids))
                .only("key", "alt_text", "variants"))
        return {row.key: rendering.Upload(alt=row.alt_text, sources=row.urls())
                for row in rows}

    return lookup


def images_attach(post: Post, *, owners) -> int:
    """Inside the post's write: the images its body shows that ``owners`` uploaded and no
    post has taken become this post's; those it no longer shows are let go (deleted by the
    clean-up unless another post shows them). Returns how many it took (for a new post:
    the photos it shows, which its event records)."""
    keys = keys_in(post.body)
    owner_ids = [getattr(o, "pk", o) for o in owners]
    taken = 0
    if keys:
        taken = _not_products(PostImage.objects.filter(
            key__in=keys, post__isnull=True, uploader_id__in=owner_ids)).update(post=post)
    PostImage.objects.filter(post=post).exclude(key__in=keys).update(post=None)
    return taken


def photos_first(post: Post, *, taken: int) -> int | None:
    """After an edit (its revision written) took ``taken`` photos: the photos the post now
    shows, when no earlier text of the post named one and it is not an entry to a moment
    (either was counted as content when written), so that the edit's event counts the post
    as content, once; else None. Two indexed look-ups by post, only when it took photos."""
    if not taken:
        return None
    from community.models import MomentEntry, PostRevision

    if MomentEntry.objects.filter(post=post).exists():
        return None
    if PostRevision.objects.filter(post=post, body__contains=rendering.UPLOAD_SCHEME).exists():
        return None
    return PostImage.objects.filter(post=post).count()


def _files_delete_on_commit(rows) -> None:
    names = [v["name"] for row in rows for v in row.variants]

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # gone already: the row is what mattered
                log.warning("post image file %s could not be deleted", name)

    transaction.on_commit(delete)


def images_delete(queryset) -> int:
    """Delete the images' rows, and their files once that is committed."""
    with transaction.atomic():
        rows = list(queryset.select_for_update())
        if not rows:
            return 0
        PostImage.objects.filter(pk__in=[r.pk for r in rows]).delete()
        _files_delete_on_commit(rows)
    return len(rows)


def orphans_delete(*, now=None) -> int:
    """Daily (``community.clean_orphan_images``): delete images no post took that are older
    than ``ORPHAN_IMAGE_HOURS``. One still named by a post's text (copied from another
    post) is given to that post instead; a product's photo is its product's."""
    since = (now or timezone.now()) - timedelta(hours=settings.ORPHAN_IMAGE_HOURS)
    old = _not_products(PostImage.objects.filter(post__isnull=True, created_at__lt=since))
    doomed = []
    for image in old.only("pk", "key"):
        holder = (Post.objects.filter(body__contains=f"{rendering.UPLOAD_SCHEME}{image.key}")
                  .values_list("pk", flat=True).first())
        if holder is None:
            doomed.append(image.pk)
        else:
            PostImage.objects.filter(pk=image.pk, post__isnull=True).update(post_id=holder)
    return images_delete(_not_products(PostImage.objects.filter(pk__in=doomed,
                                                                post__isnull=True)))


def _images_on_account_delete(*, user, former_member, remove_posts: bool) -> None:
    """Photos follow the posts: kept with them under "Former member", or deleted with their
    text; uploads no post took are deleted either way. The catalogue's photos a host added
    stay with their products."""
    mine = PostImage.objects.filter(uploader=user)
    if remove_posts:
        images_delete(_not_products(mine))
        mine.update(uploader=former_member)
        return
    images_delete(_not_products(mine.filter(post__isnull=True)))
    mine.update(uploader=former_member)


ACCOUNT_CONTENT_HANDLERS.append(_images_on_account_delete)
