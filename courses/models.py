"""Courses: their structure (modules, lessons, quizzes from question banks) and each learner's progress.

A ``Course`` is gated content like an asset (audience, drafts, review workflow,
scheduling, expiry, archive): editors build it in one editor, modules and their
lessons inline and in order, and publish it as a whole. Lesson bodies are StreamFields
(rich text, video, image, a library asset, callouts). Quizzes draw their questions
from a ``QuestionBank`` and sit at a module's end or the course's end.

Progress belongs to the learner: an ``Enrollment`` per user and course (self-enrolled
or assigned), a ``LessonCompletion`` per lesson done, and a ``QuizAttempt`` per try,
which keeps a snapshot of the questions it drew so later edits never change a grade.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.gating.models import GatedContent, GatedContentQuerySet, gated_content_tabs, snippet_generic_relation
from partners.models import Partner, PartnerType, Tier

from .forms import CourseForm, QuestionBankForm, QuizForm

# --- question banks and quizzes ------------------------------------------------------------------


class QuestionBank(index.Indexed, ClusterableModel):
    """A pool of questions on one topic; quizzes draw from it."""

    key = models.SlugField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier of imported banks (the import manifest's key). Leave blank otherwise.",
    )
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    base_form_class = QuestionBankForm
    # Searchable in the admin's chooser and listing (there are many banks once a catalogue grows).
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("description")]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel("questions", heading="Questions", label="Question", min_num=1),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(Orderable, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice (one right answer)"
        MULTIPLE = "multiple", "Multiple choice (one or more right answers, partial credit)"
        TRUE_FALSE = "true_false", "True or false"

    bank = ParentalKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(max_length=2000)
    explanation = models.TextField(
        blank=True, max_length=2000, help_text="Shown with the correct answer, when the quiz shows answers."
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("explanation"),
        InlinePanel("choices", heading="Choices", label="Choice", min_num=2),
    ]

    def __str__(self):
        return self.text[:80]

    def check_choices(self, choices) -> None:
        """The rules of the kind, over the choices as edited (``text``, ``is_correct`` pairs)."""
        right = sum(1 for _text, correct in choices if correct)
        if len(choices) < 2:
            raise ValidationError("A question needs at least two choices.")
        if self.kind == self.Kind.TRUE_FALSE and len(choices) != 2:
            raise ValidationError("A true-or-false question has exactly two choices (True and False).")
        if self.kind in (self.Kind.SINGLE, self.Kind.TRUE_FALSE) and right != 1:
            raise ValidationError(f"“{self}”: mark exactly one choice as correct.")
        if self.kind == self.Kind.MULTIPLE and right < 1:
            raise ValidationError(f"“{self}”: mark at least one choice as correct.")


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")])]

    def __str__(self):
        return self.text


class Quiz(index.Indexed, models.Model):
    """A test at a module's or the course's end: questions drawn from a bank, graded on the server."""

    class AnswersShown(models.TextChoices):
        AFTER_PASS_OR_LAST = "after_pass_or_last", "After a pass or the last allowed attempt"
        NEVER = "never", "Never"

    class LateSubmission(models.TextChoices):
        REFUSE = "refuse", "Refuse it (the attempt fails with no score)"
        GRADE = "grade", "Grade it anyway, marked late"

    key = models.SlugField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier of imported quizzes (the import manifest's key). Leave blank otherwise.",
    )
    title = models.CharField(max_length=200)
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="quizzes")
    questions_per_attempt = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Draw this many questions at random per attempt. Blank: every question of the bank.",
    )
    pass_mark = models.PositiveIntegerField(
        default=70, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Percent needed to pass."
    )
    attempt_limit = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Blank: unlimited attempts."
    )
    time_limit_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)], help_text="Blank: none."
    )
    late_submission = models.CharField(
        max_length=10,
        choices=LateSubmission.choices,
        default=LateSubmission.REFUSE,
        help_text="What happens to answers sent after the time limit.",
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    answers_shown = models.CharField(
        max_length=20,
        choices=AnswersShown.choices,
        default=AnswersShown.AFTER_PASS_OR_LAST,
        help_text="A bank feeds either quizzes that never show answers or quizzes that do, never both: answers "
        "shown by one quiz would be those of every quiz drawing from the same bank.",
    )

    base_form_class = QuizForm
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("bank"), FieldRowPanel([FieldPanel("questions_per_attempt"), FieldPanel("pass_mark")])],
            heading="Questions",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("attempt_limit"), FieldPanel("time_limit_minutes")]),
                FieldPanel("late_submission"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("answers_shown"),
            ],
            heading="Attempts",
        ),
    ]

    class Meta:
        verbose_name_plural = "quizzes"
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def reveals_answers(self) -> bool:
        return self.answers_shown != self.AnswersShown.NEVER

    def clean(self):
        if self.questions_per_attempt and self.bank_id:
            available = self.bank.questions.count()
            if self.questions_per_attempt > available:
                raise ValidationError({"questions_per_attempt": f"The bank has only {available} question(s)."})


# --- courses ---------------------------------------------------------------------------------------


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("tip", "Tip"), ("note", "Note"), ("warning", "Warning")], default="tip")
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "help"


class LibraryAssetBlock(blocks.StructBlock):
    asset = SnippetChooserBlock("cms.Asset", help_text="Partners get its current live version.")
    note = blocks.CharBlock(required=False, max_length=300, help_text="Why this asset matters here.")

    class Meta:
        icon = "doc-full"


LESSON_BLOCKS = [
    ("text", blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"])),
    ("video", EmbedBlock(help_text="A YouTube, Vimeo… link.")),
    ("image", ImageChooserBlock()),
    ("asset", LibraryAssetBlock()),
    ("callout", CalloutBlock()),
]


class CourseQuerySet(GatedContentQuerySet):
    pass


class Course(GatedContent):
    """Training partners take through the API: modules of lessons, quizzes, a completion."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.BEGINNER)
    estimated_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(10_000)], help_text="About how long it takes."
    )
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text="Courses a learner must complete before enrolling in this one.",
    )
    final_quiz = models.ForeignKey(
        Quiz,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A quiz at the end of the course; passing it is required to complete the course.",
    )
    library_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a library asset one of its lessons uses expired, was archived or got a new version.",
    )
    library_change_note = models.CharField(max_length=500, blank=True, editable=False)

    objects = CourseQuerySet.as_manager()

    base_form_class = CourseForm
    workflow_states = snippet_generic_relation("wagtailcore.WorkflowState", "course")
    revisions = snippet_generic_relation("wagtailcore.Revision", "course")

    edit_handler = gated_content_tabs(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("cover_image"),
            FieldRowPanel([FieldPanel("level"), FieldPanel("estimated_minutes")]),
            FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            InlinePanel("modules", heading="Modules", label="Module", min_num=1),
            FieldPanel("final_quiz"),
        ]
    )

    def get_preview_template(self, request, mode_name):
        return "courses/previews/course.html"

    def preview_payload(self, request) -> dict:
        """What ``GET /api/v1/courses/{id}`` answers, as the editor has it: its whole structure, nobody's progress."""
        # The API builds the payload and imports these models: reached at call time.
        from .api import course_preview

        return course_preview(request, self)

    def clean(self):
        super().clean()
        if self.pk and self.pk in {course.pk for course in self.prerequisites.all()}:
            raise ValidationError({"prerequisites": "A course cannot require itself."})


class CourseModule(Orderable, ClusterableModel):
    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=1000)
    quiz = models.ForeignKey(
        Quiz,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A quiz at the end of this module; passing it is required to complete the module.",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        InlinePanel("lessons", heading="Lessons", label="Lesson", min_num=1),
        FieldPanel("quiz"),
    ]

    def __str__(self):
        return self.title


class Lesson(Orderable):
    module = ParentalKey(CourseModule, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    estimated_minutes = models.PositiveIntegerField(default=5, validators=[MaxValueValidator(600)])
    body = StreamField(LESSON_BLOCKS, blank=True)

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("estimated_minutes")]), FieldPanel("body")]

    def __str__(self):
        return self.title


# --- learners ----------------------------------------------------------------------------------------


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


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", "Self-enrolled"
        ASSIGNED = "assigned", "Assigned"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_once_per_course")]

    def __str__(self):
        return f"{self.user} in {self.course}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once")]

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
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quiz_attempts")
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
