"""Registers the admin of courses with Wagtail: the "Learning" menu group (with elearning's learning packages),
the learning reports and "Create a course from a learning package".

The viewsets live in ``courses.admin.viewsets``, the reports in ``courses.admin.reports`` and the
course-from-package view in ``courses.admin.packages``.
"""

from django.contrib import messages
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from core.admin.dashboard import CountSummaryItem
from core.reports import permissions_named
from elearning.models import Package

from .admin.packages import URL_NAME as FROM_PACKAGE_URL_NAME
from .admin.packages import CourseFromPackageView, from_package_url, may_create_courses
from .admin.reports.menu import PERMISSIONS, report_menu_items
from .admin.reports.menu import urlpatterns as report_urlpatterns
from .admin.viewsets import LearningViewSetGroup
from .models import Course, CourseAssignment
from .services.assignments import course_assignment_saved

register_snippet(LearningViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def enrol_the_learners_of_an_assignment(request, instance):
    """Saving an assignment enrols the learners in scope at once (and nightly for those who join later)."""
    if not isinstance(instance, CourseAssignment):
        return
    enrolled = course_assignment_saved(assignment=instance, user=request.user)
    messages.success(request, f"{enrolled} learner(s) newly enrolled in “{instance.course}”.")


# --- learning packages as lessons and as whole courses ----------------------------------------------------


@hooks.register("register_admin_urls")
def register_course_from_package_urls():
    view = CourseFromPackageView.as_view()
    return [
        path("courses/from-package/", view, name=FROM_PACKAGE_URL_NAME),
        path("courses/from-package/<int:package_id>/", view, name=FROM_PACKAGE_URL_NAME),
    ]


@hooks.register("register_snippet_listing_buttons")
def course_from_package_button(snippet, user, next_url=None):
    """On a learning package's row (when packages are listed as snippets): "Create a course"."""
    if isinstance(snippet, Package) and snippet.current_version_id and may_create_courses(user):
        yield ListingButton("Create a course", url=from_package_url(snippet.pk), icon_name="list-ol", priority=60)


# --- learning reports (``courses.admin.reports``), under Reports ---------------------------------------


@hooks.register("register_admin_urls")
def register_learning_report_urls():
    # /admin/reports/courses/…: Wagtail's own reports include stops at its own routes and lets these through.
    return [path("reports/courses/", include((report_urlpatterns, "courses_reports"), namespace="courses_reports"))]


for _menu_item in report_menu_items():
    hooks.register("register_reports_menu_item", lambda item=_menu_item: item)


@hooks.register("register_permissions")
def register_learning_report_permissions():
    # Django's "view" permissions of enrolments and quiz attempts, so that the group editor offers them.
    return permissions_named(PERMISSIONS)


@hooks.register("construct_homepage_summary_items")
def add_course_figure(request, items):
    """The dashboard's summary line: live courses, for staff who may change courses."""
    policy = policy_registry.get_by_type(Course)
    items.append(
        CountSummaryItem(
            request,
            name="courses",
            order=200,
            icon="list-ol",
            label="live courses",
            count=Course.objects.live_for_partners().count,
            url=f"{reverse(Course.snippet_viewset.get_url_name('list'))}?state=live",
            shown=policy.user_has_any_permission(request.user, ["change", "publish"]),
        )
    )
