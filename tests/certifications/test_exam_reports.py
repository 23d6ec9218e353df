"""The exam reports: attempts at certifications' exams by certification and partner, and every attempt."""

import csv
import io

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.http import urlencode

import pytest

from certifications.factories import CertificationFactory
from courses.factories import QuizAttemptFactory, QuizFactory, course_with
from courses.models import Quiz
from partners.factories import PartnerFactory, StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


def report_url(name, **params) -> str:
    url = reverse(f"certifications_reports:{name}")
    return f"{url}?{urlencode(params)}" if params else url


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def exams():
    """Firewall expert (exam on its own): Acme's Ann passes at her second attempt, Acme's Bo fails, Brick's Cy
    passes in a course that uses the quiz. Seller (exam in a course): nobody yet. A practice quiz is no exam."""
    gold = TierFactory(key="gold", name="Gold", rank=30)
    acme, brick = PartnerFactory(name="Acme", tier=gold), PartnerFactory(name="Brick", tier=gold)
    quiz = QuizFactory(title="Firewall exam", answers_shown=Quiz.AnswersShown.NEVER)
    firewall = CertificationFactory(title="Firewall expert", exam=quiz, exam_standalone=True)
    CertificationFactory(title="Seller", exam=QuizFactory(title="Seller exam"))
    ann, bo, cy = (
        partner_user(partner=p, user__first_name=n) for p, n in ((acme, "Ann"), (acme, "Bo"), (brick, "Cy"))
    )
    course = course_with(title="Firewall course", final_quiz=quiz)
    QuizAttemptFactory(user=ann, quiz=quiz, course=None, number=1, passed=False, score=40)
    QuizAttemptFactory(user=ann, quiz=quiz, course=None, number=2, passed=True, score=90)
    QuizAttemptFactory(user=bo, quiz=quiz, course=None, number=1, passed=False, score=20, late=True)
    QuizAttemptFactory(user=bo, quiz=quiz, course=None, number=2, status="in_progress", score=None, passed=None)
    QuizAttemptFactory(user=cy, quiz=quiz, course=course, number=1, passed=True, score=80)
    QuizAttemptFactory(user=cy, quiz=QuizFactory(title="Practice"), course=course, number=1, passed=True)
    return {"firewall": firewall, "gold": gold}


def test_the_exam_report_counts_attempts_learners_and_passes_per_partner(admin_client, exams):
    response = admin_client.get(report_url("exams"))
    assert response.status_code == 200
    rows = [
        (
            r["certification_title"],
            r["partner_label"],
            *(r["attempts"], r["learners"], r["learners_passed"]),
            *(round(r["pass_rate"], 2), round(float(r["average_score"]), 1), r["standalone"]),
        )
        for r in response.context["object_list"]
    ]
    assert rows == [
        ("Firewall expert", "Acme", 3, 2, 1, 0.33, 50.0, 3),
        ("Firewall expert", "Brick", 1, 1, 1, 1.0, 80.0, 0),
    ]
    by_certification = admin_client.get(report_url("exams", group_by="certification")).context["object_list"]
    assert [(r["certification_title"], r["attempts"], r["learners_passed"]) for r in by_certification] == [
        ("Firewall expert", 4, 2)
    ]
    exported = csv_rows(admin_client.get(report_url("exams", export="csv", group_by="certification")))
    assert exported == [
        [
            "Certification",
            "Attempts",
            "Learners",
            "Learners passed",
            "Pass rate (%)",
            "Average score (%)",
            "Taken on their own",
        ],
        ["Firewall expert", "4", "3", "2", "50.0", "57.5", "3"],
    ]


def test_the_attempts_report_lists_each_attempt_with_where_it_was_taken(admin_client, exams):
    response = admin_client.get(report_url("exam_attempts"))
    rows = sorted(
        (a.learner_name.split()[0], a.partner_label, a.number, a.result, a.taken_in, a.late)
        for a in response.context["object_list"]
    )
    assert rows == [
        ("Ann", "Acme", 1, "Not passed", "On its own", False),
        ("Ann", "Acme", 2, "Passed", "On its own", False),
        ("Bo", "Acme", 1, "Not passed", "On its own", True),
        ("Cy", "Brick", 1, "Passed", "In “Firewall course”", False),
    ]
    searched = admin_client.get(report_url("exam_attempts", q="Cy")).context["object_list"]
    assert [a.partner_label for a in searched] == ["Brick"]
    exported = csv_rows(
        admin_client.get(report_url("exam_attempts", export="csv", certification=exams["firewall"].pk))
    )
    assert exported[0][:4] == ["Learner", "E-mail", "Partner", "Certification"] and len(exported) == 5


def test_the_exam_reports_cost_a_fixed_number_of_queries(admin_client, exams, django_assert_max_num_queries):
    quiz = exams["firewall"].exam
    for n in range(15):
        learner = partner_user(partner=PartnerFactory(name=f"Extra {n}", tier=exams["gold"]))
        QuizAttemptFactory(user=learner, quiz=quiz, course=None, number=1, passed=True, score=75)
    for name in ("exams", "exam_attempts"):
        with django_assert_max_num_queries(20):
            assert admin_client.get(report_url(name)).status_code == 200


def test_the_exam_reports_need_the_quiz_attempts_view_permission(client, exams):
    editor = StaffUserFactory(username="editor", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Channel team"))
    Permission.objects.get(codename="access_admin").group_set.add(group)
    client.force_login(editor)
    assert client.get(report_url("exams")).status_code == 302
    group.permissions.add(Permission.objects.get(codename="view_quizattempt"))
    assert client.get(report_url("exams")).status_code == 200
    assert client.get(report_url("exam_attempts")).status_code == 200
