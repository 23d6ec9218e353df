"""Question banks, their questions and choices, and the quizzes that draw from them (graded on the server)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from ..forms import QuestionBankForm, QuizForm


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
        "time limit (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text="Blank: none.",
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
