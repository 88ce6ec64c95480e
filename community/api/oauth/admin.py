"""The Django admin's view of third-party apps and their tokens: read only. Apps are
registered and removed on /host/apps/ (the redirect URIs checked, the event recorded),
authorisations revoked by their members on /settings/apps/; no secret is shown."""
from django.contrib import admin


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationAdmin(ReadOnly):
    list_display = ("name", "client_id", "client_type", "redirect_uris", "created")
    search_fields = ("name", "client_id")
    exclude = ("client_secret",)


class AccessTokenAdmin(ReadOnly):
    list_display = ("pk", "user", "application", "scope", "expires", "created")
    list_filter = ("application",)
    search_fields = ("user__username",)
    exclude = ("token", "token_checksum")
    raw_id_fields = ("user",)


class RefreshTokenAdmin(ReadOnly):
    list_display = ("pk", "user", "application", "created", "revoked")
    list_filter = ("application",)
    exclude = ("token", "token_checksum")
    raw_id_fields = ("user",)


class GrantAdmin(ReadOnly):
    list_display = ("pk", "user", "application", "expires")
    exclude = ("code", "code_challenge")
    raw_id_fields = ("user",)


class IDTokenAdmin(ReadOnly):
    list_display = ("pk", "user", "application", "expires")
