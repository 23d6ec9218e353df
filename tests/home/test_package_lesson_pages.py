"""Lessons made of learning packages in the portal: the block with my status, "Start" launching the player in a
frame of the lesson page (CSP allows the hub's own frames there), "Mark as done" refused (409), the audience
leak matrix (404 and no launch), and fixed query counts."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from courses.factories import CourseFactory, course_with_package
from courses.models import Enrollment, LessonCompletion
from elearning.models import PackageLaunch
from partners.factories import PartnerFactory, TierFactory, partner_user
from tests.courses.package_helpers import finish_12, launch_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def lesson_url(course, lesson) -> str:
    return f"/learning/{course.pk}/lessons/{lesson.pk}/"


def package_lesson(course):
    return course.modules.get().lessons.order_by("sort_order").last()


def player_src(page: str) -> str:
    return re.search(r'<iframe src="([^"]+)"', page).group(1)


def test_start_shows_the_player_and_the_package_completes_the_lesson(client, member, scorm12):
    course = course_with_package(scorm12, lessons_before=1)
    lesson = package_lesson(course)
    Enrollment.objects.create(user=member, course=course)
    page = client.get(lesson_url(course, lesson)).content.decode()
    assert "Security basics" in page and "Not started" in page and ">Start<" in page
    assert "Mark as done" not in page
    assert "Previous lesson" in page  # the player has its own Previous and Next, between the package's parts
    assert not PackageLaunch.objects.exists()  # viewing launches nothing

    response = client.post(lesson_url(course, lesson) + "play/", {"block": f"package-{scorm12.pk}-all"})
    assert response.status_code == 200
    page = response.content.decode()
    src = player_src(page)
    assert src.startswith("/learn/play/") and "Open full screen" in page
    frame_src = next(d for d in response["Content-Security-Policy"].split("; ") if d.startswith("frame-src "))
    assert "'self'" in frame_src.split()
    assert client.get(src).status_code == 200  # the player, for me

    finish_12(launch_of(src), status="completed", raw="85")
    assert LessonCompletion.objects.filter(user=member, lesson=lesson).exists()
    page = client.get(lesson_url(course, lesson)).content.decode()
    assert "Score 85%" in page and "Passed" in page and ">Resume<" in page


def test_mark_as_done_of_a_package_lesson_is_refused_with_409(client, member, scorm12):
    course = course_with_package(scorm12)
    lesson = package_lesson(course)
    Enrollment.objects.create(user=member, course=course)
    response = client.post(lesson_url(course, lesson) + "complete/")
    assert response.status_code == 409
    assert "completed by its learning package" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_not_enrolled_start_goes_back_with_a_message_and_launches_nothing(client, member, scorm12):
    course = course_with_package(scorm12)
    response = client.post(lesson_url(course, package_lesson(course)) + "play/")
    assert response.status_code == 302 and not PackageLaunch.objects.exists()


@pytest.mark.parametrize("case", ["audience", "archived", "expired", "other_course"])
def test_a_lesson_i_may_not_see_is_404_and_never_launches(client, member, scorm12, case):
    course = course_with_package(scorm12)
    lesson = package_lesson(course)
    course_id = course.pk
    Enrollment.objects.create(user=member, course=course)
    if case == "audience":
        course.min_tier = TierFactory(key="platinum", rank=40)
    elif case == "archived":
        course.archived_at = timezone.now()
    elif case == "expired":
        course.expire_at, course.expired = timezone.now() - timedelta(days=1), True
    else:
        course_id = CourseFactory().pk
    course.save()
    url = f"/learning/{course_id}/lessons/{lesson.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "play/").status_code == 404
    assert client.post(url + "complete/").status_code == 404
    assert not PackageLaunch.objects.exists()


def test_my_player_url_does_not_work_for_another_learner(client, member, scorm12):
    course = course_with_package(scorm12)
    Enrollment.objects.create(user=member, course=course)
    src = player_src(client.post(lesson_url(course, package_lesson(course)) + "play/").content.decode())
    client.force_login(partner_user(partner=PartnerFactory(tier=TierFactory(key="silver", rank=20))))
    assert client.get(src).status_code == 404
    client.logout()
    assert client.get(src).status_code == 200  # the token alone, as an embedding front end uses it


def test_the_lesson_page_and_start_cost_a_fixed_number_of_queries(
    client, member, scorm12, django_assert_max_num_queries
):
    course = course_with_package(scorm12, lessons_before=3)
    lesson = package_lesson(course)
    Enrollment.objects.create(user=member, course=course)
    client.get(lesson_url(course, lesson))
    with django_assert_max_num_queries(30):
        assert client.get(lesson_url(course, lesson)).status_code == 200
    with django_assert_max_num_queries(50):
        assert client.post(lesson_url(course, lesson) + "play/").status_code == 200
