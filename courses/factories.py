"""factory_boy factories of courses, quizzes and question banks, for tests and demo data."""

import factory

from cms.factories import GatedContentFactory

from .models import (
    Choice,
    Course,
    CourseModule,
    Enrollment,
    Lesson,
    LessonCompletion,
    Question,
    QuestionBank,
    Quiz,
    QuizAttempt,
)


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionBank

    name = factory.Sequence(lambda n: f"Question bank {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with its choices: ``choices=[("Right", True), ("Wrong", False)]`` (the default)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    bank = factory.SubFactory(QuestionBankFactory)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because."
    sort_order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = (
                [("True", True), ("False", False)]
                if self.kind == Question.Kind.TRUE_FALSE
                else [
                    ("Right", True),
                    ("Wrong", False),
                ]
            )
        for order, (text, correct) in enumerate(extracted):
            Choice.objects.create(question=self, text=text, is_correct=correct, sort_order=order)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"Quiz {n}")
    bank = factory.SubFactory(QuestionBankFactory)
    pass_mark = 70
    shuffle_questions = False
    shuffle_choices = False


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    """A graded attempt as stored (no questions drawn): for attempt histories the services no longer make."""

    class Meta:
        model = QuizAttempt

    status = QuizAttempt.Status.GRADED
    questions = factory.LazyFunction(list)
    score = factory.LazyAttribute(lambda attempt: 100 if attempt.passed else 0)
    passed = False


class CourseFactory(GatedContentFactory):
    """A live course; give it structure with ``CourseModuleFactory`` / ``LessonFactory`` or ``course_with``."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}")
    estimated_minutes = 45


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """A learner's current round of a course, self-enrolled now unless told otherwise (``source``, ``due_date``,
    ``completed_at``): for histories the services would take weeks to make."""

    class Meta:
        model = Enrollment

    user = factory.SubFactory("partners.factories.UserFactory")
    course = factory.SubFactory(CourseFactory)


class CourseModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseModule

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    sort_order = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(CourseModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    sort_order = factory.Sequence(lambda n: n)
    body = factory.LazyFunction(lambda: [("text", "<p>Read this.</p>")])


def course_with(lessons_per_module=(2,), module_quizzes=(), final_quiz=None, **course_fields) -> Course:
    """A course with ``len(lessons_per_module)`` modules of that many lessons; ``module_quizzes[i]`` ends module i."""
    course = CourseFactory(final_quiz=final_quiz, **course_fields)
    for index, count in enumerate(lessons_per_module):
        quiz = module_quizzes[index] if index < len(module_quizzes) else None
        module = CourseModuleFactory(course=course, title=f"Module {index + 1}", sort_order=index, quiz=quiz)
        for position in range(count):
            LessonFactory(module=module, title=f"Lesson {index + 1}.{position + 1}", sort_order=position)
    return course


def lesson_done(user, lesson, **fields):
    """``lesson`` done by ``user`` in their current round of its course (they must be enrolled)."""
    enrollment = Enrollment.objects.current().get(user=user, course=lesson.module.course_id)
    return LessonCompletion.objects.create(user=user, enrollment=enrollment, lesson=lesson, **fields)


def package_block(package, *, unit: str = "", completion_rule: str = "package", counts_score=False, pass_mark=None):
    """A lesson body (raw) of one ``package`` block naming ``package`` (an ``elearning.Package``)."""
    value = {
        "package": package.pk,
        "unit": unit,
        "completion_rule": completion_rule,
        "counts_score": counts_score,
        "pass_mark": pass_mark,
    }
    return [{"type": "package", "value": value, "id": f"package-{package.pk}-{unit or 'all'}"}]


def course_with_package(package, *, lessons_before: int = 0, course=None, **block_options) -> Course:
    """A live course (or ``course``) of one module: ``lessons_before`` text lessons, then a lesson of ``package``."""
    course = course or CourseFactory()
    module = CourseModuleFactory(course=course, title="Module 1", sort_order=0)
    for position in range(lessons_before):
        LessonFactory(module=module, title=f"Lesson {position + 1}", sort_order=position)
    LessonFactory(
        module=module, title="The package", sort_order=lessons_before, body=package_block(package, **block_options)
    )
    return course
