from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.db.models import Count

from .models import (
    AccessToken,
    AuditRecord,
    CommunitySettings,
    EngagementEvent,
    Flag,
    InboundMail,
    Invitation,
    ModerationLog,
    Ownership,
    PendingOwnership,
    Post,
    PostRevision,
    Product,
    ProductImage,
    PurchaseDelivery,
    Space,
    Suspension,
    Tag,
    TagSynonym,
    Thread,
    User,
    WebhookDelivery,
    WebhookEndpoint,
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


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Members' API tokens, read only: their members create and revoke them
    (/settings/tokens/); the secret was never stored."""

    list_display = ("name", "prefix", "user", "scopes", "created_at", "expires_at",
                    "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("secret_hash",)
    raw_id_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "language", "position", "thread_count")
    list_editable = ("position",)
    list_filter = ("language",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("thread_count",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "language" in form.changed_data:
            # Its conversations are searched in the new language: indexed again with it.
            from community.content import search_index

            search_index.space_reindex(obj.pk)


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


class ProductImageInline(admin.TabularInline):
    """Photos are added on the host's page (through the media pipeline); here they are
    ordered or removed."""

    model = ProductImage
    extra = 0
    fields = ("image", "position", "source_digest")
    readonly_fields = ("image", "source_digest")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """The catalogue, for operators (hosts edit it at /host/products/). A save or delete
    here records its event like the host's forms do, so the product pages are made again."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "shop.example.com/x"

    list_display = ("name", "sku", "line", "parent", "is_active", "updated_at")
    list_filter = ("is_active", "line")
    list_select_related = ("parent",)
    search_fields = ("name", "sku")
    raw_id_fields = ("parent", "space", "tag")
    readonly_fields = ("created_at", "updated_at")
    inlines = [ProductImageInline]

    def save_model(self, request, obj, form, change):
        from community.engine import events

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                events.ProductEdited.record(actor=request.user, product=obj.pk,
                                            action="edited",
                                            changed=sorted(form.changed_data))
            else:
                events.ProductCreated.record(actor=request.user, product=obj.pk)

    def save_formset(self, request, form, formset, change):
        from community.engine import events

        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                events.ProductEdited.record(actor=request.user, product=form.instance.pk,
                                            action="images_ordered")

    def delete_model(self, request, obj):
        from community.engine import events

        with transaction.atomic():
            pk = obj.pk
            super().delete_model(request, obj)
            events.ProductEdited.record(actor=request.user, product=pk, action="deleted")

    def delete_queryset(self, request, queryset):
        from community.engine import events

        with transaction.atomic():
            pks = list(queryset.values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            for pk in pks:
                events.ProductEdited.record(actor=request.user, product=pk, action="deleted")


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


@admin.register(CommunitySettings)
class CommunitySettingsAdmin(admin.ModelAdmin):
    """One row: new-member limits, the flag threshold, spam words, the welcome message."""

    fieldsets = [
        ("New members (trust level 0)", {"fields": [
            "new_member_max_links", "new_member_max_images", "new_member_max_mentions",
            "new_member_threads_per_day", "new_member_replies_per_day",
            "new_member_thread_interval", "new_member_post_interval", "full_rights_posts",
            "full_rights_days", "hold_first_posts"]}),
        ("Invitations", {"fields": ["invitations_per_day", "new_member_invitations_per_day"]}),
        ("Posting rate (everyone)", {"fields": [
            "member_posts_per_minute", "member_posts_per_hour", "host_posts_per_minute",
            "host_posts_per_hour"]}),
        ("Flags and spam", {"fields": ["flag_hide_weight", "min_fill_seconds",
                                       "blocked_words"]}),
        ("Hosting", {"fields": ["welcome_message"]}),
        ("Listening", {"fields": ["brand_terms", "brand_slogans"]}),
        ("Shop widget", {"fields": ["widget_origins"]}),
    ]

    def has_add_permission(self, request):
        return not CommunitySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        settings_row = CommunitySettings.get()
        return redirect("admin:community_communitysettings_change", settings_row.pk)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("post", "flagger", "reason", "weight", "status", "created_at")
    list_filter = ("status", "reason")
    raw_id_fields = ("post", "flagger")


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ("user", "reason", "ends_at", "created_by", "lifted_at")
    raw_id_fields = ("user", "created_by")
    search_fields = ("user__username", "reason")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: readable by admins, added, edited and deleted by nobody."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    """Readable by admins, editable by nobody."""

    list_display = ("created_at", "actor_name", "action", "target_name", "thread_id",
                    "post_id", "reason")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_name", "reason")


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """The security trail."""

    list_display = ("created_at", "kind", "user", "identifier", "ip", "path")
    list_filter = ("kind",)
    search_fields = ("identifier", "ip", "path", "user__username")
    date_hierarchy = "created_at"


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    """Who owns what, and how it was verified. Read only: a member declares and removes
    their own, orders and the shop's webhook verify (each through its service, with its
    event), so no change here can bypass the owner's badge or the product's page."""

    list_display = ("member", "product", "source", "verified_at", "purchased_on", "order_ref")
    list_filter = ("source", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("member__username", "product__sku", "product__name", "order_ref")
    list_select_related = ("member", "product")


@admin.register(PendingOwnership)
class PendingOwnershipAdmin(ReadOnlyAdmin):
    """Purchases waiting for an account with the buyer's address: only its keyed digest
    is stored, never the address."""

    list_display = ("product", "source", "purchased_on", "order_ref", "created_at")
    list_filter = ("source",)
    search_fields = ("product__sku", "order_ref")
    list_select_related = ("product",)


@admin.register(PurchaseDelivery)
class PurchaseDeliveryAdmin(ReadOnlyAdmin):
    """Each delivery of the shop's purchase webhook, by the id the shop gave it."""

    list_display = ("delivery_id", "received_at", "ownerships")
    search_fields = ("delivery_id",)
    date_hierarchy = "received_at"


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    """Read-only: admins change endpoints on their pages (/host/webhooks/), which record the
    event; the secret is never shown here."""

    list_display = ("url", "description", "active", "consecutive_failures", "disabled_at",
                    "deleted_at", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "description")
    exclude = ("secret_sealed",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("pk", "endpoint", "event", "status", "attempts", "last_status_code",
                    "next_attempt_at", "delivered_at")
    list_filter = ("status",)
    list_select_related = ("endpoint", "event")
    raw_id_fields = ("endpoint", "event")
@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdmin):
    """Each reply by email received: posted, refused (and why) or ignored."""

    list_display = ("received_at", "outcome", "member", "thread", "reason")
    list_filter = ("outcome",)
    search_fields = ("message_id", "sender")
    date_hierarchy = "received_at"
    list_select_related = ("member", "thread")
