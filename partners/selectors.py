"""Reads of the partners app: one function per page, a constant number of queries each."""
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum

from community import permissions, words
from community.models import Moment, Post, User
from community.selectors.paging import Slice, page_slice
from purpose.models import Project

from .models import CoAuthor, Organisation, PartnerInvitation, PartnerMembership, PartnerPost

PAGE_SIZE = 20


def organisations_page(*, page: int) -> Slice:
    return page_slice(Organisation.objects.filter(status=Organisation.Status.VERIFIED)
                      .annotate(content=Count("posts", distinct=True)).order_by("name"),
                      page=page, size=PAGE_SIZE)


def applications() -> list[Organisation]:
    return list(Organisation.objects.filter(status=Organisation.Status.APPLIED)
                .select_related("applied_by").order_by("created_at")[:100])


def _accepted():
    return Prefetch("coauthors", to_attr="credited", queryset=CoAuthor.objects.filter(
        accepted_at__isnull=False).select_related("user").order_by("accepted_at"))


def _posts(organisation, *, viewer, limit: int):
    qs = (PartnerPost.objects.filter(organisation=organisation, thread__is_deleted=False)
          .select_related("thread", "thread__space", "created_by", "project")
          .prefetch_related(_accepted()).order_by("-created_at", "-id"))
    if not (permissions.is_staff_host(viewer) or permissions.is_partner(viewer, organisation)):
        qs = qs.filter(thread__is_hidden=False)
    return list(qs[:limit])


@dataclass
class OrganisationPage:
    organisation: Organisation
    posts: list[PartnerPost]
    projects: list[Project]
    makers: list[User]
    people: list[PartnerMembership]
    moments: list[Moment]


def organisation_page(*, organisation: Organisation, viewer) -> OrganisationPage:
    """The public page: content, projects, moments, and the members who made it with them
    (6 queries)."""
    posts = _posts(organisation, viewer=viewer, limit=30)
    projects = list(Project.objects.filter(organisation=organisation)
                    .exclude(status=Project.Status.PROPOSED).order_by("-last_activity_at")[:12])
    makers = list(User.objects.filter(
        coauthorships__post__organisation=organisation,
        coauthorships__accepted_at__isnull=False, is_active=True,
    ).distinct().order_by("display_name", "pk")[:24])
    people = list(organisation.memberships.select_related("user")
                  .order_by("-is_admin", "created_at")[:50])
    # The host's moments made with the partner, or part of one of its projects.
    moments = list(Moment.objects.filter(
        Q(partner_tie__organisation=organisation)
        | Q(project_tie__project__organisation=organisation),
        thread__is_deleted=False, thread__is_hidden=False).order_by("-opens_at", "-pk")[:12])
    return OrganisationPage(organisation=organisation, posts=posts, projects=projects,
                            makers=makers, people=people, moments=moments)


def people_page(*, organisation: Organisation) -> dict:
    return {
        "people": list(organisation.memberships.select_related("user")
                       .order_by("-is_admin", "created_at")),
        "pending": list(PartnerInvitation.objects.filter(organisation=organisation,
                                                         accepted_at__isnull=True)
                        .order_by("-created_at")[:50]),
    }


def thread_credit(thread_id: int) -> PartnerPost | None:
    """The organisation and accepted co-authors behind a thread, if a partner made it (the
    thread page keeps it under the thread's version: publishing and co-authoring are
    events about the thread)."""
    return (PartnerPost.objects.filter(thread_id=thread_id).select_related("organisation")
            .prefetch_related(_accepted()).first())


# Insights ------------------------------------------------------------------------------
# Under each piece of content, the *replies* (every post but the opening one, published and
# not deleted) are what the content started. A reply is a member's when its author is
# neither brand staff nor a partner: the feed's reading of ``community.words`` (partners on
# the brand side, ``words.customer_post``), not the dashboard's.


def insights(*, organisation: Organisation) -> dict:
    """Reach and conversation of an organisation's content (3 queries)."""
    rows = list(
        PartnerPost.objects.filter(organisation=organisation, thread__is_deleted=False)
        .select_related("thread")
        .annotate(
            replies=Count("thread__posts", filter=Q(
                thread__posts__is_deleted=False, thread__posts__status="published")
                & ~Q(thread__posts__kind=Post.Kind.OPENING), distinct=True),
            member_replies=Count("thread__posts", filter=Q(
                thread__posts__is_deleted=False, thread__posts__status="published")
                & words.customer_post("thread__posts__author_role")
                & ~Q(thread__posts__kind=Post.Kind.OPENING), distinct=True),
            participants=Count("thread__posts__author", filter=Q(
                thread__posts__is_deleted=False, thread__posts__status="published")
                & words.customer_post("thread__posts__author_role"), distinct=True),
        ).order_by("-created_at")[:100]
    )
    for row in rows:
        row.member_share = row.member_replies / row.replies if row.replies else None
    everyone = (
        Post.objects.filter(thread__partner_post__organisation=organisation,
                            thread__is_deleted=False, is_deleted=False, status="published")
        .exclude(kind=Post.Kind.OPENING)
        .aggregate(replies=Count("pk"),
                   member_replies=Count("pk", filter=words.CUSTOMER_POST),
                   participants=Count("author", distinct=True,
                                      filter=words.CUSTOMER_POST))
    )
    views = PartnerPost.objects.filter(organisation=organisation).aggregate(
        views=Sum("thread__view_count"))["views"] or 0
    totals = {
        "content": len(rows), "views": views, **everyone,
        "member_share": (everyone["member_replies"] / everyone["replies"]
                         if everyone["replies"] else None),
    }
    return {"rows": rows, "totals": totals}


# What an initiative on the hosts' strategy page may link to (registered in apps.py).


def initiative_link_choices() -> list[tuple[int, str, str]]:
    """Every offer partners published: (id, "organisation: title", address), one query."""
    offers = (PartnerPost.objects.filter(kind=PartnerPost.Kind.OFFER, thread__is_deleted=False)
              .select_related("organisation", "thread").order_by("-created_at", "-pk"))
    return [(offer.pk, f"{offer.organisation.name}: {offer.thread.title}",
             offer.thread.get_absolute_url()) for offer in offers]


def initiative_link_threads(ids: list[int]) -> dict[int, set[int]]:
    """Each offer's own thread, one query."""
    return {pk: {thread_id} for pk, thread_id in PartnerPost.objects.filter(
        pk__in=ids, kind=PartnerPost.Kind.OFFER).values_list("pk", "thread_id")}
