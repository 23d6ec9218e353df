"""The learner's transcript (certifications.transcript): its CSV rows and PDF, its fixed query count, and who gets
whose: the learner their own (API and portal), a partner admin their staff's (My team), staff with the right
permissions anyone's (the admin)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.test import RequestFactory
from django.utils import timezone

import pytest
from pypdf import PdfReader

from accounts.preferences import preferences_update
from certifications.factories import CertificateFactory, CertificationFactory
from certifications.models import Certificate
from certifications.transcript import transcript_csv, transcript_of
from courses.factories import QuizAttemptFactory, QuizFactory, course_with, course_with_package
from courses.models import Enrollment, LessonCompletion, PackageResult
from courses.package_lessons import package_context
from elearning.factories_runtime import launched
from elearning.models import PackageAttempt
from partners.factories import PartnerFactory, RoleFactory, StaffUserFactory, UserFactory
from tests.conftest import make_token_user
from tests.courses.package_helpers import private_storage, scorm12  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def history(user, package, *, courses: int = 1, tag: str = ""):
    """``user``'s history: per course two rounds (the first completed with a package result), a quiz attempt in
    each round; a certification's exam taken on its own; a package attempt in round 2; a certificate."""
    now = timezone.now()
    for index in range(courses):
        course = course_with_package(package, lessons_before=1, course=course_with((), title=f"Routing{tag} {index}"))
        lessons = list(course.modules.first().lessons.order_by("sort_order"))
        quiz = QuizFactory(title=f"Routing quiz{tag} {index}")
        first = Enrollment.objects.create(
            user=user,
            course=course,
            round=1,
            is_current=False,
            enrolled_at=now - timedelta(days=400),
            completed_at=now - timedelta(days=390),
        )
        for lesson in lessons:
            LessonCompletion.objects.create(user=user, enrollment=first, lesson=lesson)
        PackageResult.objects.create(
            user=user, enrollment=first, lesson=lessons[1], package=package, completed=True, passed=True, score=85
        )
        second = Enrollment.objects.create(user=user, course=course, round=2, enrolled_at=now - timedelta(days=5))
        LessonCompletion.objects.create(user=user, enrollment=second, lesson=lessons[0])
        QuizAttemptFactory(
            user=user, quiz=quiz, course=course, number=1, passed=True, started_at=now - timedelta(days=395)
        )
        QuizAttemptFactory(
            user=user, quiz=quiz, course=course, number=2, passed=False, score=40, started_at=now - timedelta(days=2)
        )
        launch, _token = launched(user, package, context=package_context(course.pk, 2))
        PackageAttempt.objects.filter(pk=launch.attempt_id).update(
            completion_status="completed", success_status="passed", score_percent=Decimal("92.5"), total_seconds=3725
        )
    exam = QuizFactory(title=f"Security exam{tag}")
    CertificationFactory(title=f"Security Pro{tag}", exam=exam, exam_standalone=True)
    QuizAttemptFactory(user=user, quiz=exam, course=None, number=1, passed=True, score=88)
    CertificateFactory(user=user, certification=CertificationFactory(title=f"Routing Expert{tag}"))


@pytest.fixture
def learner(scorm12):  # noqa: F811
    acme = PartnerFactory(key="acme", name="Acme Networks")
    learner = make_token_user(partner=acme, user__first_name="Łukasz", user__last_name="Nowak")
    history(learner.user, scorm12)
    return learner


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def request():
    return RequestFactory().get("/")


def test_the_csv_has_every_round_attempt_package_and_certificate(learner, settings):
    settings.PARTNERHUB_PUBLIC_URL = (
        "https://partners.example.com"  # links leave the request: on the one public address
    )
    rows = rows_of(transcript_csv(transcript_of(user=learner.user, request=request())))
    assert rows[0] == [
        "Kind",
        "Title",
        "Where",
        "Round or attempt",
        "Started",
        "Finished",
        "Status",
        "Passed",
        "Score (%)",
        "Details",
    ]
    courses = [row for row in rows if row[0] == "Course"]
    assert [(row[1], row[3], row[6]) for row in courses] == [
        ("Routing 0", "1", "Completed"),
        ("Routing 0", "2", "In progress"),
    ]
    assert courses[0][9] == "Lessons done: 2 of 2; Security basics: completed, passed, 85.0%"
    assert courses[1][9] == "Lessons done: 1 of 2"
    quizzes = [row for row in rows if row[0] in ("Quiz", "Exam")]
    assert [(row[0], row[1], row[2], row[3], row[7], row[8]) for row in quizzes] == [
        ("Quiz", "Routing quiz 0", "Routing 0, round 1", "1", "Yes", "100.0"),
        ("Quiz", "Routing quiz 0", "Routing 0, round 2", "2", "No", "40.0"),
        ("Exam", "Security exam", "Exam of certification Security Pro (on its own)", "1", "Yes", "88.0"),
    ]
    (package,) = [row for row in rows if row[0] == "Learning package"]
    assert package[1:4] == ["Security basics", "Routing 0, round 2", "1"]
    assert package[7:9] == ["Yes", "92.5"]
    assert package[9] == "Version 1; completion: Completed; time spent: 1:02:05"
    (certificate,) = [row for row in rows if row[0] == "Certificate"]
    assert certificate[1:3] == ["Routing Expert", "Acme Networks"] and certificate[6] == "Active"
    code = Certificate.objects.get(user=learner.user).verification_code
    assert certificate[9].endswith(f"verify: https://partners.example.com/verify/{code}/")


def test_a_cell_that_would_start_a_formula_is_text(scorm12):  # noqa: F811
    user = make_token_user(user__first_name="=HYPERLINK(1)").user
    CertificateFactory(user=user, certification=CertificationFactory(title="+cmd"))
    rows = rows_of(transcript_csv(transcript_of(user=user, request=request())))
    assert rows[1][1] == "'+cmd"


def test_the_pdf_names_the_learner_and_the_courses(client, learner):
    response = client.get("/api/v1/me/transcript?format=pdf", **learner.headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Łukasz Nowak", "Routing 0", "Routing quiz 0", "Security basics", "Routing Expert"):
        assert expected in text


def test_the_api_answers_csv_and_refuses_an_unknown_format(client, learner):
    response = client.get("/api/v1/me/transcript?format=csv", **learner.headers)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Routing 0" in response.content.decode()
    refused = client.get("/api/v1/me/transcript?format=docx", **learner.headers)
    assert refused.status_code == 400 and "pdf or csv" in refused.json()["detail"]
    assert client.get("/api/v1/me/transcript?format=csv").status_code == 401


@pytest.mark.parametrize("courses", [1, 4])
def test_a_fixed_number_of_queries_whatever_the_history(scorm12, courses, django_assert_max_num_queries):  # noqa: F811
    user = make_token_user().user
    history(user, scorm12, courses=courses)
    with django_assert_max_num_queries(8):
        transcript = transcript_of(user=user, request=request())
    assert len(transcript.courses) == 2 * courses and len(transcript.packages) == courses


# --- who gets whose ---------------------------------------------------------------------------------------


def test_a_learner_only_ever_gets_their_own_through_the_api(client, learner, scorm12):  # noqa: F811
    other = make_token_user(user__first_name="Olga", user__last_name="Other")
    history(other.user, scorm12, tag=" secret")
    body = client.get("/api/v1/me/transcript?format=csv", **learner.headers).content.decode()
    assert "Routing secret" not in body and "Olga" not in body


def test_the_portal_serves_my_own_transcript(client, learner, scorm12):  # noqa: F811
    other = make_token_user()
    history(other.user, scorm12, tag=" secret")
    client.force_login(learner.user)
    page = client.get("/certifications/").content.decode()
    assert 'href="/certifications/transcript/pdf/"' in page and 'href="/certifications/transcript/csv/"' in page
    response = client.get("/certifications/transcript/csv/")
    assert response.status_code == 200 and "Routing 0" in response.content.decode()
    assert "secret" not in response.content.decode()
    assert client.get("/certifications/transcript/pdf/")["Content-Type"] == "application/pdf"
    assert client.get("/certifications/transcript/xlsx/").status_code == 404


@pytest.fixture
def team(learner):
    acme = learner.user.partner_membership.partner
    admin = make_token_user(partner=acme, roles=[RoleFactory(key="admin", name="Admin")])
    colleague = make_token_user(partner=acme)
    stranger = make_token_user(partner=PartnerFactory(key="globex", name="Globex"))
    return {"admin": admin.user, "colleague": colleague.user, "stranger": stranger.user}


def test_a_partner_admin_gets_their_staffs_transcript_and_no_one_elses(client, learner, team):
    client.force_login(team["admin"])
    member_page = client.get(f"/team/{learner.user.pk}/").content.decode()
    assert f'href="/team/{learner.user.pk}/transcript/pdf/"' in member_page
    response = client.get(f"/team/{learner.user.pk}/transcript/csv/")
    assert response.status_code == 200 and "Routing 0" in response.content.decode()
    assert client.get(f"/team/{learner.user.pk}/transcript/pdf/")["Content-Type"] == "application/pdf"
    assert client.get(f"/team/{team['stranger'].pk}/transcript/csv/").status_code == 404
    assert client.get(f"/team/{learner.user.pk}/transcript/docx/").status_code == 404
    client.force_login(team["colleague"])  # not an admin: no one's
    assert client.get(f"/team/{learner.user.pk}/transcript/csv/").status_code == 404


def test_a_partner_admin_sees_nothing_of_what_lies_outside_their_audience(client, learner, team, scorm12):  # noqa: F811
    technical = RoleFactory(key="technical", name="Technical")
    CertificateFactory(
        user=learner.user, certification=CertificationFactory(title="Engineers only", roles=[technical])
    )
    client.force_login(team["admin"])
    body = client.get(f"/team/{learner.user.pk}/transcript/csv/").content.decode()
    assert "Routing Expert" in body and "Engineers only" not in body


def test_staff_with_the_permissions_get_any_learners_transcript(client, learner):
    client.force_login(StaffUserFactory())
    url = f"/admin/reports/certifications/transcripts/{learner.user.pk}/csv/"
    response = client.get(url)
    assert response.status_code == 200 and "Routing 0" in response.content.decode()
    assert client.get(url.replace("/csv/", "/pdf/"))["Content-Type"] == "application/pdf"
    listing = client.get("/admin/reports/certifications/transcripts/?q=Nowak").content.decode()
    assert url in listing


def test_staff_without_the_permissions_get_none(client, learner):
    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(f"/admin/reports/certifications/transcripts/{learner.user.pk}/csv/")
    assert response.status_code in (302, 403)
    assert "Routing" not in response.content.decode()


def test_a_learner_who_chose_german_gets_the_transcript_in_german(client, learner):
    preferences_update(user=learner.user, language="de")
    client.force_login(learner.user)
    response = client.get("/certifications/transcript/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lernnachweis" in text and "Kurse" in text and "Zertifikate" in text
    assert "Learning transcript" not in text
