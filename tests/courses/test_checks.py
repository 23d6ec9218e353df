"""Operators see in ``manage.py check --database default`` the banks that would leak answers (and see nothing else)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

from courses.factories import QuizFactory
from courses.models import Quiz

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_check_names_the_banks_feeding_quizzes_that_show_answers_and_quizzes_that_never_do():
    shared = QuizFactory()
    QuizFactory(bank=shared.bank, answers_shown=Quiz.AnswersShown.NEVER)
    showing = QuizFactory()
    QuizFactory(bank=showing.bank)
    never = QuizFactory(answers_shown=Quiz.AnswersShown.NEVER)
    out = StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=out)
    report = out.getvalue()
    assert "courses.W001" in report
    assert shared.bank.name in report
    assert showing.bank.name not in report
    assert never.bank.name not in report


def test_check_of_a_database_not_migrated_yet_passes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
