"""The admin's chooser of learning packages (``elearning.Package``), for the lessons' ``package`` block.

elearning does not register its packages as snippets, so courses brings its own small chooser
(Wagtail's ``ChooserViewSet``, registered by ``courses.wagtail_hooks``): the packages with a
current version, by title, searchable by title or key.
"""

from django import forms
from django.db.models import Q

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from elearning.models import Package


class PackageFilterForm(BaseFilterForm):
    q = forms.CharField(label="Search", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        query = self.cleaned_data.get("q") if self.is_valid() else ""
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(Q(title__icontains=query) | Q(key__icontains=query))
        return objects


class PackageChooseMixin:
    filter_form_class = PackageFilterForm

    @property
    def columns(self):
        return [
            *super().columns,
            Column("standard", label="Standard", accessor="get_standard_display"),
            Column("current_version", label="Current version"),
        ]


class PackageChooseView(PackageChooseMixin, ChooseView):
    pass


class PackageChooseResultsView(PackageChooseMixin, ChooseResultsView):
    pass


class PackageChooserViewSet(ChooserViewSet):
    model = Package
    icon = "folder-open-inverse"
    choose_one_text = "Choose a learning package"
    choose_another_text = "Choose another package"
    page_title = "Choose a learning package"
    choose_view_class = PackageChooseView
    choose_results_view_class = PackageChooseResultsView
    per_page = 20

    def get_object_list(self):
        return (
            Package.objects.filter(current_version__isnull=False)
            .select_related("current_version")
            .order_by("title", "pk")
        )


package_chooser_viewset = PackageChooserViewSet("elearning_package_chooser", url_prefix="courses/package-chooser")
