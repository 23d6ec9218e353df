"""A learner's transcript: everything they did in the hub's learning, all rounds and all kinds, as rows and as CSV.

``transcript_of(user=..., request=...)`` reads, in a fixed number of queries whatever the history:

* every round of every course (``courses.Enrollment``): enrolled, completed, lessons done of the course's
  lessons, and the results of the round's learning packages (``courses.PackageResult``);
* every quiz attempt: where it was taken (a course and the round it fell in, or a certification's exam
  taken on its own), its number, score, pass or fail and dates;
* every attempt at a learning package (``elearning.PackageAttempt``): version, status, success, score,
  time spent, where it was launched (a course's round) and dates;
* every certificate, renewals and revoked ones included: issued, expires, status, what earned it, and its
  public verification URL (``core.links``: the portal's page, else the API's).

``transcript_csv`` writes it as one CSV table (a ``Kind`` column tells the rows apart), every text cell
safe from spreadsheet formulas (``cms.spreadsheets.neutralise_formula``); ``certifications.transcript_pdf``
prints it. Who may read whose is the callers' rule (the learner their own, a partner admin their staff's).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.spreadsheets import neutralise_formula
from courses.models import Course, Enrollment, Lesson, PackageResult, QuizAttempt
from courses.package_lessons import context_course_and_round
from elearning.models import PackageAttempt
from partners.models import PartnerMembership

from .models import Certificate, Certification
from .selectors import holder_name, verification_url


@dataclass
class PackageResultLine:
    package: str
    lesson: str
    unit: str
    completed: bool
    passed: bool | None
    score: Decimal | None
    best_score: Decimal | None


@dataclass
class CourseRound:
    course: str
    course_id: int
    round: int
    is_current: bool
    enrolled_at: datetime
    completed_at: datetime | None
    lessons_done: int
    lessons_total: int
    packages: list[PackageResultLine] = field(default_factory=list)


@dataclass
class QuizLine:
    quiz: str
    course: str | None  # None: a certification's exam taken on its own
    round: int | None
    certifications: list[str]  # the certifications whose exam it is (a stand-alone exam names them)
    number: int
    status: str
    score: Decimal | None
    passed: bool | None
    started_at: datetime
    submitted_at: datetime | None

    @property
    def where(self) -> str:
        if self.course is not None:
            return _("%(course)s, round %(round)s") % {"course": self.course, "round": self.round}
        titles = ", ".join(self.certifications) or "?"
        return _("Exam of certification %(certification)s (on its own)") % {"certification": titles}


@dataclass
class PackageAttemptLine:
    package: str
    version: int
    number: int
    status: str
    completion: str
    success: str
    passed: bool | None
    score: Decimal | None
    seconds: Decimal
    started_at: datetime
    completed_at: datetime | None
    course: str | None
    round: int | None

    @property
    def where(self) -> str:
        if self.course is None:
            return ""
        return _("%(course)s, round %(round)s") % {"course": self.course, "round": self.round}


@dataclass
class CertificateLine:
    certification: str
    partner: str | None
    issued_at: datetime
    expires_at: datetime
    status: str
    earned_by: str
    verification_code: str
    verification_url: str


@dataclass
class Transcript:
    name: str
    email: str
    partner: str | None
    generated_at: datetime
    courses: list[CourseRound]
    quizzes: list[QuizLine]
    packages: list[PackageAttemptLine]
    certificates: list[CertificateLine]


# --- reads ----------------------------------------------------------------------------------------------


def _rounds(user, visible) -> list[Enrollment]:
    """Every round of ``user``, oldest first, with lessons done and the course's lessons (one query), and the
    round's package results (one more)."""
    lessons_total = (
        Lesson.objects.filter(module__course=OuterRef("course"))
        .order_by()
        .values("module__course")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rounds = Enrollment.objects.filter(user=user)
    rounds = rounds if visible is None else rounds.filter(course__in=visible.courses)
    return list(
        rounds.select_related("course")
        .annotate(
            lessons_done=Count("lesson_completions", distinct=True),
            lessons_total=Coalesce(Subquery(lessons_total, output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch(
                "package_results",
                queryset=PackageResult.objects.select_related("package", "lesson").order_by("lesson__pk", "pk"),
            )
        )
        .order_by("enrolled_at", "course__title", "round", "pk")
    )


def _round_at(rounds_of_course: list[Enrollment], moment: datetime) -> int:
    """The round of a course running at ``moment``: the latest one enrolled by then (round 1 before any)."""
    current = 1
    for enrollment in rounds_of_course:  # oldest first
        if enrollment.enrolled_at <= moment:
            current = enrollment.round
    return current


def _course_round(enrollment: Enrollment) -> CourseRound:
    return CourseRound(
        course=enrollment.course.title,
        course_id=enrollment.course_id,
        round=enrollment.round,
        is_current=enrollment.is_current,
        enrolled_at=enrollment.enrolled_at,
        completed_at=enrollment.completed_at,
        lessons_done=enrollment.lessons_done,
        lessons_total=enrollment.lessons_total,
        packages=[
            PackageResultLine(
                package=result.package.title,
                lesson=result.lesson.title,
                unit=result.unit,
                completed=result.completed,
                passed=result.passed,
                score=result.score,
                best_score=result.best_score,
            )
            for result in enrollment.package_results.all()
        ],
    )


def _quizzes(user, by_course: dict[int, list[Enrollment]], visible) -> list[QuizLine]:
    attempts = QuizAttempt.objects.filter(user=user)
    if visible is not None:  # in a course the viewer sees, or the exam of a certification they see
        exams_seen = visible.certifications.filter(exam__isnull=False).values("exam_id")
        attempts = attempts.filter(Q(course__in=visible.courses) | Q(course__isnull=True, quiz__in=exams_seen))
    attempts = list(attempts.select_related("quiz", "course").order_by("started_at", "pk"))
    standalone_quizzes = {attempt.quiz_id for attempt in attempts if attempt.course_id is None}
    exams: dict[int, list[str]] = {}
    certifications = Certification.objects.all() if visible is None else visible.certifications
    for quiz_id, title in (
        certifications.filter(exam_id__in=standalone_quizzes).order_by("title").values_list("exam_id", "title")
    ):
        exams.setdefault(quiz_id, []).append(title)
    return [
        QuizLine(
            quiz=attempt.quiz.title,
            course=attempt.course.title if attempt.course_id else None,
            round=_round_at(by_course.get(attempt.course_id, []), attempt.started_at) if attempt.course_id else None,
            certifications=exams.get(attempt.quiz_id, []) if attempt.course_id is None else [],
            number=attempt.number,
            status=attempt.get_status_display(),
            score=attempt.score,
            passed=attempt.passed,
            started_at=attempt.started_at,
            submitted_at=attempt.submitted_at,
        )
        for attempt in attempts
    ]


def _package_attempts(user, course_titles: dict[int, str], visible) -> list[PackageAttemptLine]:
    lines = []
    attempts = PackageAttempt.objects.filter(user=user).select_related("package", "version")
    for attempt in attempts.order_by("started_at", "pk"):
        launched_in = context_course_and_round(attempt.context)
        course_id, round_ = launched_in if launched_in else (None, None)
        if visible is not None and course_id not in course_titles:
            continue  # launched outside a course the viewer sees
        lines.append(
            PackageAttemptLine(
                package=attempt.package.title,
                version=attempt.version.number,
                number=attempt.number,
                status=attempt.get_status_display(),
                completion=attempt.get_completion_status_display(),
                success=attempt.get_success_status_display(),
                passed=attempt.is_passed,
                score=attempt.score_percent,
                seconds=attempt.total_seconds,
                started_at=attempt.started_at,
                completed_at=attempt.completed_at,
                course=course_titles.get(course_id) if course_id else None,
                round=round_ if course_id in course_titles else None,
            )
        )
    return lines


def _certificates(user, request, now, visible) -> list[CertificateLine]:
    certificates = Certificate.objects.filter(user=user).select_related("certification", "partner")
    if visible is not None:
        certificates = certificates.filter(certification__in=visible.certifications)
    return [
        CertificateLine(
            certification=certificate.certification.title,
            partner=certificate.partner.name if certificate.partner else None,
            issued_at=certificate.issued_at,
            expires_at=certificate.expires_at,
            status=Certificate.Status(certificate.status_at(now)).label,
            earned_by=certificate.get_earned_by_display(),
            verification_code=certificate.verification_code,
            verification_url=verification_url(request, certificate),
        )
        for certificate in certificates.order_by("issued_at", "pk")
    ]


@dataclass
class Visible:
    """What a viewer other than the learner may see: courses and certifications (querysets, used as subqueries)."""

    courses: QuerySet
    certifications: QuerySet


def transcript_of(*, user, request, viewer=None) -> Transcript:
    """``user``'s whole learning history (eight queries, whatever its size); ``request`` builds absolute URLs.

    With ``viewer`` (a partner admin reading their staff's), only what lies in courses and certifications the
    viewer may see: the rest is left out, never named.
    """
    now = timezone.now()
    visible = None
    if viewer is not None:
        visible = Visible(Course.objects.visible_to(viewer), Certification.objects.visible_to(viewer))
    rounds = _rounds(user, visible)
    by_course: dict[int, list[Enrollment]] = {}
    for enrollment in sorted(rounds, key=lambda e: (e.course_id, e.round)):
        by_course.setdefault(enrollment.course_id, []).append(enrollment)
    course_titles = {enrollment.course_id: enrollment.course.title for enrollment in rounds}
    membership = PartnerMembership.objects.filter(user=user).select_related("partner").first()
    return Transcript(
        name=holder_name(user),
        email=user.email,
        partner=membership.partner.name if membership else None,
        generated_at=now,
        courses=[_course_round(enrollment) for enrollment in rounds],
        quizzes=_quizzes(user, by_course, visible),
        packages=_package_attempts(user, course_titles, visible),
        certificates=_certificates(user, request, now, visible),
    )


# --- words and CSV --------------------------------------------------------------------------------------


def when(moment: datetime | None) -> str:
    """A date and time as the transcript shows it, in the current time zone (blank for none)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def duration(seconds) -> str:
    """Seconds as ``h:mm:ss``."""
    total = int(seconds or 0)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def score_text(value) -> str:
    return "" if value is None else f"{Decimal(value):.1f}"


def package_results_text(course_round: CourseRound) -> str:
    """The round's package results in one line: "Package (unit): completed, passed, 80.0%"."""
    parts = []
    for line in course_round.packages:
        words = [_("completed") if line.completed else _("not completed")]
        if line.passed is not None:
            words.append(_("passed") if line.passed else _("failed"))
        if line.score is not None:
            words.append(f"{score_text(line.score)}%")
        name = f"{line.package} ({line.unit})" if line.unit else line.package
        parts.append(f"{name}: {', '.join(words)}")
    return "; ".join(parts)


def csv_headings() -> list[str]:
    return [
        _("Kind"),
        _("Title"),
        _("Where"),
        _("Round or attempt"),
        _("Started"),
        _("Finished"),
        _("Status"),
        _("Passed"),
        _("Score (%)"),
        _("Details"),
    ]


def csv_rows(transcript: Transcript) -> list[list]:
    """The transcript's rows under ``csv_headings``: courses' rounds, quiz attempts, package attempts, certificates."""
    rows = []
    for course in transcript.courses:
        done = {"done": course.lessons_done, "total": course.lessons_total}
        details = _("Lessons done: %(done)s of %(total)s") % done
        if course.packages:
            details += "; " + package_results_text(course)
        status = _("Completed") if course.completed_at else _("In progress")
        rows.append(
            [
                _("Course"),
                course.course,
                "",
                course.round,
                when(course.enrolled_at),
                when(course.completed_at),
                status,
                "",
                "",
                details,
            ]
        )
    for quiz in transcript.quizzes:
        kind = _("Quiz") if quiz.course is not None else _("Exam")
        rows.append(
            [
                kind,
                quiz.quiz,
                quiz.where,
                quiz.number,
                when(quiz.started_at),
                when(quiz.submitted_at),
                quiz.status,
                yes_no(quiz.passed),
                score_text(quiz.score),
                "",
            ]
        )
    for package in transcript.packages:
        details = _("Version %(version)s; completion: %(completion)s; time spent: %(time)s") % {
            "version": package.version,
            "completion": package.completion,
            "time": duration(package.seconds),
        }
        rows.append(
            [
                _("Learning package"),
                package.package,
                package.where,
                package.number,
                when(package.started_at),
                when(package.completed_at),
                package.status,
                yes_no(package.passed),
                score_text(package.score),
                details,
            ]
        )
    for certificate in transcript.certificates:
        details = _("Expires %(date)s; earned by: %(earned_by)s; verify: %(url)s") % {
            "date": when(certificate.expires_at),
            "earned_by": certificate.earned_by or "",
            "url": certificate.verification_url,
        }
        rows.append(
            [
                _("Certificate"),
                certificate.certification,
                certificate.partner or "",
                "",
                when(certificate.issued_at),
                when(certificate.expires_at),
                certificate.status,
                "",
                "",
                details,
            ]
        )
    return rows


def transcript_csv(transcript: Transcript) -> str:
    """The transcript as CSV text: a heading row, then ``csv_rows``; no cell starts a spreadsheet formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_headings())
    for row in csv_rows(transcript):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()
