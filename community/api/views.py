"""The community's resources. Each write goes through the same service as its page
(``community.services``), which asks the same predicate; each read asks the predicate its
page asks. Errors are problem details (``problems``)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from community import permissions
from community.content import search as search_engine
from community.forms import HealthPeriodForm
from community.host import dashboard
from community.host.listening.services import search_miss_record
from community.models import Post, Space, Tag, Thread, User, Vote
from community.selectors import profiles as profile_selectors
from community.selectors import threads as thread_selectors
from community.selectors.feeds import MAX_PAGE
from community.services import conversations, moderation

from . import selectors
from . import serializers as s
from .base import ApiView, ETagMixin, GenericApiView, by_pk

MODERATION = {"hide": moderation.review_hide, "approve": moderation.review_approve,
              "delete": moderation.review_delete}


def _thread_for(viewer, pk) -> Thread:
    """The thread if ``viewer`` may read it, else 404 (as its page)."""
    try:
        thread = thread_selectors.thread_get(pk) if 0 < int(pk) <= 2**63 - 1 else None
    except Thread.DoesNotExist:
        thread = None
    if thread is None or not permissions.can_view_thread(viewer, thread):
        raise Http404(gettext("No such thread."))
    return thread


def _post_for(viewer, pk) -> Post:
    post = by_pk(Post.objects.select_related("thread", "author").defer("search_vector",
                                                                          "thread__search_vector"),
                 pk)
    if not permissions.can_see_post(viewer, post, post.thread):
        raise Http404(gettext("No such post."))
    return post


# Spaces and tags ------------------------------------------------------------------------

class Ordered:
    """A list view whose cursor follows ``ordering`` (fields, newest first where ``-``)."""

    ordering = ("-id",)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
            self._paginator.ordering = self.ordering
        return self._paginator


class SpaceList(Ordered, ETagMixin, generics.ListAPIView):
    serializer_class = s.SpaceSerializer
    queryset = Space.objects.all()
    ordering = ("position", "id")

    @extend_schema(tags=["spaces"], summary="Spaces, in the order the site lists them")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SpaceDetail(ETagMixin, generics.RetrieveAPIView):
    serializer_class = s.SpaceSerializer
    queryset = Space.objects.all()
    lookup_field = "slug"

    @extend_schema(tags=["spaces"], summary="One space")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TagList(Ordered, ETagMixin, generics.ListAPIView):
    serializer_class = s.TagSerializer
    queryset = Tag.objects.all()
    ordering = ("name",)

    @extend_schema(tags=["tags"], summary="Tags, by name")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# Threads --------------------------------------------------------------------------------

class ThreadFilters(serializers.Serializer):
    space = serializers.CharField(required=False, max_length=90,
                                  help_text=gettext_lazy("A space's slug: its threads only."))
    tag = serializers.CharField(required=False, max_length=40,
                                help_text=gettext_lazy("A tag's name: threads with it only."))
    kind = serializers.ChoiceField(choices=Thread.Kind.choices, required=False)


class ThreadList(Ordered, GenericApiView):
    """Threads anyone may read, latest activity first."""

    ordering = ("-last_activity_at", "-id")

    def get_queryset(self):  # what the browsable page's forms ask for
        return selectors.listed_threads()

    def get_serializer_class(self):
        return s.ThreadCreateSerializer if self.request.method == "POST" else s.ThreadSerializer

    @extend_schema(tags=["threads"], summary="Threads, latest activity first",
                   parameters=[ThreadFilters], responses=s.ThreadSerializer(many=True))
    def get(self, request):
        filters = ThreadFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = filters.validated_data
        threads = selectors.listed_threads()
        if chosen.get("space"):
            threads = threads.filter(space__slug=chosen["space"])
        if chosen.get("tag"):
            threads = threads.filter(tags__name=chosen["tag"])
        if chosen.get("kind"):
            threads = threads.filter(kind=chosen["kind"])
        page = self.paginate_queryset(threads)
        return self.get_paginated_response(s.ThreadSerializer(page, many=True).data)

    @extend_schema(tags=["threads"], summary="Start a thread (as the token's member)",
                   request=s.ThreadCreateSerializer, responses={201: s.ThreadDetailSerializer})
    def post(self, request):
        given = s.ThreadCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        thread = conversations.thread_create(
            author=request.user, space=data["space"], kind=data["kind"], title=data["title"],
            body=data["body"], tags=data["tags"])
        thread = thread_selectors.thread_get(thread.pk)
        return Response(_thread_detail(thread), status=status.HTTP_201_CREATED)


def _thread_detail(thread):
    opening = (Post.objects.filter(pk=thread.opening_post_id).only("body_html").first()
               if thread.opening_post_id else None)
    return s.ThreadDetailSerializer(thread, context={"opening_post": opening}).data


class ThreadDetail(ApiView):
    @extend_schema(tags=["threads"], summary="One thread with its opening post",
                   responses=s.ThreadDetailSerializer)
    def get(self, request, pk):
        return Response(_thread_detail(_thread_for(request.user, pk)))


class ThreadPosts(Ordered, GenericApiView):
    """A thread's posts in reading order (opening post, answers and replies)."""

    ordering = ("position",)
    queryset = Post.objects.none()  # per viewer: selectors.visible_posts

    def get_serializer_class(self):
        return s.PostCreateSerializer if self.request.method == "POST" else s.PostSerializer

    @extend_schema(tags=["posts"], summary="A thread's posts, in order",
                   responses=s.PostSerializer(many=True))
    def get(self, request, pk):
        thread = _thread_for(request.user, pk)
        page = self.paginate_queryset(selectors.visible_posts(request.user, thread))
        context = {"thread": thread, "accepted_answer": thread.accepted_answer_id}
        return self.get_paginated_response(s.PostSerializer(page, many=True,
                                                            context=context).data)

    @extend_schema(tags=["posts"], summary="Answer a question, or reply (to a post: parent)",
                   request=s.PostCreateSerializer, responses={201: s.PostSerializer})
    def post(self, request, pk):
        thread = _thread_for(request.user, pk)
        given = s.PostCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        parent = None
        if given.validated_data.get("parent"):
            parent = Post.objects.filter(pk=given.validated_data["parent"],
                                         thread=thread).first()
            if parent is None:
                raise serializers.ValidationError(
                    {"parent": [gettext("No such post in this thread.")]})
        post = conversations.post_create(author=request.user, thread=thread,
                                         body=given.validated_data["body"], parent=parent)
        post = Post.objects.select_related("author", "thread").get(pk=post.pk)
        return Response(s.PostSerializer(post).data, status=status.HTTP_201_CREATED)


class PostDetail(GenericApiView):
    queryset = Post.objects.none()  # per viewer: _post_for

    def get_serializer_class(self):
        return s.PostEditSerializer if self.request.method == "PATCH" else s.PostSerializer

    @extend_schema(tags=["posts"], summary="One post", responses=s.PostSerializer)
    def get(self, request, pk):
        return Response(s.PostSerializer(_post_for(request.user, pk)).data)

    @extend_schema(tags=["posts"], summary="Edit your own post", request=s.PostEditSerializer,
                   responses=s.PostSerializer)
    def patch(self, request, pk):
        post = _post_for(request.user, pk)
        given = s.PostEditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        conversations.post_edit(actor=request.user, post=post, body=given.validated_data["body"])
        post = Post.objects.select_related("author", "thread").get(pk=post.pk)
        return Response(s.PostSerializer(post).data)


class PostHelpful(ApiView):
    """Your helpful vote on an answer."""

    def _answer(self, request, pk, cast: bool):
        post = _post_for(request.user, pk)
        method = conversations.vote_cast if cast else conversations.vote_withdraw
        changed = method(voter=request.user, post=post, kind=Vote.Kind.HELPFUL)
        post.refresh_from_db(fields=["helpful_count"])
        return Response({"voted": cast, "changed": changed,
                         "helpful_count": post.helpful_count})

    @extend_schema(tags=["votes"], summary="Mark an answer helpful", request=None,
                   responses=s.VoteSerializer)
    def post(self, request, pk):
        return self._answer(request, pk, cast=True)

    @extend_schema(tags=["votes"], summary="Withdraw your helpful vote", request=None,
                   responses={200: s.VoteSerializer})
    def delete(self, request, pk):
        return self._answer(request, pk, cast=False)


# Members --------------------------------------------------------------------------------

class MemberDetail(ApiView):
    @extend_schema(tags=["members"], summary="A member's public profile",
                   responses=s.MemberSerializer)
    def get(self, request, username):
        members = User.objects.filter(is_active=True, is_former_member=False)
        member = (members.filter(username=username).first()
                  or members.filter(username__iexact=username).order_by("pk").first())
        if member is None or not permissions.can_view_profile(request.user, member):
            raise Http404(gettext("No such member."))
        stats = profile_selectors.activity_stats(member)
        return Response(s.MemberSerializer(member, context={"stats": stats}).data)


# Search ---------------------------------------------------------------------------------

class SearchQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True,
                              max_length=search_engine.MAX_QUERY, default="")
    space = serializers.CharField(required=False, max_length=90, default="")
    tag = serializers.CharField(required=False, max_length=40, default="")
    kind = serializers.ChoiceField(choices=Thread.Kind.choices, required=False, default="")
    solved = serializers.ChoiceField(choices=["yes", "no"], required=False, default="")
    by = serializers.ChoiceField(choices=["members", "staff"], required=False, default="")
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE,
                                    default=1)


class Search(ApiView):
    @extend_schema(tags=["search"], summary="Full-text search over every post",
                   parameters=[SearchQuery], responses=s.SearchPageSerializer)
    def get(self, request):
        asked = SearchQuery(data=request.query_params)
        asked.is_valid(raise_exception=True)
        q = asked.validated_data
        filters = search_engine.Filters(space=q["space"], tag=q["tag"], kind=q["kind"],
                                        solved=q["solved"], by=q["by"])
        tag = Tag.objects.filter(name=filters.tag).first() if filters.tag else None
        if q["q"].strip():
            found = search_engine.search(q["q"], filters, page=q["page"])
            if not found.results and q["page"] == 1 and filters == search_engine.Filters():
                search_miss_record(words=search_engine.words_of(q["q"]))
        elif tag is not None:
            found = search_engine.tagged(tag, filters, page=q["page"])
        else:
            found = search_engine.SearchPage(results=[], number=1, has_next=False, words=[])
        prefetch_related_objects(found.results, "tags")
        following = None
        if found.has_next and found.number < MAX_PAGE:
            params = request.query_params.copy()
            params["page"] = str(found.number + 1)
            following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response({
            "results": s.SearchResultSerializer(found.results, many=True).data,
            "page": found.number, "next": following, "total": found.total,
            "corrected": found.corrected,
        })


# Host tools -----------------------------------------------------------------------------

class HealthQuery(serializers.Serializer):
    days = serializers.ChoiceField(choices=[c for c, _ in HealthPeriodForm.DAYS],
                                   required=False,
                                   help_text=gettext_lazy("The last N days, or all."))
    since = serializers.DateField(required=False,
                                  help_text=gettext_lazy("First day (custom period)."))
    until = serializers.DateField(required=False,
                                  help_text=gettext_lazy("Last day (custom period)."))


class Health(ApiView):
    scope = "moderate"
    sign_in_required = True

    @extend_schema(tags=["host"], summary="The community-health figures for a period",
                   parameters=[HealthQuery], responses=s.HealthSerializer)
    def get(self, request):
        permissions.require(permissions.can_use_host_tools(request.user),
                            gettext("The health figures are for the host team."))
        form = HealthPeriodForm(request.query_params)
        period = form.period()
        if period is None:
            raise DjangoValidationError(form.errors.as_data())
        return Response(s.HealthSerializer(dashboard.health(period)).data)


class PostModeration(ApiView):
    scope = "moderate"
    sign_in_required = True

    @extend_schema(tags=["host"], summary="Hide, approve or delete a post",
                   request=s.ModerationSerializer, responses=s.PostSerializer)
    def post(self, request, pk):
        post = by_pk(Post.objects.select_related("thread", "author").defer("search_vector"), pk)
        given = s.ModerationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        action = given.validated_data["action"]
        if action == "approve":
            moderation.review_approve(actor=request.user, post=post)
        else:
            MODERATION[action](actor=request.user, post=post,
                               reason=given.validated_data["reason"])
        post = Post.objects.select_related("author", "thread").get(pk=post.pk)
        return Response(s.PostSerializer(post).data)



# The schema and its docs page: read only (their renderers cannot show OPTIONS' metadata).

class Schema(SpectacularAPIView):
    http_method_names = ["get", "head"]


class Docs(SpectacularSwaggerSplitView):
    http_method_names = ["get", "head"]
    template_name = "community/api/swagger_ui.html"
