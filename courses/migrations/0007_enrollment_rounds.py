"""Rounds of enrolment: a course can be retaken (a new round), and lessons are done per round.

Existing enrolments become round 1 (current); each lesson completion is attached to its learner's
enrolment in the lesson's course. A completion with no such enrolment (a lesson of a course the learner
never enrolled in: it showed nowhere and counted for nothing) cannot belong to a round and is removed.
The field becomes required, and the constraints change, in 0007 (a separate transaction on PostgreSQL).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def attach_completions(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    Enrollment = apps.get_model("courses", "Enrollment")
    LessonCompletion = apps.get_model("courses", "LessonCompletion")
    for course_id in Course.objects.values_list("pk", flat=True).iterator():
        round_one = Enrollment.objects.filter(user_id=OuterRef("user_id"), course_id=course_id).values("pk")[:1]
        LessonCompletion.objects.filter(lesson__module__course_id=course_id, enrollment__isnull=True).update(
            enrollment=Subquery(round_one)
        )
    LessonCompletion.objects.filter(enrollment__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_quiz_attempt_without_course"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="is_current",
            field=models.BooleanField(default=True, editable=False, help_text="The learner's latest round."),
        ),
        migrations.AddField(
            model_name="enrollment",
            name="round",
            field=models.PositiveIntegerField(
                default=1, editable=False, help_text="1 for the first time, 2 for a retake…"
            ),
        ),
        migrations.AddField(
            model_name="lessoncompletion",
            name="enrollment",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lesson_completions",
                to="courses.enrollment",
            ),
        ),
        migrations.RunPython(attach_completions, migrations.RunPython.noop),
    ]
