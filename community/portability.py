"""A whole community as JSON lines, out and back in.

The file is Django's ``jsonl`` serialisation (one ``{"model", "pk", "fields"}`` object per
line) behind one header line naming the format, so that any Django tool can read it and
``import_community`` can refuse a file that is not ours in one sentence.

What goes out is everything the community owns: the models of ``community``, ``purpose``
and ``partners`` (members, spaces, threads, posts, votes, follows, events, moderation,
projects, partner organisations...) and the members' email addresses and linked logins.
What stays behind: password hashes (members set a new one through "forgot password", their
addresses are verified), login tokens of social providers, and what is derived from the
rest and rebuilt on the way in: rendered post HTML (rendered again from the text, so a
tampered file cannot inject markup) and the search index.

Loading keeps primary keys, so every reference (accepted answers, merged threads,
invitations) holds; foreign keys are checked at commit, so the order of lines within the
file does not matter to the database.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

FORMAT = "gravity-community"
VERSION = 1
CHUNK = 2000

OWNED_APPS = ("community", "purpose", "partners")
OWNED_EXTRA = ("account.EmailAddress", "socialaccount.SocialAccount")
# Left out of the file: secrets and what is rebuilt from the rest on import.
# Markdown rendered again on import, so a tampered file brings no markup: label -> (text
# field, HTML field) pairs of the other apps (Post has its own, format-aware rebuild).
RENDERED = {
    "purpose.PurposeRevision": [("story", "story_html")],
    "purpose.Project": [("description", "description_html")],
    "purpose.ProjectUpdate": [("body", "body_html")],
    "purpose.Contribution": [("body", "body_html")],
}
LEFT_OUT = {
    "community.User": {"password", "groups", "user_permissions"},
    "community.Post": {"body_html", "render_version", "search_vector"},
    "community.Thread": {"search_vector"},
    **{label: {html for _, html in pairs} for label, pairs in RENDERED.items()},
}
# Tables rebuilt from the posts on import (the search's words), not part of the file.
DERIVED = ("community.SearchWord",)
# Rows an empty site already has (a singleton made on first use): replaced by the file's.
REPLACED = ("community.CommunitySettings",)


class NotAnExport(ValueError):
    """The file is not a community export this version can read."""


def owned_models() -> list[type[models.Model]]:
    """Every model whose rows belong to the community, members first."""
    found = [m for label in OWNED_APPS for m in apps.get_app_config(label).get_models()
             if not m._meta.proxy and m._meta.label not in DERIVED]
    found += [apps.get_model(label) for label in OWNED_EXTRA]
    user = apps.get_model("community.User")
    return [user] + [m for m in found if m is not user]


def _fields(model: type[models.Model]) -> list[str]:
    left_out = LEFT_OUT.get(model._meta.label, set())
    exported = set(owned_models())
    names = [f.name for f in model._meta.concrete_fields
             if not f.primary_key and f.name not in left_out]
    names += [f.name for f in model._meta.many_to_many
              if f.name not in left_out and f.related_model in exported]
    return names


def _chunks(model: type[models.Model]) -> Iterator[list[models.Model]]:
    """The rows of ``model`` by primary key, a chunk at a time (keyset, memory flat)."""
    m2m = [f.name for f in model._meta.many_to_many if f.name in _fields(model)]
    queryset = model._base_manager.order_by("pk").prefetch_related(*m2m)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def export(out: IO[str], *, progress: Callable[[str, int], None] | None = None) -> Counter:
    """Write the community to ``out``; returns the rows written per model label."""
    counts: Counter = Counter()
    header = {"format": FORMAT, "version": VERSION,
              "models": [m._meta.label for m in owned_models()]}
    out.write(json.dumps(header) + "\n")
    for model in owned_models():
        label, names = model._meta.label, _fields(model)
        for rows in _chunks(model):
            for item in serializers.serialize("python", rows, fields=names):
                out.write(json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
            counts[label] += len(rows)
            if progress:
                progress(label, len(rows))
    return counts


def _former_members():
    """The "Former member" account a fresh site already has (migration 0017): the file's
    takes its place."""
    return apps.get_model("community.User")._base_manager.filter(is_former_member=True)


def occupied() -> list[str]:
    """Labels of owned models that already hold rows (an empty site has none)."""
    user = apps.get_model("community.User")
    return [m._meta.label for m in owned_models()
            if m._meta.label not in REPLACED and (
                m._base_manager.exclude(pk__in=_former_members()) if m is user
                else m._base_manager).exists()]


def _read_header(lines: Iterator[str]) -> dict:
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise NotAnExport("This file is not a community export (its first line does not "
                          "name the format).")
    if header.get("version") != VERSION:
        raise NotAnExport(f"This export is version {header.get('version')}; this site reads "
                          f"version {VERSION}.")
    return header


def load(lines: Iterable[str], *,
         progress: Callable[[str, int], None] | None = None) -> Counter:
    """Load an export into an empty site; all of it or, on any error, nothing."""
    lines = iter(lines)
    _read_header(lines)
    if taken := occupied():
        raise NotAnExport("This site is not empty (it has " + ", ".join(taken[:3])
                          + "): load an export only into a fresh site.")
    counts: Counter = Counter()
    allowed = set(owned_models())
    with transaction.atomic():
        for label in REPLACED:
            apps.get_model(label)._base_manager.all().delete()
        _former_members().delete()
        batch: list = []
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            try:
                (item,) = serializers.deserialize("jsonl", line, ignorenonexistent=True)
            except (DeserializationError, ValueError) as error:
                raise NotAnExport(f"Line {number} cannot be read: {error}") from error
            if type(item.object) not in allowed:
                raise NotAnExport(f"Line {number} holds a {item.object._meta.label}, which a "
                                  "community export never holds.")
            if batch and type(batch[0].object) is not type(item.object):
                _save(batch, counts, progress)
                batch = []
            batch.append(item)
            if len(batch) >= CHUNK:
                _save(batch, counts, progress)
                batch = []
        if batch:
            _save(batch, counts, progress)
        _reset_sequences()
        _rebuild()
        _former_member_settle()
    return counts


def _save(batch: list, counts: Counter, progress) -> None:
    model = type(batch[0].object)
    objects = [item.object for item in batch]
    if model is apps.get_model("community.User"):
        for user in objects:
            user.set_unusable_password()
    model._base_manager.bulk_create(objects, batch_size=CHUNK)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        links = [through(**{f"{source}_id": item.object.pk, f"{target}_id": pk})
                 for item in batch for pk in item.m2m_data.get(field.name, [])]
        through._base_manager.bulk_create(links, batch_size=CHUNK)
    counts[model._meta.label] += len(objects)
    if progress:
        progress(model._meta.label, len(objects))


def _former_member_settle() -> None:
    """The file's "Former member" account (found by its flag, as everywhere) gets the handle
    nobody can sign up with and cannot sign in, as on any site since migration 0017."""
    from community.services.users import FORMER_MEMBER_USERNAME

    formers = _former_members()
    # The file's shared account has the reserved handle (older files: the first flagged
    # one); an import's per-author placeholders are flagged too and keep their handles.
    former = (formers.filter(username=FORMER_MEMBER_USERNAME).first()
              or formers.order_by("pk").first())
    if former is not None:
        former.username, former.is_active = FORMER_MEMBER_USERNAME, False
        former.set_unusable_password()
        former.save(update_fields=["username", "is_active", "password"])


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), owned_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _rebuild() -> None:
    """Post HTML from the text (so the file cannot bring markup) and the search index."""
    from community.content import search_index
    from community.content.search import VECTOR_SQL
    from community.models import Post
    from community.services.conversations import render_body, render_stored

    last = 0
    while True:
        posts = list(Post.objects.filter(pk__gt=last).order_by("pk")[:500])
        if not posts:
            break
        for post in posts:
            rendered = render_stored(post.body, post.body_format)
            post.body_html, post.render_version = rendered.html, rendered.version
        Post.objects.bulk_update(posts, ["body_html", "render_version"])
        last = posts[-1].pk
    for label, pairs in RENDERED.items():
        model = apps.get_model(label)
        for text, html in pairs:
            rows = list(model._base_manager.exclude(**{text: ""}).only("pk", text))
            for row in rows:
                setattr(row, html, render_body(getattr(row, text)).html)
            model._base_manager.bulk_update(rows, [html], batch_size=CHUNK)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL}")  # noqa: S608  # nosec B608
        search_index.reindex_all()
