from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import EngagementEvent, Invitation, User


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
