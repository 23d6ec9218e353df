"""Views of the package admin: upload (create), inspect (structure and versions), and the version actions.

Every write goes through ``elearning.services``; a refusal (``PackageRejected``) becomes an error
on the form, nothing stored. Uploading and choosing versions need the "change" permission of
packages, deleting a version the "delete" one, uploading a new package "add".
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import CreateView, DeleteView, InspectView

from cms.admin.scans import scan_label
from cms.models import FileScan

from ..models import Package
from ..selectors import package_version_scan_refusal, package_versions
from ..services import (
    PackageVersionInUse,
    package_delete,
    package_upload,
    package_version_add,
    package_version_delete,
    package_version_make_current,
)
from .forms import MakeCurrentForm, VersionUploadForm


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


#: What the inspect view shows for a field with no value (rather than "None" or nothing).
EMPTY = "—"


class PackageCreateView(CreateView):
    """Uploads the package through ``package_upload`` instead of saving the form."""

    def save_instance(self):
        data = self.form.cleaned_data
        package = package_upload(
            file=data["package_file"],
            title=data.get("title") or None,
            key=data.get("key") or None,
            description=data.get("description", ""),
            user=self.request.user,
        )
        log(instance=package, action="wagtail.create", content_changed=True)
        return package

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error("package_file", error)
            self.produced_error_message = "The package was not uploaded."
            return self.form_invalid(form)

    def get_success_message(self, instance):
        version = instance.current_version
        return (
            f"Uploaded “{instance}”: {instance.get_standard_display()} ({version.schema_version}), "
            f"{len(version.units)} launchable unit(s), {version.file_count} files."
        )

    def get_success_url(self):
        return reverse(Package.snippet_viewset.get_url_name("inspect"), args=[self.object.pk])


class PackageInspectView(InspectView):
    """The package, its structure (units, sequencing, warnings) and its versions with their actions."""

    template_name = "elearning/admin/package_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Package.objects.select_related("current_version", "created_by"), pk=self.pk)

    def get_fields(self):
        return ["title", "key", "standard", "description", "created_at", "created_by"]

    def get_field_display_value(self, field_name, field):
        """An em dash for a field without a value (no key, no uploader, no description), never "None"."""
        value = super().get_field_display_value(field_name, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return EMPTY
        return value

    @cached_property
    def can_change(self) -> bool:
        return self.permission_policy.user_has_permission(self.request.user, "change")

    @cached_property
    def can_delete(self) -> bool:
        return self.permission_policy.user_has_permission(self.request.user, "delete")

    @cached_property
    def header_buttons(self):
        if not self.can_change:
            return []
        url = reverse(Package.snippet_viewset.get_url_name("upload_version"), args=[self.object.pk])
        return [HeaderButton("Upload new version", url=url, icon_name="upload")]

    def get_context_data(self, **kwargs):
        viewset = Package.snippet_viewset
        current = self.object.current_version
        versions = [
            {
                "version": version,
                "is_current": version.pk == self.object.current_version_id,
                "size": _size(version.size_bytes),
                "scan": scan_label(version, "archive"),
                "scan_is_clean": version.file_scan_status == FileScan.Status.CLEAN,
                "make_current_url": reverse(viewset.get_url_name("make_current"), args=[self.object.pk, version.pk]),
                "delete_url": reverse(viewset.get_url_name("delete_version"), args=[self.object.pk, version.pk]),
            }
            for version in package_versions(package=self.object)
        ]
        return super().get_context_data(
            package=self.object,
            current=current,
            structure=current.structure if current else {},
            current_size=_size(current.size_bytes) if current else "",
            current_scan_refusal=package_version_scan_refusal(version=current) if current else None,
            versions=versions,
            can_change=self.can_change,
            can_delete=self.can_delete,
            **kwargs,
        )


class PackageVersionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """The base of the version views: the package (and version) from the URL, the way back to the inspect view."""

    model = Package
    permission_policy = None
    header_icon = "upload"
    template_name = "elearning/admin/version_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.package = get_object_or_404(Package.objects.select_related("current_version"), pk=kwargs["pk"])
        version_pk = kwargs.get("version_pk")
        self.version = get_object_or_404(self.package.versions, pk=version_pk) if version_pk else None

    @property
    def inspect_url(self) -> str:
        return reverse(Package.snippet_viewset.get_url_name("inspect"), args=[self.package.pk])

    def get_page_subtitle(self):
        return str(self.package) + (f" v{self.version.number}" if self.version else "")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(Package.snippet_viewset.get_url_name("list")), "label": "Learning packages"},
            {"url": self.inspect_url, "label": str(self.package)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            package=self.package, version=self.version, inspect_url=self.inspect_url, **kwargs
        )

    def run(self, form):  # the service call of each view
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.run(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.inspect_url)


class PackageVersionUploadView(PackageVersionView):
    permission_required = "change"
    form_class = VersionUploadForm
    page_title = "Upload new version"
    submit_label = "Upload"

    def form_invalid(self, form):
        if form.non_field_errors():  # a refusal of the package: show it beside the file
            form.add_error("package_file", form.non_field_errors().as_data())
            form.errors.pop("__all__", None)
        return super().form_invalid(form)

    def run(self, form):
        data = form.cleaned_data
        version = package_version_add(
            package=self.package,
            file=data["package_file"],
            user=self.request.user,
            notes=data["notes"],
            make_current=data["make_current"],
            move_learners=data["make_current"] and data["move_learners"],
        )
        return f"Uploaded version {version.number} of “{self.package}”" + (
            " and made it current." if data["make_current"] else "."
        )


class PackageVersionMakeCurrentView(PackageVersionView):
    permission_required = "change"
    form_class = MakeCurrentForm
    page_title = "Make version current"
    header_icon = "check"
    submit_label = "Make current"

    def run(self, form):
        move = form.cleaned_data["move_learners"]
        package_version_make_current(package=self.package, version=self.version, move_learners=move)
        moved = " Learners mid-way move to it." if move else " Learners mid-way keep the version they started."
        return f"Version {self.version.number} of “{self.package}” is current.{moved}"


class PackageVersionDeleteView(PackageVersionView):
    permission_required = "delete"
    form_class = forms.Form  # the form only confirms
    page_title = "Delete version"
    header_icon = "bin"
    submit_label = "Yes, delete it"

    def run(self, form):
        number = self.version.number
        package_version_delete(version=self.version)
        return f"Deleted version {number} of “{self.package}” and its files."


class PackageDeleteView(DeleteView):
    """Delete a package through ``package_delete``: refused with the reason while learners' attempts use it."""

    def form_valid(self, form):
        try:
            with transaction.atomic():  # the log entry goes with the deletion, or not at all
                log(instance=self.object, action="wagtail.delete", user=self.request.user)
                package_delete(package=self.object)
        except PackageVersionInUse as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())
