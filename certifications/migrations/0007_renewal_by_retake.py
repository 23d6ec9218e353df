"""Renewal by retake: a certification's renewal rule (``renewal_requires``), and what earned each certificate."""



import modelcluster.fields
from django.db import migrations, models


def earned_by_of_existing(apps, schema_editor):
    """Before renewal by retake, a certificate was earned by the full path or renewed by a renewal course."""
    Certificate = apps.get_model("certifications", "Certificate")
    Certificate.objects.filter(renewed_from__isnull=True).update(earned_by="path")
    Certificate.objects.filter(renewed_from__isnull=False).update(earned_by="refresher")


class Migration(migrations.Migration):

    dependencies = [
        ('certifications', '0006_standalone_exams'),
        ('courses', '0008_enrollment_rounds_constraints'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='earned_by',
            field=models.CharField(blank=True, choices=[('path', 'The full path'), ('refresher', 'Renewal course'), ('retake_courses', 'Retake of the courses'), ('retake_exam', 'Retake of the exam'), ('retake_all', 'Retake of the courses and the exam')], editable=False, help_text='The full path, or the renewal rule that renewed (or re-earned) it; blank for older ones.', max_length=16),
        ),
        migrations.AddField(
            model_name='certification',
            name='renewal_requires',
            field=models.CharField(choices=[('refresher', 'A renewal course (any one of the renewal courses)'), ('retake_courses', 'Retaking every required course'), ('retake_exam', 'Passing the exam again'), ('retake_all', 'Retaking every required course and passing the exam again')], default='refresher', help_text='What a holder does again to renew (or re-earn a lapsed or revoked certificate). A retake counts when completed, or the exam passed, after the renewal window opened; a renewal course any time after the last issue.', max_length=16, verbose_name='Renewal requires'),
        ),
        migrations.AlterField(
            model_name='certification',
            name='renewal_courses',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='When renewing by a renewal course: completing any one of these after the last issue renews inside the window, or re-earns a lapsed or revoked certificate. Blank: no renewal.', related_name='renewed_certifications', to='courses.course'),
        ),
        migrations.RunPython(earned_by_of_existing, migrations.RunPython.noop),
    ]
