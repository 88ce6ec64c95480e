from django.contrib import admin

from .models import (
    Contribution,
    Need,
    Project,
    ProjectMember,
    ProjectUpdate,
    PurposeRevision,
    StatusChange,
)


@admin.register(PurposeRevision)
class PurposeRevisionAdmin(admin.ModelAdmin):
    list_display = ("statement", "editor", "created_at", "note")
    raw_id_fields = ("editor",)
    readonly_fields = ("story_html",)


class MemberInline(admin.TabularInline):
    model = ProjectMember
    raw_id_fields = ("user",)
    extra = 0


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    readonly_fields = ("pledged",)


class StatusInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    raw_id_fields = ("by",)
    readonly_fields = ("from_status", "to_status", "by", "note", "created_at")
    can_delete = False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "member_count", "contribution_count", "organisation",
                    "last_activity_at")
    list_filter = ("status",)
    search_fields = ("title", "goal")
    raw_id_fields = ("proposed_by",)
    readonly_fields = ("description_html", "member_count", "contribution_count")
    inlines = [MemberInline, NeedInline, StatusInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "kind", "author", "vote_count", "is_winner")
    list_filter = ("kind", "is_winner")
    search_fields = ("title",)
    raw_id_fields = ("author", "project", "confirmed_by")
    readonly_fields = ("body_html", "vote_count")


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(admin.ModelAdmin):
    list_display = ("project", "author", "created_at")
    raw_id_fields = ("project", "author")
    readonly_fields = ("body_html",)
