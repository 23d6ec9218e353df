"""What belongs to learners: assignments of courses, enrolments, lessons done, quiz attempts and their results."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from partners.models import Partner, PartnerType, Tier

from .courses import Course, Lesson
from .quizzes import Question, Quiz


class CourseAssignment(models.Model):
    """An editor's assignment of a course to one partner, every partner of a type, or of a tier."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    partner_type = models.ForeignKey(PartnerType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("course"),
        MultiFieldPanel(
            [FieldPanel("partner"), FieldPanel("partner_type"), FieldPanel("tier")],
            heading="Assigned to (exactly one)",
        ),
        FieldPanel("due_date"),
    ]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="course_assignment_one_target",
                condition=(
                    Q(partner__isnull=False, partner_type__isnull=True, tier__isnull=True)
                    | Q(partner__isnull=True, partner_type__isnull=False, tier__isnull=True)
                    | Q(partner__isnull=True, partner_type__isnull=True, tier__isnull=False)
                ),
                violation_error_message="Assign to exactly one of: a partner, a partner type, a tier.",
            )
        ]

    def __str__(self):
        return f"{self.course} → {self.target}"

    @property
    def target(self):
        return self.partner or self.partner_type or self.tier


class EnrollmentQuerySet(models.QuerySet):
    def current(self):
        """Each learner's current round of each course: the latest (earlier rounds are kept as history)."""
        return self.filter(is_current=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)


class Enrollment(models.Model):
    """One round of a learner in a course: the first enrolment is round 1, each retake a new round.

    A learner's current round of a course is the latest (``is_current``); a retake starts only once
    it is completed, so at most one round is open. Earlier rounds keep their dates and lessons done.
    """

    class Source(models.TextChoices):
        SELF = "self", "Self-enrolled"
        ASSIGNED = "assigned", "Assigned"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    round = models.PositiveIntegerField(default=1, editable=False, help_text="1 for the first time, 2 for a retake…")
    is_current = models.BooleanField(default=True, editable=False, help_text="The learner's latest round.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    assignment = models.ForeignKey(
        CourseAssignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    due_date = models.DateField(null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Where to resume."
    )
    last_activity_at = models.DateTimeField(default=timezone.now)
    reminded_days = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="The smallest lead time (days before due) reminded already."
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course", "round"], name="enrollment_once_per_round"),
            # One current round, and at most one open: two retakes at once cannot both start.
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(is_current=True), name="enrollment_one_current_round"
            ),
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(completed_at__isnull=True), name="enrollment_one_open_round"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="enrollment_round_from_one"),
        ]

    def __str__(self):
        return f"{self.user} in {self.course}" + (f" (round {self.round})" if self.round > 1 else "")

    @property
    def attempts_since(self):
        """Quiz attempts count for this round from here: round 1 counts every attempt (a quiz passed in another
        course counts), a retake only those started during it."""
        return self.enrolled_at if self.round > 1 else None


class LessonCompletion(models.Model):
    """A lesson done in one round of a course (a retake starts with none)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_completed_once_per_round")
        ]

    def __str__(self):
        return f"{self.user} completed {self.lesson}"


class QuizAttemptQuerySet(models.QuerySet):
    def passes_within_limit(self):
        """Passes made within the quiz's attempt limit, counted over the learner's attempts in every course.

        What a certification's exam accepts: a pass that came after the limit was used up (in
        another course, when attempts were still counted per course) was not taken under its rules.
        """
        return self.filter(passed=True).filter(
            Q(quiz__attempt_limit__isnull=True) | Q(number__lte=models.F("quiz__attempt_limit"))
        )


class QuizAttempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        GRADED = "graded", "Graded"
        TIMED_OUT = "timed_out", "Timed out"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        help_text="The course it was taken in; blank for a certification's exam taken on its own (stand-alone).",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveIntegerField(
        help_text="1 for the first attempt of this user at this quiz, in whichever course it was taken."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The drawn questions as shown, with their correct choices: grading never depends on later edits.
    # Choice ids here are the attempt's own (random), never the bank's: an id is meaningless elsewhere.
    questions = models.JSONField()
    answers = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent.")
    passed = models.BooleanField(null=True, blank=True)
    late = models.BooleanField(default=False)

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        constraints = [
            # Two starts at once (in one course or in two that use the quiz) cannot both become attempt N:
            # the limit check plus this cannot be raced.
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quiz_attempt_number_unique"),
        ]
        indexes = [models.Index(fields=["user", "quiz", "status"], name="quizattempt_user_quiz_idx")]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"


class QuestionResult(models.Model):
    """One graded answer, for the question statistics report (which questions most fail)."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="results")
    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="results")
    question_text = models.TextField()
    credit = models.DecimalField(max_digits=4, decimal_places=3, help_text="0 to 1; partial for multiple choice.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="question_result_once")]

    def __str__(self):
        return f"{self.question_text[:40]}: {self.credit}"
