"""What the API shows of each resource (what its page shows, never more) and what it
accepts. Writes are checked here for shape only; the services decide the rest (limits,
spam, review, permissions), exactly as for the forms."""
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

from community.content import limits
from community.content import tags as tag_names
from community.models import Post, Space, Tag, Thread, User

from .base import BIGINT_MAX

MAX_TAGS = 5
THREAD_KINDS = Thread.Kind.choices  # the schema names their enum ThreadKindEnum


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class SpaceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Space
        fields = ["slug", "name", "description", "thread_count", "url"]

    def get_url(self, space) -> str:
        return absolute(space.get_absolute_url())


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "description"]


class AuthorSerializer(serializers.Serializer):
    """A member as a post or thread names them: handle, name and the brand badge."""

    username = serializers.CharField()
    name = serializers.CharField()
    is_host = serializers.SerializerMethodField()

    def get_is_host(self, user) -> bool:
        return bool(user.is_host or user.is_superuser)


class SpaceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ThreadSerializer(serializers.ModelSerializer):
    space = SpaceRefSerializer()
    author = AuthorSerializer()
    tags = serializers.SerializerMethodField()
    is_solved = serializers.BooleanField()
    is_closed = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = ["id", "title", "slug", "kind", "space", "author", "tags", "created_at",
                  "last_activity_at", "post_count", "answer_count", "like_count",
                  "accepted_answer", "is_solved", "is_pinned", "is_locked", "is_closed", "url"]

    def get_tags(self, thread) -> list[str]:
        return [tag.name for tag in thread.tags.all()]

    def get_url(self, thread) -> str:
        return absolute(thread.get_absolute_url())


class ThreadDetailSerializer(ThreadSerializer):
    """A thread with its opening post's text."""

    opening_post = serializers.IntegerField(source="opening_post_id", allow_null=True)
    body_html = serializers.SerializerMethodField()

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "opening_post", "body_html", "closed_reason"]

    def get_body_html(self, thread) -> str:
        post = self.context.get("opening_post")
        return post.body_html if post is not None else ""


class SearchResultSerializer(ThreadSerializer):
    snippet_html = serializers.CharField(default="")
    hit_url = serializers.SerializerMethodField()

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "snippet_html", "hit_url"]

    def get_hit_url(self, thread) -> str:
        return absolute(getattr(thread, "hit_url", "") or thread.get_absolute_url())


class SearchPageSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)
    page = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    corrected = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer()
    thread = serializers.IntegerField(source="thread_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    is_accepted = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "thread", "kind", "author", "author_role", "parent", "position",
                  "body", "body_html", "status", "created_at", "edited_at", "like_count",
                  "helpful_count", "is_accepted", "url"]

    def get_is_accepted(self, post) -> bool:
        accepted = self.context.get("accepted_answer")
        if accepted is None and "thread" not in self.context:
            accepted = post.thread.accepted_answer_id
        return accepted is not None and accepted == post.pk

    def get_url(self, post) -> str:
        return absolute(post.get_absolute_url())


class MemberSerializer(serializers.ModelSerializer):
    """The public profile: what the profile page shows everybody."""

    name = serializers.CharField()
    avatar = serializers.SerializerMethodField()
    is_host = serializers.SerializerMethodField()
    joined = serializers.DateTimeField(source="date_joined")
    products = serializers.ListField(child=serializers.CharField(), source="product_list")
    interests = serializers.ListField(child=serializers.CharField(), source="interest_list")
    stats = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name", "avatar", "bio", "location", "products", "interests",
                  "is_host", "joined", "stats", "url"]

    def get_avatar(self, member) -> str | None:
        return absolute(member.avatar.url) if member.avatar else None

    def get_is_host(self, member) -> bool:
        return bool(member.is_host or member.is_superuser)

    def get_stats(self, member) -> dict[str, int]:
        return {k: int(v or 0) for k, v in self.context["stats"].items()}

    def get_url(self, member) -> str:
        return absolute(member.get_absolute_url())


# Writes ---------------------------------------------------------------------------------

def _text(max_length, min_length=None, **kwargs):
    return serializers.CharField(max_length=max_length, min_length=min_length,
                                 trim_whitespace=True, **kwargs)


class ThreadCreateSerializer(serializers.Serializer):
    space = serializers.SlugRelatedField(slug_field="slug", queryset=Space.objects.all())
    kind = serializers.ChoiceField(choices=Thread.Kind.choices, default=Thread.Kind.DISCUSSION)
    title = _text(200, 8)
    body = _text(limits.BODY_MAX)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 default=list, max_length=MAX_TAGS)

    def validate_title(self, value):
        title = " ".join(value.split())
        if not any(ch.isalnum() for ch in title):
            raise serializers.ValidationError(gettext("The title needs some words."))
        return title

    def validate_tags(self, value):
        if refusal := tag_names.problems(value):
            raise serializers.ValidationError(refusal)
        return value


class PostCreateSerializer(serializers.Serializer):
    body = _text(limits.BODY_MAX)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                      max_value=BIGINT_MAX,
                                      help_text=gettext_lazy("The post this replies to (a reply, "
                                                             "not an answer)."))


class PostEditSerializer(serializers.Serializer):
    body = _text(limits.BODY_MAX)


class ModerationSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[
        ("hide", gettext_lazy("Hide until reviewed")),
        ("approve", gettext_lazy("Approve (publish, decline flags)")),
        ("delete", gettext_lazy("Delete"))])
    reason = _text(200, required=False, default="", allow_blank=True)


class VoteSerializer(serializers.Serializer):
    voted = serializers.BooleanField(
        help_text=gettext_lazy("Whether your helpful vote is now counted."))
    changed = serializers.BooleanField(
        help_text=gettext_lazy("False when it already was (or was not)."))
    helpful_count = serializers.IntegerField()


class HealthSerializer(serializers.Serializer):
    """The host dashboard's figures for the period (``community.host.dashboard``)."""

    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    posts = serializers.IntegerField()
    member_posts = serializers.IntegerField()
    staff_posts = serializers.IntegerField()
    social_ratio = serializers.FloatField(allow_null=True)
    questions = serializers.IntegerField()
    answered_questions = serializers.IntegerField()
    peer_answered_questions = serializers.IntegerField()
    peer_answer_share = serializers.FloatField(allow_null=True)
    accepted_questions = serializers.IntegerField()
    peer_accepted_questions = serializers.IntegerField()
    accepted_peer_share = serializers.FloatField(allow_null=True)
    median_hours_to_first_peer_answer = serializers.FloatField(allow_null=True)
    p90_hours_to_first_peer_answer = serializers.FloatField(allow_null=True)
    brand_dominated_threads = serializers.IntegerField()
    unanswered_questions = serializers.IntegerField()
    invites_sent = serializers.IntegerField()
    invites_joined = serializers.IntegerField()
    joined_per_inviter = serializers.FloatField(allow_null=True)
