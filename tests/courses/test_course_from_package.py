"""A whole course from a learning package: the draft it makes (a lesson per unit), taken to completion through one
SCORM attempt across its lessons, and the admin's "Create a course from a learning package"."""

from decimal import Decimal

from django.urls import reverse

import pytest

from courses.models import Course, Enrollment, LessonCompletion, PackageResult
from courses.package_lessons import package_refs
from courses.services.enrollment import course_enroll
from courses.services.packages import course_from_package, package_lesson_launch
from elearning.models import PackageAttempt
from partners.factories import partner_user
from tests.courses.package_helpers import finish_2004

pytestmark = pytest.mark.django_db


def test_a_multi_sco_2004_package_becomes_a_draft_course_with_a_lesson_per_sco(scorm2004, admin_user):
    course = course_from_package(package=scorm2004, user=admin_user)
    assert not course.live and course.title == "Selling with partners" and course.owner == admin_user
    assert course.revisions.count() == 1
    modules = list(course.modules.all())
    assert [m.title for m in modules] == ["Selling with partners"]
    lessons = list(modules[0].lessons.order_by("sort_order"))
    assert [lesson.title for lesson in lessons] == ["Know your partner program", "Register a deal", "Ask for help"]
    assert [package_refs(lesson)[0].unit for lesson in lessons] == ["item-1", "item-2", "item-3"]
    assert all(lesson.completed_by_package for lesson in lessons)
    named = course_from_package(package=scorm2004, title="Partner selling", user=admin_user)
    assert named.title == "Partner selling" and named.pk != course.pk


def test_a_single_sco_package_makes_one_lesson_for_the_whole_package(scorm12, admin_user):
    course = course_from_package(package=scorm12, user=admin_user)
    lesson = course.modules.get().lessons.get()
    assert package_refs(lesson)[0].unit == ""


def test_the_lessons_of_a_package_course_share_one_attempt_and_each_follows_its_sco(scorm2004, admin_user):
    course = course_from_package(package=scorm2004, user=admin_user)
    course.save_revision(user=admin_user).publish(user=admin_user, skip_permission_checks=True)
    course = Course.objects.get(pk=course.pk)
    ann = partner_user()
    course_enroll(user=ann, course=course)
    one, two, three = course.modules.get().lessons.order_by("sort_order")

    first = package_lesson_launch(user=ann, lesson=one)
    assert first.launch.unit == "item-1"
    finish_2004(first.launch, "item-1", scaled="0.9")
    assert set(LessonCompletion.objects.filter(user=ann).values_list("lesson_id", flat=True)) == {one.pk}

    second = package_lesson_launch(user=ann, lesson=two)
    assert second.launch.unit == "item-2" and second.attempt.pk == first.attempt.pk  # one attempt, its SCOs
    finish_2004(second.launch, "item-2", scaled="0.5")  # below the mastery score: failed
    assert not LessonCompletion.objects.filter(user=ann, lesson=two).exists()
    assert PackageResult.objects.get(user=ann, lesson=two).passed is False

    third = package_lesson_launch(user=ann, lesson=three)
    finish_2004(third.launch, "item-3", scaled="1")
    assert LessonCompletion.objects.filter(user=ann, lesson=three).exists()
    assert Enrollment.objects.get(user=ann, course=course).completed_at is None  # lesson two failed
    assert PackageAttempt.objects.filter(user=ann).count() == 1

    finish_2004(package_lesson_launch(user=ann, lesson=two).launch, "item-2", scaled="0.85")
    result = PackageResult.objects.get(user=ann, lesson=two)
    assert (result.passed, result.score, result.best_score) == (True, Decimal("85.00"), Decimal("85.00"))
    assert Enrollment.objects.get(user=ann, course=course).completed_at is not None


def test_the_admin_creates_a_course_from_a_package(client, admin_user, scorm2004):
    client.force_login(admin_user)
    listing = client.get(reverse("wagtailsnippets_courses_course:list"))
    assert reverse("courses_from_package") in listing.content.decode()
    page = client.get(reverse("courses_from_package", args=[scorm2004.pk]))
    assert page.status_code == 200 and "Create the course" in page.content.decode()
    response = client.post(reverse("courses_from_package"), {"package": scorm2004.pk, "title": "From the admin"})
    course = Course.objects.get(title="From the admin")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_courses_course:edit", args=[course.pk])
    assert course.modules.get().lessons.count() == 3
    packages = client.get(reverse("wagtailsnippets_elearning_package:list")).content.decode()
    assert reverse("courses_from_package", args=[scorm2004.pk]) in packages  # "Create a course" on its row
    chooser = client.get(reverse("wagtailsnippetchoosers_elearning_package:choose"))
    assert chooser.status_code == 200 and "Selling with partners" in chooser.json()["html"]


def test_only_editors_who_may_add_courses_create_one(client, scorm12, django_user_model):
    from django.contrib.auth.models import Permission

    from partners.factories import give_second_factor

    editor = django_user_model.objects.create_user(username="ed", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    give_second_factor(editor)
    client.force_login(editor)
    response = client.post(reverse("courses_from_package"), {"package": scorm12.pk})
    assert response.status_code in (302, 403) and not Course.objects.exists()


def test_the_package_results_report_lists_learners_scores(
    client, admin_user, scorm2004, django_assert_max_num_queries
):
    course = course_from_package(package=scorm2004, title="Report me", user=admin_user)
    course.save_revision(user=admin_user).publish(user=admin_user, skip_permission_checks=True)
    course = Course.objects.get(pk=course.pk)
    ann = partner_user(user__first_name="Ann", user__last_name="Lee")
    course_enroll(user=ann, course=course)
    first = course.modules.get().lessons.order_by("sort_order").first()
    finish_2004(package_lesson_launch(user=ann, lesson=first).launch, "item-1", scaled="0.75")
    client.force_login(admin_user)
    url = reverse("courses_reports:package_results")
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert "Ann Lee" in page and "Report me" in page and "75.00" in page
    export = b"".join(client.get(url + "?export=csv").streaming_content).decode()
    assert "Ann Lee" in export and "75.00" in export
