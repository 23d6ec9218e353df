"""Lessons made of learning packages: launch through the API, the runtime's results complete the lesson and the
course (certificates follow), completion rules, scores kept, "Mark as done" refused, and the leak matrix."""

from decimal import Decimal

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from courses.factories import CourseFactory, course_with_package, package_block
from courses.models import Enrollment, LessonCompletion, PackageResult
from courses.services.enrollment import course_enroll
from courses.services.packages import package_lesson_launch
from elearning.factories import PackageFactory
from elearning.models import PackageAttempt, PackageLaunch
from partners.factories import PartnerFactory, TierFactory, partner_user
from tests.courses.package_helpers import auth, finish_12, launch_of, token_of

pytestmark = pytest.mark.django_db


def package_lesson(course):
    return course.modules.get().lessons.order_by("sort_order").last()


@pytest.fixture
def ann():
    return partner_user(partner=PartnerFactory(tier=TierFactory(key="gold", rank=30)))


def launch_api(client, headers, lesson):
    return client.post(f"/api/v1/lessons/{lesson.pk}/launch", content_type="application/json", **headers)


def test_a_scorm_12_lesson_taken_through_the_api_completes_the_course_and_issues_the_certificate(client, ann, scorm12):
    course = course_with_package(scorm12, lessons_before=0)
    certification = CertificationFactory(required_courses=[course])
    lesson = package_lesson(course)
    headers = auth(ann)
    assert client.post(f"/api/v1/courses/{course.pk}/enroll", **headers).status_code == 201

    response = launch_api(client, headers, lesson)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["standard"] == "scorm12" and body["lesson_id"] == lesson.pk
    assert body["launch_url"].startswith("http://testserver/learn/play/")
    assert body["attempt"]["number"] == 1 and body["attempt"]["version"] == 1
    assert body["attempt"]["completion_status"] == "not attempted"
    launch = launch_of(body["launch_url"])
    assert launch.user == ann and launch.attempt.context == f"course:{course.pk}"
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()

    finish_12(launch, status="completed", raw="90")  # the SCO's own commit, as the player sends it

    assert LessonCompletion.objects.filter(user=ann, lesson=lesson).exists()
    enrollment = Enrollment.objects.get(user=ann, course=course)
    assert enrollment.completed_at is not None
    assert Certificate.objects.filter(user=ann, certification=certification).count() == 1
    result = PackageResult.objects.get(user=ann, lesson=lesson)
    assert (result.completed, result.passed, result.score, result.best_score) == (
        True,
        True,
        Decimal("90.00"),
        Decimal("90.00"),
    )
    assert result.rule_met_at is not None and result.attempt == launch.attempt

    lesson_json = client.get(f"/api/v1/lessons/{lesson.pk}", **headers).json()
    block = lesson_json["blocks"][0]
    assert block["type"] == "package" and block["package"]["standard"] == "scorm12"
    assert block["result"]["score"] == 90.0 and block["result"]["rule_met"] is True
    assert block["launch"] == f"/api/v1/lessons/{lesson.pk}/launch"
    course_json = client.get(f"/api/v1/courses/{course.pk}", **headers).json()
    ref = course_json["modules"][0]["lessons"][0]
    assert ref["completed"] is True and ref["package"]["score"] == 90.0


def test_mark_as_done_is_refused_for_a_package_lesson(client, ann, scorm12):
    course = course_with_package(scorm12, lessons_before=1)
    course_enroll(user=ann, course=course)
    headers = auth(ann)
    text_lesson, lesson = course.modules.get().lessons.order_by("sort_order")
    assert client.post(f"/api/v1/lessons/{text_lesson.pk}/complete", **headers).status_code == 200
    response = client.post(f"/api/v1/lessons/{lesson.pk}/complete", **headers)
    assert response.status_code == 409
    assert "completed by its learning package" in response.json()["detail"]
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()


def test_a_failed_package_does_not_complete_the_lesson_under_the_default_rule(ann, scorm12):
    course = course_with_package(scorm12)
    course_enroll(user=ann, course=course)
    lesson = package_lesson(course)
    launched = package_lesson_launch(user=ann, lesson=lesson)
    finish_12(launched.launch, status="completed", raw="60")  # below the mastery score (80): failed
    result = PackageResult.objects.get(user=ann, lesson=lesson)
    assert (result.completed, result.passed, result.score) == (True, False, Decimal("60.00"))
    assert result.rule_met_at is None
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()


@pytest.mark.parametrize(
    ("rule", "status", "raw", "done"),
    [
        ("completed", "completed", "60", True),  # failed, but completed is enough
        ("completed", "incomplete", None, False),
        ("passed", "passed", "95", True),
        ("passed", "completed", "60", False),
        ("completed_and_passed", "completed", "85", True),
        ("completed_and_passed", "completed", "50", False),
        ("package", "completed", None, True),  # no score: no success status, completed is what it reports
    ],
)
def test_completion_rules(ann, scorm12, rule, status, raw, done):
    course = course_with_package(scorm12, completion_rule=rule)
    course_enroll(user=ann, course=course)
    lesson = package_lesson(course)
    finish_12(package_lesson_launch(user=ann, lesson=lesson).launch, status=status, raw=raw)
    assert LessonCompletion.objects.filter(user=ann, lesson=lesson).exists() is done


@pytest.mark.parametrize(("pass_mark", "raw", "done"), [(None, "85", True), (None, "79", False), (95, "90", False)])
def test_counts_score_needs_the_pass_mark_or_the_packages_mastery_score(ann, private_storage, pass_mark, raw, done):
    # No mastery score in the package: the SCO says "completed" whatever its score, the block's mark decides.
    package = PackageFactory(standard="scorm12", sample={"mastery_score": None})
    course = course_with_package(
        package, completion_rule="completed", counts_score=True, pass_mark=80 if pass_mark is None else pass_mark
    )
    course_enroll(user=ann, course=course)
    lesson = package_lesson(course)
    finish_12(package_lesson_launch(user=ann, lesson=lesson).launch, status="completed", raw=raw)
    assert LessonCompletion.objects.filter(user=ann, lesson=lesson).exists() is done
    assert PackageResult.objects.get(user=ann, lesson=lesson).score == Decimal(raw)


def test_counts_score_without_a_pass_mark_uses_the_mastery_score(ann, scorm12):
    course = course_with_package(scorm12, completion_rule="completed", counts_score=True)
    course_enroll(user=ann, course=course)
    lesson = package_lesson(course)
    launched = package_lesson_launch(user=ann, lesson=lesson)
    finish_12(launched.launch, status="completed", raw="70")  # mastery 80
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()
    launched = package_lesson_launch(user=ann, lesson=lesson)  # the same attempt, again
    assert launched.attempt.pk == PackageResult.objects.get().attempt_id
    finish_12(launched.launch, status="passed", raw="88")
    result = PackageResult.objects.get(user=ann, lesson=lesson)
    assert result.best_score == Decimal("88.00")
    assert LessonCompletion.objects.filter(lesson=lesson).exists()


def test_results_of_other_contexts_are_ignored(ann, scorm12):
    from elearning.factories_runtime import launched

    course = course_with_package(scorm12)
    course_enroll(user=ann, course=course)
    launch, _token = launched(ann, scorm12, context="lesson:1")  # someone else's launcher
    finish_12(launch, status="passed", raw="100")
    assert not PackageResult.objects.exists() and not LessonCompletion.objects.exists()


def test_launch_needs_an_enrolment_and_a_package_lesson(client, ann, scorm12):
    course = course_with_package(scorm12, lessons_before=1)
    text_lesson, lesson = course.modules.get().lessons.order_by("sort_order")
    headers = auth(ann)
    response = launch_api(client, headers, lesson)
    assert response.status_code == 409 and "Enrol" in response.json()["detail"]
    course_enroll(user=ann, course=course)
    response = launch_api(client, headers, text_lesson)
    assert response.status_code == 409 and "no learning package" in response.json()["detail"]
    assert not PackageLaunch.objects.exists()


# --- leak matrix -----------------------------------------------------------------------------------------


def test_a_course_the_user_may_not_see_is_404_and_launches_nothing(client, ann, scorm12):
    platinum = TierFactory(key="platinum", rank=40)
    course = course_with_package(scorm12, course=CourseFactory(min_tier=platinum))
    Enrollment.objects.create(user=ann, course=course)  # enrolled once, then the audience moved on
    lesson = package_lesson(course)
    response = launch_api(client, auth(ann), lesson)
    assert response.status_code == 404
    assert client.get(f"/api/v1/lessons/{lesson.pk}", **auth(ann)).status_code == 404
    assert not PackageLaunch.objects.exists() and not PackageAttempt.objects.exists()


@pytest.mark.parametrize("state", ["archived", "expired", "draft"])
def test_an_archived_expired_or_draft_course_is_404(client, ann, scorm12, state):
    from datetime import timedelta

    from django.utils import timezone

    course = course_with_package(scorm12)
    Enrollment.objects.create(user=ann, course=course)
    if state == "archived":
        course.archived_at = timezone.now()
    elif state == "expired":
        course.expire_at, course.expired = timezone.now() - timedelta(days=1), True
    else:
        course.live = False
    course.save()
    assert launch_api(client, auth(ann), package_lesson(course)).status_code == 404
    assert not PackageLaunch.objects.exists()


def test_a_learners_launch_url_does_not_work_for_another_user(client, ann, scorm12):
    course = course_with_package(scorm12)
    course_enroll(user=ann, course=course)
    body = launch_api(client, auth(ann), package_lesson(course)).json()
    player = "/learn/play/" + token_of(body["launch_url"]) + "/"
    bob = partner_user(partner=PartnerFactory(tier=TierFactory(key="silver", rank=20)))
    client.force_login(bob)
    assert client.get(player).status_code == 404
    client.force_login(ann)
    assert client.get(player).status_code == 200


def test_launch_query_count_is_fixed(client, ann, scorm12, django_assert_max_num_queries):
    course = course_with_package(scorm12)
    course_enroll(user=ann, course=course)
    headers = auth(ann)
    lesson = package_lesson(course)
    launch_api(client, headers, lesson)
    with django_assert_max_num_queries(30):
        assert launch_api(client, headers, lesson).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/api/v1/lessons/{lesson.pk}", **headers).status_code == 200


def test_a_lesson_block_must_name_a_unit_of_the_package(scorm12):
    from django.core.exceptions import ValidationError

    from courses.blocks import PackageBlock

    block = PackageBlock()
    value = block.to_python(package_block(scorm12, unit="nope")[0]["value"])
    with pytest.raises(ValidationError):
        block.clean(value)
    assert block.clean(block.to_python(package_block(scorm12, unit="")[0]["value"]))["package"] == scorm12


def test_a_retake_round_plays_the_package_afresh_and_completes_only_by_a_new_result(client, ann, scorm12):
    from courses.services.rounds import course_retake

    course = course_with_package(scorm12)
    lesson = package_lesson(course)
    headers = auth(ann)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **headers)
    first = launch_of(launch_api(client, headers, lesson).json()["launch_url"])
    finish_12(first, status="completed", raw="90")
    course_retake(user=ann, course=course)

    body = launch_api(client, headers, lesson).json()
    second = launch_of(body["launch_url"])
    assert second.attempt != first.attempt and body["attempt"]["completion_status"] == "not attempted"
    assert second.attempt.context == f"course:{course.pk}:round:2"
    lesson_json = client.get(f"/api/v1/lessons/{lesson.pk}", **headers).json()
    assert lesson_json["blocks"][0]["result"] is None  # round 2 starts with no result
    round_2 = Enrollment.objects.current().get(user=ann, course=course)
    assert round_2.round == 2 and round_2.completed_at is None

    finish_12(first, status="completed", raw="95")  # the old round's attempt, late: counts nowhere now
    round_2.refresh_from_db()
    assert round_2.completed_at is None

    finish_12(second, status="completed", raw="80")
    round_2.refresh_from_db()
    assert round_2.completed_at is not None
    assert LessonCompletion.objects.filter(user=ann, lesson=lesson).count() == 2  # one per round
    assert PackageResult.objects.filter(user=ann, lesson=lesson).count() == 2


def test_a_cmi5_lesson_launches_the_cmi5_player(client, ann, private_storage):
    package = PackageFactory(standard="cmi5", title="Partner onboarding")
    course = course_with_package(package)
    lesson = package_lesson(course)
    headers = auth(ann)
    client.post(f"/api/v1/courses/{course.pk}/enroll", **headers)

    response = launch_api(client, headers, lesson)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["standard"] == "cmi5" and "/learn/cmi5/" in body["launch_url"]
    assert client.get(body["launch_url"]).status_code == 200
