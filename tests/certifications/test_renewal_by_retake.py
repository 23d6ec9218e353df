"""Recertification by retake: a certification renews when its courses, its exam or both are taken again in the
renewal window, as its ``renewal_requires`` says; lapsed and revoked certificates are earned again the same way."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate, Certification, RenewalRequires, renewal_rule_errors
from certifications.services import (
    add_months,
    certificate_revoke,
    certificates_due_apply,
    certification_issue_to_earners,
    expiry_reminders_send,
)
from courses.factories import QuestionFactory, QuizFactory, course_with
from courses.models import Enrollment, Lesson
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.enrollment import course_enroll, lesson_complete
from courses.services.rounds import course_retake
from partners.factories import partner_user
from partners.services import api_token_issue

pytestmark = pytest.mark.django_db

ISSUED = datetime(2025, 1, 10, 12, tzinfo=UTC)


def study(user, course, *, at, quiz=None):
    """Enrol (or retake when completed) and complete ``course`` at ``at``; its quiz passed when it has one."""
    current = Enrollment.objects.current().filter(user=user, course=course).first()
    if current is None:
        course_enroll(user=user, course=course, now=at - timedelta(hours=2))
    elif current.completed_at:
        course_retake(user=user, course=course, now=at - timedelta(hours=2))
    for lesson in Lesson.objects.filter(module__course=course):  # the last step completes the round at ``at``
        lesson_complete(user=user, lesson=lesson, now=at - timedelta(hours=1) if quiz else at)
    if quiz is not None:
        attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course, now=at - timedelta(minutes=30))
        answers = {q["id"]: [next(c["id"] for c in q["choices"] if c["correct"])] for q in attempt.questions}
        quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers, now=at)


def exam_course():
    exam = QuizFactory(title="SD-WAN exam")
    QuestionFactory(bank=exam.bank)
    return course_with(lessons_per_module=(1,), final_quiz=exam, title="SD-WAN exam prep"), exam


def current_certificate(user, certification):
    return Certificate.objects.get(user=user, certification=certification, superseded_at__isnull=True)


@pytest.fixture
def two_courses():
    return course_with(lessons_per_module=(1,), title="SD-WAN basics"), course_with(
        lessons_per_module=(2,), title="SD-WAN design"
    )


def test_retaking_every_required_course_inside_the_window_renews_from_the_old_expiry(two_courses):
    basics, design = two_courses
    certification = CertificationFactory(
        required_courses=[basics, design], renewal_requires=RenewalRequires.RETAKE_COURSES
    )
    user = partner_user()
    study(user, basics, at=ISSUED - timedelta(days=1))
    study(user, design, at=ISSUED)
    original = current_certificate(user, certification)
    inside = original.renewal_opens_at + timedelta(days=5)

    study(user, basics, at=inside)
    assert current_certificate(user, certification) == original  # one of two retaken: not yet
    study(user, design, at=inside + timedelta(days=1))

    renewed = current_certificate(user, certification)
    assert renewed.renewed_from == original
    assert renewed.expires_at == add_months(original.expires_at, certification.validity_months)
    assert (original.earned_by, renewed.earned_by) == ("path", "retake_courses")
    original.refresh_from_db()
    assert original.status_at(inside + timedelta(days=1)) == "renewed"
    assert Enrollment.objects.filter(user=user, course=design).count() == 2  # round 1 kept


def test_a_retake_before_the_window_opens_does_not_renew_then_or_later(two_courses):
    basics, _design = two_courses
    certification = CertificationFactory(required_courses=[basics], renewal_requires=RenewalRequires.RETAKE_COURSES)
    user = partner_user()
    study(user, basics, at=ISSUED)
    original = current_certificate(user, certification)
    early = original.renewal_opens_at - timedelta(days=10)

    study(user, basics, at=early)

    assert current_certificate(user, certification) == original
    assert certificates_due_apply(now=original.renewal_opens_at + timedelta(days=1)) == 0  # not applied later
    study(user, basics, at=original.renewal_opens_at + timedelta(days=2))  # round 3, inside: renews
    assert current_certificate(user, certification).renewed_from == original


def test_passing_the_exam_again_in_the_window_renews_and_a_pass_before_it_does_not():
    course, exam = exam_course()
    certification = CertificationFactory(
        required_courses=[course], exam=exam, renewal_requires=RenewalRequires.RETAKE_EXAM
    )
    user = partner_user()
    study(user, course, at=ISSUED, quiz=exam)
    original = current_certificate(user, certification)
    assert original.issued_at == ISSUED

    study(user, course, at=original.renewal_opens_at - timedelta(days=3), quiz=exam)  # a retake too early
    assert current_certificate(user, certification) == original
    inside = original.renewal_opens_at + timedelta(days=3)
    study(user, course, at=inside, quiz=exam)  # round 3: the exam passed again, inside the window

    renewed = current_certificate(user, certification)
    assert (renewed.renewed_from, renewed.issued_at) == (original, inside)


def test_retake_all_needs_the_courses_and_the_exam_again(two_courses):
    basics, _design = two_courses
    course, exam = exam_course()
    certification = CertificationFactory(
        required_courses=[basics, course], exam=exam, renewal_requires=RenewalRequires.RETAKE_ALL
    )
    user = partner_user()
    study(user, basics, at=ISSUED - timedelta(days=1))
    study(user, course, at=ISSUED, quiz=exam)
    original = current_certificate(user, certification)
    inside = original.renewal_opens_at + timedelta(days=1)

    study(user, basics, at=inside)
    course_retake(user=user, course=course, now=inside)
    lesson_complete(user=user, lesson=Lesson.objects.get(module__course=course), now=inside)
    assert current_certificate(user, certification) == original  # the exam's course not completed, nor passed
    attempt, _created = quiz_attempt_start(user=user, quiz=exam, course=course, now=inside + timedelta(hours=1))
    answers = {q["id"]: [next(c["id"] for c in q["choices"] if c["correct"])] for q in attempt.questions}
    quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers, now=inside + timedelta(hours=2))

    assert current_certificate(user, certification).renewed_from == original


def test_a_lapsed_certificate_is_earned_again_by_a_retake_from_that_day(two_courses):
    basics, _design = two_courses
    certification = CertificationFactory(required_courses=[basics], renewal_requires=RenewalRequires.RETAKE_COURSES)
    user = partner_user()
    study(user, basics, at=ISSUED)
    lapsed = current_certificate(user, certification)
    later = lapsed.expires_at + timedelta(days=40)

    study(user, basics, at=later)

    again = current_certificate(user, certification)
    assert (again.renewed_from, again.issued_at) == (lapsed, later)
    assert again.expires_at == add_months(later, certification.validity_months)


def test_a_revoked_certificate_comes_back_only_with_a_retake_after_the_revocation(two_courses):
    basics, _design = two_courses
    certification = CertificationFactory(required_courses=[basics], renewal_requires=RenewalRequires.RETAKE_COURSES)
    user = partner_user()
    study(user, basics, at=ISSUED)
    original = current_certificate(user, certification)
    study(user, basics, at=original.renewal_opens_at + timedelta(days=1))
    renewed = current_certificate(user, certification)
    revoked_at = renewed.issued_at + timedelta(days=10)
    certificate_revoke(certificate=renewed, reason="Shared exam answers.", now=revoked_at)

    study(user, basics, at=revoked_at + timedelta(days=3))

    again = current_certificate(user, certification)
    assert again.renewed_from is None  # a revoked certificate is not continued
    assert again.issued_at == revoked_at + timedelta(days=3)


def test_a_refresher_rule_still_ignores_retakes_of_the_required_courses(two_courses):
    basics, refresher = two_courses
    certification = CertificationFactory(required_courses=[basics], renewal_courses=[refresher])
    assert certification.renewal_requires == RenewalRequires.REFRESHER
    user = partner_user()
    study(user, basics, at=ISSUED)
    original = current_certificate(user, certification)
    study(user, basics, at=original.renewal_opens_at + timedelta(days=1))
    assert current_certificate(user, certification) == original
    study(user, refresher, at=original.renewal_opens_at + timedelta(days=2))
    assert current_certificate(user, certification).renewed_from == original


def test_rounds_of_one_course_never_stand_in_for_another_required_course(two_courses):
    basics, design = two_courses
    user = partner_user()
    study(user, basics, at=ISSUED)
    study(user, basics, at=ISSUED + timedelta(days=1))  # two completed rounds of one course
    certification = CertificationFactory(required_courses=[basics, design])
    assert certification_issue_to_earners(certification=certification) == 0
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("rule", "has_exam", "required", "renewal", "expected"),
    [
        ("refresher", False, 1, 1, {}),
        ("retake_courses", False, 2, 0, {}),
        ("retake_exam", True, 0, 0, {}),
        ("retake_exam", False, 1, 0, {"renewal_requires": "needs an exam"}),
        ("retake_all", False, 1, 0, {"renewal_requires": "needs an exam"}),
        ("retake_courses", True, 0, 0, {"renewal_requires": "needs required courses"}),
        ("retake_courses", False, 1, 2, {"renewal_courses": "count only when"}),
    ],
)
def test_the_renewal_rule_must_fit_the_exam_and_the_courses(rule, has_exam, required, renewal, expected):
    errors = renewal_rule_errors(rule=rule, has_exam=has_exam, required_courses=required, renewal_courses=renewal)
    assert set(errors) == set(expected)
    for field, text in expected.items():
        assert text in errors[field]


def test_the_editor_form_refuses_a_retake_of_an_exam_that_is_not_there():
    form_class = Certification.get_edit_handler().get_form_class()
    form = form_class(data={"title": "SD-WAN Professional", "renewal_requires": "retake_exam"}, for_user=None)
    assert not form.is_valid()
    assert "Renewal by passing the exam again needs an exam" in form.errors["renewal_requires"][0]


def test_the_api_and_the_e_mails_say_how_to_renew_by_retake(client, two_courses, mailoutbox):
    basics, _design = two_courses
    course, exam = exam_course()
    certification = CertificationFactory(
        title="SD-WAN Professional",
        required_courses=[basics, course],
        exam=exam,
        renewal_requires=RenewalRequires.RETAKE_ALL,
    )
    user = partner_user()
    study(user, basics, at=ISSUED - timedelta(days=1))
    study(user, course, at=ISSUED, quiz=exam)
    original = current_certificate(user, certification)
    _token, secret = api_token_issue(user=user, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    listed = client.get("/api/v1/certifications", **headers).json()["results"]

    renewal = next(c for c in listed if c["id"] == certification.pk)["renewal"]
    assert renewal["requires"] == "retake_all"
    assert renewal["counts_from"][:10] == original.renewal_opens_at.date().isoformat()
    assert [(c["title"], c["done"]) for c in renewal["courses"]] == [
        ("SD-WAN basics", False),
        ("SD-WAN exam prep", False),
    ]
    assert renewal["exam"] == {
        "kind": "exam",
        "id": exam.pk,
        "title": "SD-WAN exam",
        "done": False,
        "standalone": False,
    }
    assert renewal["unavailable_courses"] == 0

    assert expiry_reminders_send(now=original.expires_at - timedelta(days=20)) == 1
    (mail,) = mailoutbox
    assert "retake its 2 required courses and pass its exam again" in mail.body
    assert "only what you complete from" in mail.body


def test_the_certificates_listing_shows_and_filters_renewals_by_retake(admin_client, two_courses):
    basics, _design = two_courses
    certification = CertificationFactory(required_courses=[basics], renewal_requires=RenewalRequires.RETAKE_COURSES)
    ann, bob = partner_user(), partner_user()
    for user in (ann, bob):
        study(user, basics, at=ISSUED)
    original = current_certificate(ann, certification)
    study(ann, basics, at=original.renewal_opens_at + timedelta(days=1))
    url = reverse("wagtailsnippets_certifications_certificate:list")

    retaken = admin_client.get(url, {"earned_by": "retake_courses"})

    assert retaken.status_code == 200
    assert [c.user for c in retaken.context["object_list"]] == [ann]
    assert "Retake of the courses" in retaken.content.decode()
    export = admin_client.get(url, {"export": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert "Earned by" in text and text.count("The full path") == 2 and text.count("Retake of the courses") == 1


def test_a_stand_alone_exam_is_sat_again_to_renew_once_the_window_opens():
    from certifications.exams import ExamRefused, exam_attempt_start, exam_attempt_submit

    exam = QuizFactory(title="Firewall exam", answers_shown="never", attempt_limit=1)
    QuestionFactory(bank=exam.bank)
    certification = CertificationFactory(exam=exam, exam_standalone=True, renewal_requires=RenewalRequires.RETAKE_EXAM)
    user = partner_user()

    def sit(at):
        attempt, _created = exam_attempt_start(user=user, certification=certification, now=at)
        answers = {q["id"]: [next(c["id"] for c in q["choices"] if c["correct"])] for q in attempt.questions}
        exam_attempt_submit(user=user, certification=certification, attempt_id=attempt.pk, answers=answers, now=at)

    sit(ISSUED)
    original = current_certificate(user, certification)
    with pytest.raises(ExamRefused, match="passed"):  # before the window: passed already, nothing to sit
        exam_attempt_start(user=user, certification=certification, now=original.renewal_opens_at - timedelta(days=1))

    sit(original.renewal_opens_at + timedelta(days=3))  # a fresh attempt limit in the window, and it renews

    renewed = current_certificate(user, certification)
    assert renewed.renewed_from == original
    assert renewed.earned_by == "retake_exam"
