"""Courses as gated content: modules of lessons (StreamField bodies) in order, module and final quizzes."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.gating.models import GatedContent, GatedContentQuerySet, gated_content_tabs, snippet_generic_relation

from ..blocks import PackageBlock
from ..forms import CourseForm
from .quizzes import Quiz


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
    ("package", PackageBlock()),
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
        from courses.api.catalogue import course_preview

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

    @property
    def completed_by_package(self) -> bool:
        """A lesson with a learning package block completes through the package, never by "Mark as done"."""
        return any(block["type"] == "package" for block in self.body.raw_data)
