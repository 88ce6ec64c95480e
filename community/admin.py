from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count

from .models import (
    EngagementEvent,
    Invitation,
    Post,
    PostRevision,
    Space,
    Tag,
    TagSynonym,
    Thread,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "is_host", "trust_level", "date_joined")
    list_filter = ("is_host", "trust_level", "is_superuser", "is_active", "is_unclaimed")
    search_fields = ("username", "email", "display_name")
    ordering = ("-date_joined",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Community",
            {
                "fields": (
                    "display_name", "avatar", "bio", "location", "products", "interests",
                    "is_host", "trust_level", "is_unclaimed", "invited_by",
                )
            },
        ),
    )
    raw_id_fields = ("invited_by",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("inviter", "kind", "email", "created_at", "accepted_at")
    list_filter = ("kind",)
    search_fields = ("email", "inviter__username")
    raw_id_fields = ("inviter",)


@admin.register(EngagementEvent)
class EngagementEventAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "actor", "created_at", "processed_at")
    list_filter = ("kind",)
    raw_id_fields = ("actor", "subject_user")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "thread_count")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("thread_count",)
    search_fields = ("name",)


class TagSynonymInline(admin.TabularInline):
    model = TagSynonym
    extra = 1


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Staff curate tags here: synonyms map what members type onto one tag."""

    list_display = ("name", "description", "thread_total")
    search_fields = ("name", "synonyms__name")
    inlines = [TagSynonymInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(thread_total=Count("threads"))

    @admin.display(ordering="thread_total", description="threads")
    def thread_total(self, obj):
        return obj.thread_total


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "space", "author", "post_count", "is_solved_flag",
                    "is_pinned", "is_locked", "is_deleted", "last_activity_at")
    list_filter = ("kind", "space", "is_pinned", "is_locked", "is_deleted", "author_is_staff")
    list_select_related = ("space", "author")
    search_fields = ("title", "author__username")
    raw_id_fields = ("author", "opening_post", "accepted_answer")
    readonly_fields = ("post_count", "answer_count", "like_count", "social_score",
                       "created_at", "last_activity_at")
    exclude = ("search_vector", "search_body")
    filter_horizontal = ("tags",)
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description="solved")
    def is_solved_flag(self, obj):
        return obj.accepted_answer_id is not None


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ("body", "edited_by", "created_at")
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read and soft-delete posts; text changes go through the site so history is kept."""

    list_display = ("id", "thread", "kind", "author", "author_role", "created_at", "is_deleted")
    list_filter = ("kind", "author_role", "is_deleted")
    list_select_related = ("thread", "author")
    search_fields = ("body", "author__username")
    raw_id_fields = ("thread", "author", "parent")
    readonly_fields = ("body", "body_html", "render_version", "like_count", "helpful_count",
                       "position", "created_at", "edited_at")
    inlines = [PostRevisionInline]
