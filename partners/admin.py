from django.contrib import admin
from django.db import models

from .models import (
    CoAuthor,
    Offer,
    Organisation,
    PartnerInvitation,
    PartnerMembership,
    PartnerPost,
)


class MembershipInline(admin.TabularInline):
    model = PartnerMembership
    fk_name = "organisation"
    raw_id_fields = ("user", "invited_by")
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("applied_by", "decided_by")
    inlines = [MembershipInline]


class CoAuthorInline(admin.TabularInline):
    model = CoAuthor
    raw_id_fields = ("user",)
    extra = 0


@admin.register(PartnerPost)
class PartnerPostAdmin(admin.ModelAdmin):
    list_display = ("thread", "organisation", "kind", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("thread", "project", "created_by")
    inlines = [CoAuthorInline]


@admin.register(PartnerInvitation)
class PartnerInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "created_at", "accepted_at")
    raw_id_fields = ("invited_by", "accepted_by")


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "organisation", "product", "starts_at", "ends_at", "approved_at",
                    "click_count")
    list_filter = ("organisation",)
    raw_id_fields = ("product", "created_by", "approved_by")
    readonly_fields = ("click_count",)
