"""Rounds of enrolment (continued): every lesson completion belongs to a round; one round per number, one current
and at most one open round per learner and course; a lesson is done once per round."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_enrollment_rounds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lessoncompletion",
            name="enrollment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lesson_completions",
                to="courses.enrollment",
            ),
        ),
        migrations.RemoveConstraint(model_name="enrollment", name="enrollment_once_per_course"),
        migrations.RemoveConstraint(model_name="lessoncompletion", name="lesson_completed_once"),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.UniqueConstraint(fields=("user", "course", "round"), name="enrollment_once_per_round"),
        ),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)), fields=("user", "course"), name="enrollment_one_current_round"
            ),
        ),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("completed_at__isnull", True)),
                fields=("user", "course"),
                name="enrollment_one_open_round",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.CheckConstraint(condition=models.Q(("round__gte", 1)), name="enrollment_round_from_one"),
        ),
        migrations.AddConstraint(
            model_name="lessoncompletion",
            constraint=models.UniqueConstraint(fields=("enrollment", "lesson"), name="lesson_completed_once_per_round"),
        ),
    ]
