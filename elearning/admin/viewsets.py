"""The "Learning packages" snippet viewset (in the "Learning" menu group, which courses declares).

Listing (title, standard, current version, versions), upload instead of a blank create form,
an inspect view with the structure and the versions, and the version URLs:
``<pk>/versions/upload/``, ``<pk>/versions/<version_pk>/make-current/``, ``<pk>/versions/<version_pk>/delete/``.
"""

from django.urls import path

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from ..models import Package
from ..selectors import packages_for_admin
from .forms import PackageUploadForm
from .views import (
    PackageCreateView,
    PackageDeleteView,
    PackageInspectView,
    PackageVersionDeleteView,
    PackageVersionMakeCurrentView,
    PackageVersionUploadView,
)


class PackageIndexView(IndexView):
    def get_base_queryset(self):
        return packages_for_admin()


def _current_version(package) -> str:
    version = package.current_version
    return f"v{version.number} ({version.schema_version})" if version else "None"


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "folder-open-inverse"
    menu_label = "Learning packages"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = PackageIndexView
    add_view_class = PackageCreateView
    delete_view_class = PackageDeleteView
    inspect_view_class = PackageInspectView
    list_display = [
        "title",
        Column("standard", label="Standard", accessor="get_standard_display"),
        Column("current_version", label="Current version", accessor=_current_version),
        Column("version_count", label="Versions", sort_key="version_count"),
        "key",
        DateColumn("created_at", label="Uploaded", sort_key="created_at"),
    ]
    list_filter = ["standard"]
    search_fields = ["title", "key", "description"]
    search_backend_name = None
    ordering = ["title"]
    edit_handler = ObjectList([FieldPanel("title"), FieldPanel("key"), FieldPanel("description")])
    upload_handler = ObjectList(
        [FieldPanel("package_file"), FieldPanel("title"), FieldPanel("key"), FieldPanel("description")],
        base_form_class=PackageUploadForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        """The create view is the upload: its own panels and form (with the ZIP)."""
        panel = self.upload_handler.bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)

    def version_view(self, view_class):
        return self.construct_view(view_class, permission_policy=self.permission_policy)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/versions/upload/", self.version_view(PackageVersionUploadView), name="upload_version"),
            path(
                "<int:pk>/versions/<int:version_pk>/make-current/",
                self.version_view(PackageVersionMakeCurrentView),
                name="make_current",
            ),
            path(
                "<int:pk>/versions/<int:version_pk>/delete/",
                self.version_view(PackageVersionDeleteView),
                name="delete_version",
            ),
        ]
