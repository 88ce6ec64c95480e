"""Reads of the purpose app: one function per page, a constant number of queries each."""
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy

from community import permissions
from community.selectors.paging import Slice, page_slice

from .models import (
    Contribution,
    ContributionVote,
    Need,
    Pledge,
    Project,
    ProjectFollow,
    ProjectMember,
    ProjectMoment,
    ProjectThread,
    ProjectUpdate,
    PurposeRevision,
    StatusChange,
)

PAGE_SIZE = 20
UPDATES_SHOWN = 10
CONTRIBUTIONS_SHOWN = 12
MOMENTS_SHOWN = 12


class Sort:
    ACTIVITY, NEWEST, PEOPLE = "activity", "newest", "people"
    CHOICES = [(ACTIVITY, gettext_lazy("Recent activity")), (NEWEST, gettext_lazy("Newest")),
            (PEOPLE, gettext_lazy("Most people"))]
    ORDER = {ACTIVITY: ("-last_activity_at", "-id"), NEWEST: ("-created_at", "-id"),
             PEOPLE: ("-member_count", "-last_activity_at", "-id")}


def purpose_current() -> PurposeRevision | None:
    """The newest revision (the home page keeps it under the site's version: a new
    revision bumps the site, ``services.purpose_revise``)."""
    return (PurposeRevision.objects.select_related("editor")
            .order_by("-created_at", "-id").first())


def purpose_history(*, page: int) -> Slice:
    return page_slice(PurposeRevision.objects.select_related("editor")
                      .order_by("-created_at", "-id"), page=page, size=PAGE_SIZE)


@dataclass
class ProjectList(Slice):
    status: str = ""
    sort: str = ""
    waiting: int = 0  # proposals waiting for a host (hosts only)


def _cards():
    return Project.objects.select_related("organisation").only(
        "id", "title", "slug", "goal", "cover", "status", "member_count", "contribution_count",
        "created_at", "last_activity_at", "voting_closes_at", "organisation__name",
        "organisation__slug",
    )


def projects_page(*, viewer, status: str = "", sort: str = Sort.ACTIVITY,
                  page: int = 1) -> ProjectList:
    """Projects for the index (2 queries: the page and, for hosts, the waiting count).

    Without a filter: open, building and done; proposals only for hosts who ask for them."""
    sort = sort if sort in Sort.ORDER else Sort.ACTIVITY
    qs = _cards()
    staff = permissions.is_staff_host(viewer)
    if status in Project.Status.values and (status != Project.Status.PROPOSED or staff):
        qs = qs.filter(status=status)
    else:
        status = ""
        qs = qs.filter(status__in=[Project.Status.OPEN, Project.Status.BUILDING,
                                   Project.Status.DONE])
    waiting = (Project.objects.filter(status=Project.Status.PROPOSED).count() if staff else 0)
    return page_slice(qs.order_by(*Sort.ORDER[sort]), page=page, size=PAGE_SIZE,
                      kind=ProjectList, status=status, sort=sort, waiting=waiting)


def project_get(slug: str) -> Project:
    return Project.objects.select_related("proposed_by", "organisation", "space").get(slug=slug)


@dataclass
class ProjectPage:
    project: Project
    leads: list
    contributors: list
    needs: list[Need]
    updates: list[ProjectUpdate]
    more_updates: bool
    threads: list
    contributions: list[Contribution]
    more_contributions: bool
    winners: list[Contribution]
    history: list[StatusChange]
    role: str = ""
    following: bool = False
    moments: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(n.missing for n in self.needs)


def project_page(*, project: Project, viewer) -> ProjectPage:
    """Everything on the project page (about 10 queries, whatever the project's size)."""
    people = list(ProjectMember.objects.filter(project=project).select_related("user")
                  .order_by("joined_at", "id")[:200])
    needs = list(Need.objects.filter(project=project).order_by("kind", "id").prefetch_related(
        Prefetch("pledges", queryset=Pledge.objects.select_related("user").order_by("id"))))
    updates = list(ProjectUpdate.objects.filter(project=project).select_related("author")
                   .order_by("-created_at", "-id")[:UPDATES_SHOWN + 1])
    threads = list(ProjectThread.objects.filter(project=project, thread__is_deleted=False,
                                                thread__is_hidden=False)
                   .select_related("thread").order_by("-created_at")[:20])
    contributions = list(Contribution.objects.filter(project=project).select_related("author")
                         .order_by("-vote_count", "created_at", "id")[:CONTRIBUTIONS_SHOWN + 1])
    # A winner is confirmed only once voting has closed and only with the most votes, so
    # the winners lead the ranking; a second query only if they fill the whole first page.
    winners = [c for c in contributions if c.is_winner]
    if len(winners) > CONTRIBUTIONS_SHOWN:
        winners = list(Contribution.objects.filter(project=project, is_winner=True)
                       .select_related("author").order_by("-vote_count", "id"))
    history = list(StatusChange.objects.filter(project=project).select_related("by"))
    # The host's moments that are part of it, as readers of their threads see them.
    moments = [tie.moment for tie in ProjectMoment.objects.filter(
        project=project, moment__thread__is_deleted=False, moment__thread__is_hidden=False,
    ).select_related("moment").order_by("-moment__opens_at", "-pk")[:MOMENTS_SHOWN]]
    role, following, my_pledges = "", False, {}
    if permissions.is_member(viewer):
        role = next((m.role for m in people if m.user_id == viewer.pk), "")
        project.__dict__.setdefault("_roles", {})[viewer.pk] = role
        following = ProjectFollow.objects.filter(project=project, user=viewer).exists()
        my_pledges = {p.need_id: p for n in needs for p in n.pledges.all()
                      if p.user_id == viewer.pk}
    for need in needs:
        need.mine = my_pledges.get(need.pk)
    return ProjectPage(
        project=project,
        leads=[m for m in people if m.role == ProjectMember.Role.LEAD],
        contributors=[m for m in people if m.role != ProjectMember.Role.LEAD],
        needs=needs, updates=updates[:UPDATES_SHOWN], more_updates=len(updates) > UPDATES_SHOWN,
        threads=[link.thread for link in threads],
        contributions=contributions[:CONTRIBUTIONS_SHOWN],
        more_contributions=len(contributions) > CONTRIBUTIONS_SHOWN,
        winners=winners, history=history, role=role, following=following, moments=moments,
    )


def contributions_page(*, project: Project, page: int) -> Slice:
    return page_slice(Contribution.objects.filter(project=project).select_related("author")
                      .order_by("-vote_count", "created_at", "id"), page=page, size=PAGE_SIZE)


def updates_page(*, project: Project, page: int) -> Slice:
    return page_slice(ProjectUpdate.objects.filter(project=project).select_related("author")
                      .order_by("-created_at", "-id"), page=page, size=PAGE_SIZE)


def contribution_get(pk: int) -> Contribution:
    return Contribution.objects.select_related("author", "project", "confirmed_by").get(pk=pk)


def contribution_rank(contribution: Contribution) -> int:
    """1 for the most-voted; ties share a rank."""
    return Contribution.objects.filter(project_id=contribution.project_id,
                                       vote_count__gt=contribution.vote_count).count() + 1


def my_projects(*, user) -> dict:
    memberships = list(ProjectMember.objects.filter(user=user).select_related("project")
                       .order_by("-project__last_activity_at")[:100])
    proposals = list(Project.objects.filter(proposed_by=user, status=Project.Status.PROPOSED)
                     .order_by("-created_at")[:50])
    contributions = list(Contribution.objects.filter(author=user).select_related("project")
                         .order_by("-created_at")[:50])
    pledges = list(Pledge.objects.filter(user=user).select_related("need__project")
                   .order_by("-created_at")[:50])
    return {"memberships": memberships, "proposals": proposals,
            "contributions": contributions, "pledges": pledges}


def member_credits(member) -> dict:
    """Projects and wins shown on a member's profile (2 queries)."""
    wins = list(Contribution.objects.filter(author=member, is_winner=True)
                .select_related("project").order_by("-confirmed_at")[:20])
    projects = list(ProjectMember.objects.filter(user=member)
                    .exclude(project__status=Project.Status.PROPOSED)
                    .select_related("project").order_by("-joined_at")[:20])
    return {"wins": wins, "memberships": projects}


def member_counters(user_ids: list[int] | None) -> dict[int, dict]:
    """What members did in projects, for their scores (5 queries; all members if None)."""
    def among(name):
        return {} if user_ids is None else {f"{name}__in": user_ids}

    counters: dict[int, dict] = {}

    def add(rows, key, name):
        for row in rows:
            counters.setdefault(row[key], {})[name] = row["n"]

    live = ~Q(project__status=Project.Status.PROPOSED)
    add(ProjectMember.objects.filter(live, **among("user_id")).values("user_id")
        .annotate(n=Count("id")), "user_id", "joined")
    add(Pledge.objects.filter(**among("user_id")).values("user_id").annotate(n=Count("id")),
        "user_id", "pledged")
    add(ContributionVote.objects.filter(**among("voter_id")).values("voter_id")
        .annotate(n=Count("id")), "voter_id", "project_votes")
    add(Contribution.objects.filter(author__isnull=False, **among("author_id"))
        .values("author_id").annotate(n=Count("id")), "author_id", "contributed")
    add(Contribution.objects.filter(is_winner=True, author__isnull=False, **among("author_id"))
        .values("author_id").annotate(n=Count("id")), "author_id", "won")
    return counters


# What an initiative on the hosts' strategy page may link to (registered in apps.py).


def initiative_link_choices() -> list[tuple[int, str, str]]:
    """Every project but archived ones: (id, title, address), one query."""
    return [(project.pk, project.title, project.get_absolute_url())
            for project in Project.objects.exclude(status=Project.Status.ARCHIVED)
            .only("pk", "title", "slug").order_by("title", "pk")]


def initiative_link_threads(ids: list[int]) -> dict[int, set[int]]:
    """The discussions linked to each of these projects, one query."""
    threads: dict[int, set[int]] = {pk: set() for pk in ids}
    for project_id, thread_id in ProjectThread.objects.filter(project_id__in=ids).values_list(
            "project_id", "thread_id"):
        threads[project_id].add(thread_id)
    return threads
