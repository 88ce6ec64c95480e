"""Partner organisations in the public API (``/api/v1/organisations/``): verified ones for
everyone, an application for its people and the hosts (``can_view_organisation``).
Included from config/urls.py: community never imports this app."""
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from community import permissions
from community.api.base import ETagMixin
from community.api.serializers import absolute
from community.api.views import Ordered

from .models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    logo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "description", "website", "logo", "status", "url"]

    def get_logo(self, organisation) -> str | None:
        return absolute(organisation.logo.url) if organisation.logo else None

    def get_url(self, organisation) -> str:
        return absolute(organisation.get_absolute_url())


class OrganisationList(Ordered, ETagMixin, generics.ListAPIView):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(status=Organisation.Status.VERIFIED)
    ordering = ("name",)

    @extend_schema(tags=["partners"], summary="Verified partner organisations")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrganisationDetail(ETagMixin, generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer

    def get_object(self):
        organisation = Organisation.objects.filter(slug=self.kwargs["slug"]).first()
        if organisation is None or not permissions.can_view_organisation(
                self.request.user, organisation):
            raise Http404(gettext("No such organisation."))
        return organisation

    @extend_schema(tags=["partners"], summary="One partner organisation")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("organisations/", OrganisationList.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", OrganisationDetail.as_view(),
         name="organisation-detail"),
]
