"""The learning reports: "Courses: enrolments and completion" and "Quizzes: question statistics"."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from wagtail import hooks
from wagtail.admin.menu import reports_menu

import openpyxl
import pytest
import time_machine

from courses.factories import QuestionBankFactory, QuestionFactory, QuizFactory, course_with
from courses.models import Enrollment, Lesson, LessonCompletion, Question, QuestionResult, QuizAttempt
from courses.reports import enrollment_progress
from courses.selectors import course_progress
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.enrollment import course_enroll, lesson_complete
from partners.factories import (
    PartnerFactory,
    PartnerTypeFactory,
    TierFactory,
    UserFactory,
    partner_user,
    staff_user_with_permissions,
)

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)

NOW = datetime(2027, 5, 10, 12, 0, tzinfo=UTC)
TODAY = date(2027, 5, 10)
REPORT_NAMES = ["enrolments", "question_stats"]
MENU_NAMES = {"enrolments": "courses-enrolments", "question_stats": "courses-question-stats"}
# The report each permission opens.
PERMISSION_OF = {"enrolments": "courses.view_enrollment", "question_stats": "courses.view_quizattempt"}

# The questions, by a short name; their texts sort in this order.
DEAL = "Deal registration: who registers?"
MFA = "Is MFA required for the portal?"
MDF = "MDF: which share is co-funded?"
PROTOCOLS = "Supported protocols?"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def ago(days) -> datetime:
    return NOW - timedelta(days=days)


def report_url(name, **params) -> str:
    url = reverse(f"courses_reports:{name}")
    return f"{url}?{urlencode(params)}" if params else url


def rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(response.context["object_list"])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def message_texts(response) -> list[str]:
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def menu_names(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in reports_menu.menu_items_for_request(request)}


# --- the data set ----------------------------------------------------------------------------------


def enrol(user, course, *, at, due=None):
    enrollment, _created = course_enroll(user=user, course=course, now=at)
    if due is not None:
        Enrollment.objects.filter(pk=enrollment.pk).update(due_date=due, source=Enrollment.Source.ASSIGNED)
    return enrollment


def complete_lessons(user, course, *, at, count=None):
    lessons = list(Lesson.objects.filter(module__course=course).order_by("module__sort_order", "sort_order"))
    for lesson in lessons[:count]:
        lesson_complete(user=user, lesson=lesson, now=at)


def take_quiz(user, quiz, course, *, at, right=(), partly=()):
    """An attempt, graded: the questions of ``right`` answered right, of ``partly`` half right, the others wrong."""
    attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course, now=at)
    answers = {}
    for question in attempt.questions:
        correct = [choice["id"] for choice in question["choices"] if choice["correct"]]
        wrong = [choice["id"] for choice in question["choices"] if not choice["correct"]]
        text = question["text"]
        answers[question["id"]] = correct if text in right else correct[:1] if text in partly else wrong[:1]
    attempt, _graded = quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers, now=at)
    return attempt


@pytest.fixture
def learning():
    """Five learners in two courses, through the services, over the last 40 days.

    Onboarding: two lessons, then the quiz "Onboarding check" (bank Basics: DEAL, MDF, PROTOCOLS).
    Security: one lesson, the quiz "Basics refresher" (bank Basics), then the final quiz
    "Security final" (bank Security: MFA). Acme (Gold, reseller), Globex (Silver,
    distributor), Initech (Gold, distributor); Eve belongs to no partner.

    ======  ==========  ========  ============  ==========================  ========
    who     course      enrolled  due           done                        progress
    ======  ==========  ========  ============  ==========================  ========
    ann     Onboarding  20 d ago  5 d ago       completed 18 d ago          100%
    bob     Onboarding  3 d ago   in 10 days    nothing                     0
    cat     Onboarding  15 d ago  2 d ago       one lesson (overdue)        1/3
    dan     Onboarding  40 d ago  none          both lessons, quiz failed   2/3
    ann     Security    10 d ago  yesterday     the lesson (overdue)        1/3
    cat     Security    15 d ago  none          completed 14 d ago          100%
    eve     Security    yesterday none          nothing                     0
    ======  ==========  ========  ============  ==========================  ========

    The graded answers (credit): "Onboarding check": ann 19 d ago (DEAL 1, MDF 0, PROTOCOLS
    0.5), ann 18 d ago (all 1), dan 39 d ago (DEAL 0, MDF 0, PROTOCOLS 1); "Basics refresher":
    cat 14 d ago (all 1); "Security final": cat 14 d ago (MFA 1), ann 9 d ago (MFA 0).
    """
    gold = TierFactory(key="gold", name="Gold", rank=30)
    silver = TierFactory(key="silver", name="Silver", rank=20)
    reseller = PartnerTypeFactory(key="reseller", name="Reseller")
    distributor = PartnerTypeFactory(key="distributor", name="Distributor")
    acme = PartnerFactory(key="acme", name="Acme Networks", tier=gold, partner_type=reseller)
    globex = PartnerFactory(key="globex", name="Globex", tier=silver, partner_type=distributor)
    initech = PartnerFactory(key="initech", name="Initech", tier=gold, partner_type=distributor)
    ann = partner_user(partner=acme, user=UserFactory(username="ann"))
    bob = partner_user(partner=acme, user=UserFactory(username="bob"))
    cat = partner_user(partner=globex, user=UserFactory(username="cat"))
    dan = partner_user(partner=initech, user=UserFactory(username="dan"))
    eve = UserFactory(username="eve")

    basics = QuestionBankFactory(name="Basics")
    QuestionFactory(bank=basics, text=DEAL, sort_order=1)
    QuestionFactory(bank=basics, text=MDF, sort_order=2)
    QuestionFactory(
        bank=basics,
        kind=Question.Kind.MULTIPLE,
        text=PROTOCOLS,
        sort_order=3,
        choices=[("HTTPS", True), ("SSH", True), ("Telnet", False)],
    )
    security_bank = QuestionBankFactory(name="Security")
    QuestionFactory(bank=security_bank, kind=Question.Kind.TRUE_FALSE, text=MFA)
    check = QuizFactory(title="Onboarding check", bank=basics)
    refresher = QuizFactory(title="Basics refresher", bank=basics)
    final = QuizFactory(title="Security final", bank=security_bank)
    onboarding = course_with(title="Onboarding", lessons_per_module=(2,), module_quizzes=(check,))
    security = course_with(title="Security", lessons_per_module=(1,), module_quizzes=(refresher,), final_quiz=final)

    enrol(ann, onboarding, at=ago(20), due=TODAY - timedelta(days=5))
    complete_lessons(ann, onboarding, at=ago(19))
    take_quiz(ann, check, onboarding, at=ago(19), right={DEAL}, partly={PROTOCOLS})
    take_quiz(ann, check, onboarding, at=ago(18), right={DEAL, MDF, PROTOCOLS})
    enrol(bob, onboarding, at=ago(3), due=TODAY + timedelta(days=10))
    enrol(cat, onboarding, at=ago(15), due=TODAY - timedelta(days=2))
    complete_lessons(cat, onboarding, at=ago(14), count=1)
    enrol(dan, onboarding, at=ago(40))
    complete_lessons(dan, onboarding, at=ago(39))
    take_quiz(dan, check, onboarding, at=ago(39), right={PROTOCOLS})

    enrol(ann, security, at=ago(10), due=TODAY - timedelta(days=1))
    complete_lessons(ann, security, at=ago(9))
    take_quiz(ann, final, security, at=ago(9))
    enrol(cat, security, at=ago(15))
    complete_lessons(cat, security, at=ago(14))
    take_quiz(cat, refresher, security, at=ago(14), right={DEAL, MDF, PROTOCOLS})
    take_quiz(cat, final, security, at=ago(14), right={MFA})
    enrol(eve, security, at=ago(1))

    assert set(
        Enrollment.objects.filter(completed_at__isnull=False).values_list("user__username", "course__title")
    ) == {
        ("ann", "Onboarding"),
        ("cat", "Security"),
    }
    return {
        "courses": {"onboarding": onboarding, "security": security},
        "tiers": {"gold": gold, "silver": silver},
        "types": {"reseller": reseller, "distributor": distributor},
        "quizzes": {"check": check, "refresher": refresher, "final": final},
        "banks": {"basics": basics, "security": security_bank},
        "users": {"ann": ann, "bob": bob, "cat": cat, "dan": dan, "eve": eve},
    }


def resolve(learning, params) -> dict:
    """Filter values written as ``"tiers.gold"`` etc. in the parameters, as the primary keys they name."""
    resolved = {}
    for key, value in params.items():
        if isinstance(value, str) and "." in value and value.split(".")[0] in learning:
            group, name = value.split(".")
            value = learning[group][name].pk
        resolved[key] = value
    return resolved


# --- enrolments and completion -------------------------------------------------------------------

NUMBERS = ("enrolled", "completed", "overdue")


def numbers(row) -> tuple:
    """A row's counts, then its completion rate and average progress, rounded."""
    return (*(row[key] for key in NUMBERS), round(row["completion_rate"], 3), round(row["average_progress"], 3))


def column_labels(response) -> list[str]:
    return [str(column.label) for column in response.context["table"].columns.values()]


def enrolment_table(response) -> list[tuple]:
    """Each row's labels (course, partner, tier, as its grouping has them) and numbers."""
    table = []
    for row in rows(response):
        labels = tuple(row[key] for key in ("course_title", "partner_label", "tier_label") if key in row)
        table.append((*labels, *numbers(row)))
    return table


def test_enrolments_by_course_and_partner_count_enrolled_completed_overdue_and_progress(admin_client, learning):
    response = admin_client.get(report_url("enrolments"))

    assert enrolment_table(response) == [
        ("Onboarding", "Acme Networks", "Gold", 2, 1, 0, 0.5, 0.5),
        ("Onboarding", "Globex", "Silver", 1, 0, 1, 0.0, 0.333),
        ("Onboarding", "Initech", "Gold", 1, 0, 0, 0.0, 0.667),
        ("Security", "Acme Networks", "Gold", 1, 0, 1, 0.0, 0.333),
        ("Security", "Globex", "Silver", 1, 1, 0, 1.0, 1.0),
        ("Security", "No partner", "", 1, 0, 0, 0.0, 0.0),
    ]
    html = response.content.decode()
    for text in [
        "Courses: enrolments and completion",
        "Course",
        "Partner",
        "Partner type",
        "Tier",
        "Enrolled",
        "Completed",
        "Completion rate",
        "Overdue",
        "Average progress",
        "Distributor",
    ]:
        assert text in html
    assert "50%" in html and "33%" in html and "67%" in html and "100%" in html
    assert "Enrolments made at any time, by course and partner." in html
    edit_url = reverse("wagtailsnippets_courses_course:edit", args=[learning["courses"]["onboarding"].pk])
    assert f'href="{edit_url}"' in html
    assert "Download CSV" in html and "Download XLSX" in html


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        (
            "course",
            [
                ("Onboarding", 4, 1, 1, 0.25, 0.5),
                ("Security", 3, 1, 1, 0.333, 0.444),
            ],
        ),
        (
            "partner",
            [
                ("Acme Networks", "Gold", 3, 1, 1, 0.333, 0.444),
                ("Globex", "Silver", 2, 1, 1, 0.5, 0.667),
                ("Initech", "Gold", 1, 0, 0, 0.0, 0.667),
                ("No partner", "", 1, 0, 0, 0.0, 0.0),
            ],
        ),
        (
            "tier",
            [
                ("Silver", 2, 1, 1, 0.5, 0.667),
                ("Gold", 4, 1, 1, 0.25, 0.5),
                ("No tier", 1, 0, 0, 0.0, 0.0),
            ],
        ),
    ],
)
def test_enrolments_group_by_course_partner_or_tier(admin_client, learning, group_by, expected):
    response = admin_client.get(report_url("enrolments", group_by=group_by))

    assert enrolment_table(response) == expected
    grouping = {"course": "by course.", "partner": "by partner.", "tier": "by partner tier."}[group_by]
    assert grouping in response.content.decode()
    assert column_labels(response) == [
        *{"course": ["Course"], "partner": ["Partner", "Partner type", "Tier"], "tier": ["Tier"]}[group_by],
        "Enrolled",
        "Completed",
        "Completion rate",
        "Retakes",
        "Overdue",
        "Average progress",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"course": "courses.security"},
            [
                ("Security", "Acme Networks", "Gold", 1, 0, 1, 0.0, 0.333),
                ("Security", "Globex", "Silver", 1, 1, 0, 1.0, 1.0),
                ("Security", "No partner", "", 1, 0, 0, 0.0, 0.0),
            ],
        ),
        (
            {"tier": "tiers.gold", "group_by": "partner"},
            [
                ("Acme Networks", "Gold", 3, 1, 1, 0.333, 0.444),
                ("Initech", "Gold", 1, 0, 0, 0.0, 0.667),
            ],
        ),
        (
            {"partner_type": "types.distributor", "group_by": "course"},
            [
                ("Onboarding", 2, 0, 1, 0.0, 0.5),
                ("Security", 1, 1, 0, 1.0, 1.0),
            ],
        ),
        (
            {"tier": "tiers.gold", "partner_type": "types.distributor"},
            [("Onboarding", "Initech", "Gold", 1, 0, 0, 0.0, 0.667)],
        ),
        # Enrolled since April 10 (30 days ago): not Dan (40 days ago).
        (
            {"enrolled_at_from": "2027-04-10", "group_by": "course"},
            [
                ("Onboarding", 3, 1, 1, 0.333, 0.444),
                ("Security", 3, 1, 1, 0.333, 0.444),
            ],
        ),
        # Enrolled until April 25 (15 days ago, that day included): Ann, Cat and Dan in Onboarding, Cat in Security.
        (
            {"enrolled_at_to": "2027-04-25", "group_by": "course"},
            [
                ("Onboarding", 3, 1, 1, 0.333, 0.667),
                ("Security", 1, 1, 0, 1.0, 1.0),
            ],
        ),
        ({"enrolled_at_from": "2027-05-10", "group_by": "tier"}, []),
        # Sorted by a column, ties in the grouping's order.
        (
            {"group_by": "course", "ordering": "-completion_rate"},
            [
                ("Security", 3, 1, 1, 0.333, 0.444),
                ("Onboarding", 4, 1, 1, 0.25, 0.5),
            ],
        ),
        (
            {"group_by": "partner", "ordering": "-completion_rate"},
            [
                ("Globex", "Silver", 2, 1, 1, 0.5, 0.667),
                ("Acme Networks", "Gold", 3, 1, 1, 0.333, 0.444),
                ("Initech", "Gold", 1, 0, 0, 0.0, 0.667),
                ("No partner", "", 1, 0, 0, 0.0, 0.0),
            ],
        ),
        (
            {"ordering": "-tier", "course": "courses.onboarding"},
            [
                ("Onboarding", "Acme Networks", "Gold", 2, 1, 0, 0.5, 0.5),
                ("Onboarding", "Initech", "Gold", 1, 0, 0, 0.0, 0.667),
                ("Onboarding", "Globex", "Silver", 1, 0, 1, 0.0, 0.333),
            ],
        ),
        # A column the grouping does not show: the grouping's own order.
        (
            {"group_by": "tier", "ordering": "course"},
            [
                ("Silver", 2, 1, 1, 0.5, 0.667),
                ("Gold", 4, 1, 1, 0.25, 0.5),
                ("No tier", 1, 0, 0, 0.0, 0.0),
            ],
        ),
    ],
)
def test_enrolment_filters_and_sorting(admin_client, learning, params, expected):
    assert enrolment_table(admin_client.get(report_url("enrolments", **resolve(learning, params)))) == expected


def test_the_enrolment_description_says_what_is_counted(admin_client, learning):
    params = resolve(
        learning,
        {
            "course": "courses.onboarding",
            "tier": "tiers.gold",
            "partner_type": "types.distributor",
            "enrolled_at_from": "2027-04-01",
            "enrolled_at_to": "2027-04-30",
        },
    )

    html = admin_client.get(report_url("enrolments", **params)).content.decode()

    assert (
        "Enrolments of Distributor partners of the Gold tier in “Onboarding” made from April 1, 2027 to April 30, 2027"
        in html
    )


def test_the_enrolment_progress_is_the_learners_progress(learning):
    """The average progress of the report is the mean of each learner's ``Progress`` (completed: 100%)."""
    # A course whose final quiz is also its module quiz: required once.
    ann = learning["users"]["ann"]
    check = learning["quizzes"]["check"]
    doubled = course_with(title="Doubled", lessons_per_module=(1,), module_quizzes=(check,), final_quiz=check)
    enrol(ann, doubled, at=ago(2))
    complete_lessons(ann, doubled, at=ago(1))

    for enrollment in Enrollment.objects.annotate(progress=enrollment_progress()).select_related("user", "course"):
        progress = course_progress(user=enrollment.user, course=enrollment.course)
        expected = 1.0 if enrollment.completed_at else progress.percent / 100
        assert round(enrollment.progress, 2) == expected, (enrollment, progress)
    # Its lesson done, and the quiz Ann passed in Onboarding counts here too (passed once): 1 of 1 quiz, not 1 of 2.
    assert Enrollment.objects.annotate(progress=enrollment_progress()).get(course=doubled).progress == 1.0


def test_the_results_view_answers_the_filter_refresh(admin_client, learning):
    response = admin_client.get(reverse("courses_reports:enrolments_results"), {"group_by": "tier"})

    assert [row["tier_label"] for row in rows(response)] == ["Silver", "Gold", "No tier"]
    html = response.content.decode()
    assert "<html" not in html
    assert "by partner tier." in html


def test_enrolments_export_csv_with_headings_numbers_and_rates(admin_client, learning):
    assert csv_rows(admin_client.get(report_url("enrolments", export="csv"))) == [
        [
            "Course",
            "Partner",
            "Partner type",
            "Tier",
            "Enrolled",
            "Completed",
            "Completion rate (%)",
            "Retakes",
            "Overdue",
            "Average progress (%)",
        ],
        ["Onboarding", "Acme Networks", "Reseller", "Gold", "2", "1", "50.0", "0", "0", "50.0"],
        ["Onboarding", "Globex", "Distributor", "Silver", "1", "0", "0.0", "0", "1", "33.3"],
        ["Onboarding", "Initech", "Distributor", "Gold", "1", "0", "0.0", "0", "0", "66.7"],
        ["Security", "Acme Networks", "Reseller", "Gold", "1", "0", "0.0", "0", "1", "33.3"],
        ["Security", "Globex", "Distributor", "Silver", "1", "1", "100.0", "0", "0", "100.0"],
        ["Security", "No partner", "", "", "1", "0", "0.0", "0", "0", "0.0"],
    ]


def test_the_enrolment_export_follows_the_grouping_and_filters(admin_client, learning):
    params = resolve(learning, {"export": "csv", "group_by": "tier", "partner_type": "types.distributor"})

    assert csv_rows(admin_client.get(report_url("enrolments", **params))) == [
        ["Tier", "Enrolled", "Completed", "Completion rate (%)", "Retakes", "Overdue", "Average progress (%)"],
        ["Silver", "2", "1", "50.0", "0", "1", "66.7"],
        ["Gold", "1", "0", "0.0", "0", "0", "66.7"],
    ]


def test_no_enrolments_says_so(admin_client):
    response = admin_client.get(report_url("enrolments"))

    assert rows(response) == []
    assert "No enrolments yet." in response.content.decode()


# --- question statistics -------------------------------------------------------------------------


def question_table(response) -> list[tuple]:
    return [
        (
            row["question_label"],
            row["quiz_titles"],
            row["bank_name"],
            row["answered"],
            row["failed"],
            round(row["failed_rate"], 3),
            round(row["average_credit"], 3),
        )
        for row in rows(response)
    ]


def test_question_statistics_list_questions_most_failed_first(admin_client, learning):
    response = admin_client.get(report_url("question_stats"))

    assert question_table(response) == [
        (MDF, "Basics refresher, Onboarding check", "Basics", 4, 2, 0.5, 0.5),
        (MFA, "Security final", "Security", 2, 1, 0.5, 0.5),
        (DEAL, "Basics refresher, Onboarding check", "Basics", 4, 1, 0.25, 0.75),
        (PROTOCOLS, "Basics refresher, Onboarding check", "Basics", 4, 0, 0.0, 0.875),
    ]
    html = response.content.decode()
    for text in [
        "Quizzes: question statistics",
        "Question",
        "Quizzes",
        "Question bank",
        "Answered",
        "Fully failed",
        "Fully-failed rate",
        "Average credit",
        "88%",
    ]:
        assert text in html
    assert "Graded quiz answers given at any time, by question" in html
    bank_url = reverse("wagtailsnippets_courses_questionbank:edit", args=[learning["banks"]["basics"].pk])
    assert f'href="{bank_url}"' in html
    assert "Download CSV" in html and "Download XLSX" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"quiz": "quizzes.check"}, [(MDF, 3, 2), (DEAL, 3, 1), (PROTOCOLS, 3, 0)]),
        ({"quiz": "quizzes.refresher"}, [(DEAL, 1, 0), (MDF, 1, 0), (PROTOCOLS, 1, 0)]),  # ties by text
        ({"bank": "banks.security"}, [(MFA, 2, 1)]),
        ({"bank": "banks.basics", "quiz": "quizzes.final"}, []),
        # Answered since April 10 (30 days ago): not Dan's attempt (39 days ago).
        ({"answered_at_from": "2027-04-10"}, [(MFA, 2, 1), (MDF, 3, 1), (DEAL, 3, 0), (PROTOCOLS, 3, 0)]),
        # Until April 25: Ann's and Dan's attempts at "Onboarding check" only.
        ({"answered_at_to": "2027-04-25"}, [(MDF, 3, 2), (DEAL, 3, 1), (PROTOCOLS, 3, 0)]),
        ({"q": "protocol"}, [(PROTOCOLS, 4, 0)]),
        ({"ordering": "text"}, [(DEAL, 4, 1), (MFA, 2, 1), (MDF, 4, 2), (PROTOCOLS, 4, 0)]),
        ({"ordering": "-average_credit"}, [(PROTOCOLS, 4, 0), (DEAL, 4, 1), (MDF, 4, 2), (MFA, 2, 1)]),
        ({"ordering": "answered"}, [(MFA, 2, 1), (MDF, 4, 2), (DEAL, 4, 1), (PROTOCOLS, 4, 0)]),
    ],
)
def test_question_statistics_filters_and_sorting(admin_client, learning, params, expected):
    response = admin_client.get(report_url("question_stats", **resolve(learning, params)))

    assert [(row["text"], row["answered"], row["failed"]) for row in rows(response)] == expected


def test_the_quizzes_of_a_question_follow_the_quiz_filter(admin_client, learning):
    response = admin_client.get(report_url("question_stats", quiz=learning["quizzes"]["refresher"].pk))

    assert {row["quiz_titles"] for row in rows(response)} == {"Basics refresher"}
    assert "Graded quiz answers in “Basics refresher” given at any time" in response.content.decode()


def test_a_deleted_question_keeps_its_answers_under_the_text_answered(admin_client, learning):
    Question.objects.get(text=PROTOCOLS).delete()
    Question.objects.filter(text=DEAL).update(text="Deal registration: who files it?")

    table = question_table(admin_client.get(report_url("question_stats")))

    assert (f"{PROTOCOLS} (deleted)", "Basics refresher, Onboarding check", "", 4, 0, 0.0, 0.875) in table
    # An edited question stays one row, under its current text.
    assert ("Deal registration: who files it?", "Basics refresher, Onboarding check", "Basics", 4, 1, 0.25, 0.75) in (
        table
    )
    assert len(table) == 4
    bank_only = admin_client.get(report_url("question_stats", bank=learning["banks"]["basics"].pk))
    assert [row["question_id"] is not None for row in rows(bank_only)] == [True, True]


def test_question_statistics_export_csv(admin_client, learning):
    assert csv_rows(admin_client.get(report_url("question_stats", export="csv"))) == [
        [
            "Question",
            "Quizzes",
            "Question bank",
            "Answered",
            "Fully failed",
            "Fully-failed rate (%)",
            "Average credit (%)",
        ],
        [MDF, "Basics refresher, Onboarding check", "Basics", "4", "2", "50.0", "50.0"],
        [MFA, "Security final", "Security", "2", "1", "50.0", "50.0"],
        [DEAL, "Basics refresher, Onboarding check", "Basics", "4", "1", "25.0", "75.0"],
        [PROTOCOLS, "Basics refresher, Onboarding check", "Basics", "4", "0", "0.0", "87.5"],
    ]


def test_the_question_export_follows_the_filters(admin_client, learning):
    params = {"export": "csv", "quiz": learning["quizzes"]["check"].pk, "answered_at_to": "2027-04-25"}

    assert [row[:5] for row in csv_rows(admin_client.get(report_url("question_stats", **params)))[1:]] == [
        [MDF, "Onboarding check", "Basics", "3", "2"],
        [DEAL, "Onboarding check", "Basics", "3", "1"],
        [PROTOCOLS, "Onboarding check", "Basics", "3", "0"],
    ]


def test_no_answers_says_so(admin_client):
    response = admin_client.get(report_url("question_stats"))

    assert rows(response) == []
    assert "No graded answers yet." in response.content.decode()


# --- both reports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_row"),
    [("enrolments", ("Onboarding", "Acme Networks")), ("question_stats", (MDF, "Basics refresher, Onboarding check"))],
)
def test_every_report_downloads_xlsx(admin_client, learning, name, first_row):
    response = admin_client.get(report_url(name, export="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = list(sheet.values)
    assert table[0][0] == ("Course" if name == "enrolments" else "Question")
    assert table[1][:2] == first_row
    assert table[1][-1] == 50.0  # average progress, average credit: percents as numbers


def make_rows(n, learning):
    """``n`` more partners, each with a learner enrolled in both courses, and ``n`` more questions answered."""
    onboarding, security = learning["courses"]["onboarding"], learning["courses"]["security"]
    lesson = Lesson.objects.filter(module__course=onboarding).first()
    quiz = learning["quizzes"]["final"]
    bank = QuestionBankFactory()
    for i in range(n):
        user = partner_user(partner=PartnerFactory(tier=learning["tiers"]["gold"]))
        for course in (onboarding, security):
            enrollment = Enrollment.objects.create(user=user, course=course, enrolled_at=ago(5), due_date=TODAY)
            if course == onboarding:
                LessonCompletion.objects.create(user=user, enrollment=enrollment, lesson=lesson)
        attempt = QuizAttempt.objects.create(
            quiz=quiz, course=security, user=user, number=1, status="graded", questions=[], submitted_at=ago(1)
        )
        question = QuestionFactory(bank=bank)
        QuestionResult.objects.create(
            attempt=attempt, question=question, question_text=question.text, credit=Decimal(i % 2)
        )


@pytest.mark.parametrize("name", REPORT_NAMES)
@pytest.mark.parametrize("export", [None, "csv"])
def test_report_query_count_does_not_grow_with_rows(
    admin_client, learning, django_assert_max_num_queries, name, export
):
    params = {"export": export} if export else {}

    def get():
        response = admin_client.get(report_url(name, **params))
        return csv_rows(response)[1:] if export else rows(response)

    get()  # warm up caches (content types, site) the first admin request fills
    with CaptureQueriesContext(connection) as small:
        few = get()

    make_rows(60, learning)  # more than a page of 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        many = get()
    assert len(many) > len(few)


# --- who sees the reports ------------------------------------------------------------------------


def test_the_reports_are_in_the_reports_menu_for_a_superuser(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    items = {item.name: item for item in reports_menu.menu_items_for_request(request)}

    assert items["courses-enrolments"].label == "Courses: enrolments and completion"
    assert str(items["courses-enrolments"].url) == reverse("courses_reports:enrolments")
    assert items["courses-question-stats"].label == "Quizzes: question statistics"
    assert str(items["courses-question-stats"].url) == reverse("courses_reports:question_stats")


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_staff_see_the_report_their_view_permission_opens_and_not_the_other(client, learning, name):
    other = next(report for report in REPORT_NAMES if report != name)
    user = staff_user_with_permissions(PERMISSION_OF[name])
    client.force_login(user)

    assert rows(client.get(report_url(name)))
    assert csv_rows(client.get(report_url(name, export="csv")))[1][0]
    refused = client.get(report_url(other))
    # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in message_texts(refused)
    assert client.get(report_url(other, export="csv")).status_code == 302
    assert MENU_NAMES[name] in menu_names(user)
    assert MENU_NAMES[other] not in menu_names(user)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_staff_without_the_view_permissions_are_refused_and_see_no_menu_items(client, learning, name):
    user = staff_user_with_permissions(
        "courses.change_course", "courses.view_course", "courses.add_quiz", "courses.change_quiz"
    )
    client.force_login(user)

    response = client.get(report_url(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse(f"courses_reports:{name}_results")).status_code == 302
    assert client.get(report_url(name, export="xlsx")).status_code == 302
    assert set(MENU_NAMES.values()).isdisjoint(menu_names(user))


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_partner_users_and_visitors_are_sent_to_the_login(client, name):
    anonymous = client.get(report_url(name))
    client.force_login(partner_user())
    partner = client.get(report_url(name))

    for response in (anonymous, partner):
        assert response.status_code == 302
        assert response["Location"].startswith(STAFF_LOGIN)


def test_the_view_permissions_are_offered_in_the_group_editor(admin_client):
    registered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for hook in hooks.get_hooks("register_permissions")
        for permission in hook()
    }
    assert {"courses.view_enrollment", "courses.view_quizattempt"} <= registered

    response = admin_client.get(reverse("wagtailusers_groups:add"))
    assert response.status_code == 200
    html = response.content.decode()
    for codename in ("view_enrollment", "view_quizattempt"):
        permission = Permission.objects.get(content_type__app_label="courses", codename=codename)
        assert f'value="{permission.pk}"' in html
