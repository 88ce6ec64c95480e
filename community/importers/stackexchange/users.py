"""Dump users become unclaimed members; system accounts and deleted authors get their own
accounts that nobody signs in to."""
from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils.text import slugify

from community.content import rendering
from community.importers.bulk import Rows
from community.importers.stackexchange.reading import Skip, as_int, parse_date
from community.models import User


class UsersPass:
    """Users.xml, for :class:`~.importer.StackExchangeImport`."""

    def users(self) -> None:
        table = Rows(User, password=self._password, email=None, is_unclaimed=True,
                     trust_level=User.Trust.MEMBER, is_active=True)
        for batch in self._stream("Users.xml", "users", "Users"):
            self.summary.read["users"] += len(batch)
            fresh = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    joined = parse_date(row.get("CreationDate"))
                except Skip as reason:
                    self.summary.skip("users", str(reason), row.get("Id"))
                    continue
                if source_id in self.members:
                    self.summary.already["users"] += 1
                else:
                    fresh.append(self._user(source_id, row, joined))
            if not fresh:
                continue
            with transaction.atomic():
                taken = set(User.objects.filter(
                    username__in=[u["username"] for u in fresh]).values_list("username",
                                                                           flat=True))
                for user, pk in zip(fresh, table.ids(len(fresh)), strict=True):
                    user["id"] = pk
                    if user["username"] in taken:
                        user["username"] = (user["username"][:26] + "_imp")[:30]
                table.write(fresh)
                self._record("user", [(u["_source"], u["id"], None) for u in fresh])
            for user in fresh:
                self.members[user["_source"]] = user["id"]
                if user["is_host"]:
                    self.hosts.add(user["id"])
                if user["_source"] < 0:
                    self.summary.note("users", "system account (the Community bot), "
                                      "imported as the site's own voice (staff, no sign-in)",
                                      user["_source"])
            self.summary.imported["users"] += len(fresh)

    def _user(self, source_id: int, row: dict, joined: datetime) -> dict:
        name = (row.get("DisplayName") or f"User {source_id}").strip()[:60]
        base = slugify(name).replace("-", "_")[:20] or "member"
        about = rendering.sanitize_html(row.get("AboutMe") or "").text[:500]
        try:
            reputation = int(row.get("Reputation") or 0)
        except ValueError:
            reputation = None
        user = {
            "_source": source_id, "username": f"{base}_se{source_id}"[:30],
            "display_name": name, "bio": about, "location": (row.get("Location") or "")[:100],
            "date_joined": joined, "imported_reputation": reputation,
            "is_host": source_id in self.staff_ids,
        }
        if source_id < 0:
            # Stack Exchange's negative ids are system accounts ("Community", -1): the site
            # itself, not a person. Listed in --staff-user-ids or not, its posts are the
            # host's side, never a member's, and nobody signs in to it or claims it.
            user.update(username=f"{base}_system{-source_id}"[:30], is_host=True,
                        is_unclaimed=False, is_active=False)
        return user

    def _owner(self, row: dict, key: str, kind: str, source_id: int) -> tuple[int, bool]:
        """``(author pk, is staff)`` of a post (``kind`` "post") or comment ("comment")
        whose author id is in ``row[key]``; after :meth:`_departed_make` for the batch."""
        found = self._departed_key(row, key, kind, source_id)
        if found is None:
            pk = self.members[int(row[key])]
            return pk, pk in self.hosts
        return self.departed[found[:2]], False

    # Authors the dump no longer has ----------------------------------------------------

    def _departed_key(self, row: dict, key: str, kind: str,
                      source_id: int) -> tuple[str, int, str] | None:
        """None for an imported author; else ``(kind, key, name)`` of the author's
        placeholder: one per missing user id, else per display name (a deleted Stack
        Exchange account keeps its name, e.g. "user332", on every post), else one per post
        or comment, so that two strangers never become one person."""
        raw = (row.get(key) or "").strip()
        name = (row.get(DISPLAY_NAME[key]) or "").strip()
        try:
            user = int(raw) if raw else None
        except ValueError:
            user = None
        if user is not None:
            if user in self.members:
                return None
            return "gone-user", user, name or f"User {user}"
        if name:
            digest = hashlib.blake2b(name.encode(), digest_size=7).digest()
            return "gone-name", int.from_bytes(digest, "big"), name
        return f"gone-{kind[:4]}", source_id, ""

    def _departed_make(self, items: list[tuple[dict, str, str, int, datetime]]) -> None:
        """Placeholders for the authors of ``items`` (``(row, key, kind, source id, date)``)
        that have none yet, written in the caller's transaction with their records.

        A placeholder is a former member who keeps the posts under the name the dump gives
        (marked as deleted): inactive, without a password or an email, not claimable, and
        flagged ``is_former_member`` so that sign-in refuses it. The site's one shared
        "Former member" stays for members who delete their account here."""
        wanted: dict[tuple[str, int], tuple[str, datetime]] = {}
        for row, key, kind, source_id, created in items:
            found = self._departed_key(row, key, kind, source_id)
            if found is not None and found[:2] not in self.departed:
                wanted.setdefault(found[:2], (found[2], created))
        if not wanted:
            return
        table = Rows(User, password=self._password, email=None, is_unclaimed=False,
                     is_active=False, is_former_member=True)
        fresh = []
        for ((kind, key), (name, created)), pk in zip(wanted.items(),
                                                      table.ids(len(wanted)), strict=True):
            handle = hashlib.blake2b(f"{self.source}|{kind}|{key}".encode(),
                                     digest_size=8).hexdigest()
            fresh.append({"id": pk, "username": f"deleted-{handle}",
                          "display_name": f"{name[:50]} (deleted)" if name
                          else "Former member", "date_joined": created})
            self.departed[(kind, key)] = pk
        table.write(fresh)
        for kind in {kind for kind, _ in wanted}:
            self._record(kind, [(key, self.departed[(k, key)], None)
                                for k, key in wanted if k == kind])
        self.summary.departed += len(fresh)


#: Where a row names an author the dump no longer has.
DISPLAY_NAME = {"OwnerUserId": "OwnerDisplayName", "UserId": "UserDisplayName"}
