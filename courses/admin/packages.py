"""The admin's "Create a course from a learning package": a draft course with a lesson per unit of the package.

Reached from the Courses listing ("Create a course from a learning package") and from each row of the
Learning packages listing ("Create a course", ``…/courses/from-package/<package id>/``). Needs the permission to add
courses; the new course opens in its editor, a draft to review, give an audience and publish.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.widgets import AdminSnippetChooser

from courses.models import Course
from courses.services.packages import course_from_package
from elearning.models import Package

URL_NAME = "courses_from_package"


class CourseFromPackageForm(forms.Form):
    package = forms.ModelChoiceField(
        queryset=Package.objects.filter(current_version__isnull=False),
        widget=AdminSnippetChooser(Package),
        help_text="One module per block of the package, one lesson per unit (SCO / AU).",
    )
    title = forms.CharField(max_length=255, required=False, help_text="Blank: the package's title.")


def may_create_courses(user) -> bool:
    return user.has_perm(f"{Course._meta.app_label}.add_{Course._meta.model_name}")


class CourseFromPackageView(WagtailAdminTemplateMixin, FormView):
    form_class = CourseFromPackageForm
    template_name = "courses/admin/course_from_package.html"
    page_title = "Create a course from a learning package"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not may_create_courses(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        package_id = self.kwargs.get("package_id")
        return {"package": package_id} if package_id else {}

    def form_valid(self, form):
        try:
            course = course_from_package(
                package=form.cleaned_data["package"], title=form.cleaned_data["title"] or None, user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Draft course “{course.title}” created: review it, set its audience, publish.")
        return redirect(reverse("wagtailsnippets_courses_course:edit", args=[course.pk]))


def from_package_url(package_id: int | None = None) -> str:
    return reverse(URL_NAME, args=[package_id]) if package_id else reverse(URL_NAME)
