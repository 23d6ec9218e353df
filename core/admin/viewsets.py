"""A Wagtail model viewset for records nobody edits: a listing and an inspect view, nothing else."""

from django.urls import path

from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet


class InspectOnlyViewSet(ModelViewSet):
    """Listing and inspect view of an immutable record (a delivery, a stored statement).

    No add, edit, delete, copy, history or usage views or links, only the model's "view" permission, and
    wherever Wagtail links to a record (search, logs) it links to the inspect view.
    """

    copy_view_enabled = False
    inspect_view_enabled = True

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        return {
            **super().get_common_view_kwargs(**kwargs),
            **dict.fromkeys(
                ["add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"]
            ),
        }

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename=f"view_{self.model._meta.model_name}")

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )
