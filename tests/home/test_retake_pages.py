"""Retaking a course in the portal: the button on a completed course, what it says first, the new round, the history
of rounds, refusals, the audience rule, the renewal text of a certification renewed by retake, and query counts."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate, RenewalRequires
from courses.factories import course_with
from courses.models import Enrollment, Lesson
from courses.services.enrollment import course_enroll, lesson_complete
from courses.services.rounds import course_retake
from partners.factories import TierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    return response.content.decode()


def complete(user, course, *, at=None):
    at = at or timezone.now()
    current = Enrollment.objects.current().filter(user=user, course=course).first()
    if current is None:
        course_enroll(user=user, course=course, now=at - timedelta(hours=1))
    elif current.completed_at:
        course_retake(user=user, course=course, now=at - timedelta(hours=1))
    for lesson in Lesson.objects.filter(module__course=course):
        lesson_complete(user=user, lesson=lesson, now=at)


def test_a_completed_course_offers_a_retake_with_what_it_means_and_the_rounds(client, member):
    course = course_with(lessons_per_module=(2,), title="Selling SD-WAN")
    complete(member, course)

    page = html(client.get(f"/learning/{course.pk}/"))

    assert "You completed this course on" in page
    assert "<summary" in page and "Retake this course" in page
    assert "Retaking starts round 2: you go through every lesson and quiz again" in page
    assert f'action="/learning/{course.pk}/retake/"' in page and "csrfmiddlewaretoken" in page
    assert "Start round 2" in page
    assert "Your rounds" in page and '<th scope="row">1</th>' in page
    completion = html(client.get(f"/learning/{course.pk}/completed/"))
    assert "Retake this course" in completion


def test_retaking_starts_round_two_from_the_first_lesson_and_keeps_round_one(client, member):
    course = course_with(lessons_per_module=(2,), title="Selling SD-WAN")
    complete(member, course, at=timezone.now() - timedelta(days=3))
    first_lesson = Lesson.objects.filter(module__course=course).order_by("sort_order").first()

    response = client.post(f"/learning/{course.pk}/retake/", follow=True)

    assert response.redirect_chain[-1][0] == f"/learning/{course.pk}/lessons/{first_lesson.pk}/"
    page = html(response)
    assert "Round 2 of “Selling SD-WAN” has started. Your earlier rounds are kept." in page
    assert "Round 2 (a retake)" in page
    assert '<progress max="100" value="0"' in page
    rounds = list(Enrollment.objects.filter(user=member, course=course).order_by("round"))
    assert [(e.round, e.is_current, e.completed_at is not None) for e in rounds] == [
        (1, False, True),
        (2, True, False),
    ]
    assert rounds[0].lesson_completions.count() == 2
    learning = html(client.get("/learning/"))
    assert "Selling SD-WAN" in learning.split("Completed")[0]  # in progress again, at the top


def test_a_retake_of_a_course_not_completed_is_refused_in_words_and_changes_nothing(client, member):
    course = course_with(lessons_per_module=(2,), title="Selling SD-WAN")
    course_enroll(user=member, course=course)

    response = client.post(f"/learning/{course.pk}/retake/")

    assert response.status_code == 409
    assert "You have not completed this course yet: finish it before retaking it." in html(response)
    assert Enrollment.objects.filter(user=member).count() == 1


def test_a_retake_is_404_for_a_course_i_may_not_see_and_needs_a_post(client, member):
    hidden = course_with(title="Platinum masterclass", min_tier=TierFactory(key="platinum", rank=100_000))
    assert client.post(f"/learning/{hidden.pk}/retake/").status_code == 404
    course = course_with(title="Selling SD-WAN")
    complete(member, course)
    assert client.get(f"/learning/{course.pk}/retake/").status_code == 405
    course.min_tier = TierFactory(key="diamond", rank=200_000)
    course.save()
    assert client.post(f"/learning/{course.pk}/retake/").status_code == 404
    assert Enrollment.objects.filter(user=member).count() == 1


def test_a_certificate_renewed_by_retake_says_what_to_retake(client, member):
    course = course_with(lessons_per_module=(1,), title="SD-WAN basics")
    certification = CertificationFactory(
        title="SD-WAN Associate", required_courses=[course], renewal_requires=RenewalRequires.RETAKE_COURSES
    )
    complete(member, course, at=timezone.now() - timedelta(days=700))
    certificate = Certificate.objects.get(user=member, certification=certification)
    assert certificate.status == "expiring"  # 24 months, 60 days' window: open now

    page = html(client.get("/certifications/"))

    assert "Retake this course (open it and choose “Retake this course”):" in page
    assert f'href="/learning/{course.pk}/"' in page

    complete(member, course)  # the retake, inside the window

    page = html(client.get("/certifications/"))
    renewed = Certificate.objects.get(user=member, certification=certification, superseded_at__isnull=True)
    assert renewed.renewed_from == certificate
    assert "Valid" in page


def test_the_course_page_costs_the_same_queries_with_one_round_or_many(client, member, django_assert_max_num_queries):
    def queries(url):
        with django_assert_max_num_queries(80) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    once, often = course_with(lessons_per_module=(2,)), course_with(lessons_per_module=(2,))
    complete(member, once, at=timezone.now() - timedelta(days=20))
    for days in (20, 15, 10, 5):
        complete(member, often, at=timezone.now() - timedelta(days=days))
    client.get(f"/learning/{once.pk}/")
    assert queries(f"/learning/{once.pk}/") == queries(f"/learning/{often.pk}/")
    assert queries(f"/learning/{once.pk}/completed/") == queries(f"/learning/{often.pk}/completed/")
    assert html(client.get(f"/learning/{often.pk}/")).count('<th scope="row">') == 4
