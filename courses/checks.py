"""System checks of courses, for operators: ``manage.py check --database default`` and ``migrate`` run them."""

from django.core import checks
from django.db import DatabaseError, transaction

from .selectors import banks_with_answer_policy_conflicts


@checks.register(checks.Tags.database)
def answer_policy_conflicts_check(app_configs=None, databases=None, **kwargs):
    """Banks that feed quizzes showing answers and quizzes never showing them, as an upgrade may have left them."""
    if app_configs is not None and not any(config.name == "courses" for config in app_configs):
        return []
    warnings = []
    # Like Django's own database checks, only the databases asked for (plain `check` asks for none).
    for alias in databases or ():
        try:
            with transaction.atomic(using=alias):
                names = banks_with_answer_policy_conflicts(using=alias)
        except DatabaseError:
            continue  # not migrated yet (`migrate` checks before it creates the tables): no quizzes to check
        if names:
            warnings.append(
                checks.Warning(
                    f"Question banks feeding quizzes that show answers and quizzes that never do: {', '.join(names)}.",
                    hint="None of their quizzes shows answers until each bank feeds one kind only: give the "
                    "quizzes that never show answers a bank of their own, or change their answers policy.",
                    obj=alias,
                    id="courses.W001",
                )
            )
    return warnings
