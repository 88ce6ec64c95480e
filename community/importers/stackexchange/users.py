"""Dump users become unclaimed members."""
from __future__ import annotations

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
                    if source_id < 0:
                        raise Skip("system account (the Community bot)")
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
            self.summary.imported["users"] += len(fresh)

    def _user(self, source_id: int, row: dict, joined: datetime) -> dict:
        name = (row.get("DisplayName") or f"User {source_id}").strip()[:60]
        base = slugify(name).replace("-", "_")[:20] or "member"
        about = rendering.sanitize_html(row.get("AboutMe") or "").text[:500]
        try:
            reputation = int(row.get("Reputation") or 0)
        except ValueError:
            reputation = None
        return {
            "_source": source_id, "username": f"{base}_se{source_id}"[:30],
            "display_name": name, "bio": about, "location": (row.get("Location") or "")[:100],
            "date_joined": joined, "imported_reputation": reputation,
            "is_host": source_id in self.staff_ids,
        }

    def _owner(self, row: dict, key: str) -> tuple[int, bool]:
        try:
            pk = self.members.get(int(row.get(key) or ""))
        except ValueError:
            pk = None
        if pk is None:
            return self.former.pk, False
        return pk, pk in self.hosts
