"""Projects in the public API (``/api/v1/projects/``): read what the projects pages show,
with the same predicate (``can_view_project``). Included from config/urls.py: community
never imports this app."""
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from community import permissions
from community.api.base import ETagMixin
from community.api.serializers import AuthorSerializer, SpaceRefSerializer, absolute
from community.api.views import Ordered

from .models import Project
from .selectors import project_get


class OrganisationRef(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    proposed_by = AuthorSerializer(allow_null=True)
    organisation = OrganisationRef(allow_null=True)
    space = SpaceRefSerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["slug", "title", "goal", "description_html", "status", "proposed_by",
                  "organisation", "space", "member_count", "contribution_count",
                  "voting_closes_at", "created_at", "last_activity_at", "url"]

    def get_url(self, project) -> str:
        return absolute(project.get_absolute_url())


class ProjectFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False,
                                     help_text=gettext_lazy("Without it: open, building and done."))


class ProjectList(Ordered, ETagMixin, generics.ListAPIView):
    serializer_class = ProjectSerializer
    ordering = ("-last_activity_at", "-id")

    def get_queryset(self):
        filters = ProjectFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        status = filters.validated_data.get("status")
        viewer = self.request.user
        projects = Project.objects.select_related("proposed_by", "organisation", "space")
        if not status:
            return projects.filter(status__in=[*Project.ACTIVE, Project.Status.DONE])
        projects = projects.filter(status=status)
        if status == Project.Status.PROPOSED and not permissions.is_staff_host(viewer):
            # can_view_project: a proposal is its proposer's and the hosts'.
            return projects.filter(proposed_by=viewer) if permissions.is_member(viewer) \
                else projects.none()
        return projects

    @extend_schema(tags=["projects"], summary="Shared-purpose projects",
                   parameters=[ProjectFilters])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetail(ETagMixin, generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_object(self):
        try:
            project = project_get(self.kwargs["slug"])
        except Project.DoesNotExist:
            raise Http404(gettext("No such project.")) from None
        if not permissions.can_view_project(self.request.user, project):
            raise Http404(gettext("No such project."))
        return project

    @extend_schema(tags=["projects"], summary="One project")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("projects/", ProjectList.as_view(), name="project-list"),
    path("projects/<slug:slug>/", ProjectDetail.as_view(), name="project-detail"),
]
