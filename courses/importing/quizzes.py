"""Import-manifest section ``quizzes``: each draws its questions from a question bank."""

from collections import defaultdict

import pydantic

from core.importer.engine import Entry, Problem, Section, entry_problem
from core.importer.helpers import lookup, stored_keys, unknown_reference
from core.models import keyed_upsert

from ..models import Question, QuestionBank, Quiz
from .parts import SLUG_KEY


class QuizEntry(Entry):
    key: str = pydantic.Field(**SLUG_KEY)
    title: str = pydantic.Field(min_length=1, max_length=200)
    bank: str
    pass_mark: int = pydantic.Field(default=70, ge=1, le=100)
    attempt_limit: int | None = pydantic.Field(default=None, ge=1)
    time_limit_minutes: int | None = pydantic.Field(default=None, ge=1, le=24 * 60)
    questions_per_attempt: int | None = pydantic.Field(default=None, ge=1)
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    late_submission: Quiz.LateSubmission = Quiz.LateSubmission.REFUSE
    answers_shown: Quiz.AnswersShown = Quiz.AnswersShown.AFTER_PASS_OR_LAST


class QuizzesSection(Section):
    name = "quizzes"
    depends_on = ("question_banks",)
    schema = QuizEntry
    model = Quiz

    def stored_keys(self):
        return stored_keys(Quiz)

    def check_references(self, entries, context):
        banks = context.known("question_banks", lambda: stored_keys(QuestionBank))
        in_manifest = {e.key: len(e.questions) for e in context.entries.get("question_banks", [])}
        problems = []
        for index, entry in enumerate(entries):
            if entry.bank not in banks:
                problems.append(unknown_reference(self.name, index, entry, "bank", "question bank", entry.bank, banks))
                continue
            if entry.questions_per_attempt:
                available = in_manifest.get(entry.bank)
                if available is None:
                    available = Question.objects.filter(bank__key=entry.bank).count()
                if entry.questions_per_attempt > available:
                    problems.append(
                        entry_problem(
                            self.name,
                            index,
                            entry,
                            "questions_per_attempt",
                            f"question bank {entry.bank!r} has only {available} question(s)",
                        )
                    )
        return problems + self._shared_bank_problems(entries)

    def _shared_bank_problems(self, entries) -> list[Problem]:
        """A bank feeds quizzes that never show answers or quizzes that do, never both, once the import is done."""
        never = Quiz.AnswersShown.NEVER
        feeds = defaultdict(list)  # bank key -> (quiz name, reveals answers) after the import
        manifest_keys = {entry.key for entry in entries}
        for key, title, bank_key, answers_shown in (
            Quiz.objects.filter(bank__key__in={entry.bank for entry in entries})
            .exclude(key__in=manifest_keys)
            .order_by("title", "pk")
            .values_list("key", "title", "bank__key", "answers_shown")
        ):
            feeds[bank_key].append((f"quiz {key!r}" if key else f"quiz “{title}”", answers_shown != never))
        for entry in entries:
            feeds[entry.bank].append((f"quiz {entry.key!r}", entry.answers_shown != never))
        problems = []
        for index, entry in enumerate(entries):
            reveals = entry.answers_shown != never
            others = [name for name, other_reveals in feeds[entry.bank] if other_reveals != reveals]
            if others:
                policy = "never showing answers" if reveals else "showing answers"
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "bank",
                        f"question bank {entry.bank!r} also feeds {', '.join(others)}, {policy}: a bank feeds "
                        "quizzes that never show answers or quizzes that do, never both (answers shown by one "
                        "would be those of the others)",
                    )
                )
        return problems

    def write(self, entry, context):
        return keyed_upsert(
            Quiz,
            key=entry.key,
            title=entry.title,
            bank=lookup(QuestionBank, "question_banks", entry.bank, context),
            pass_mark=entry.pass_mark,
            attempt_limit=entry.attempt_limit,
            time_limit_minutes=entry.time_limit_minutes,
            questions_per_attempt=entry.questions_per_attempt,
            shuffle_questions=entry.shuffle_questions,
            shuffle_choices=entry.shuffle_choices,
            late_submission=entry.late_submission,
            answers_shown=entry.answers_shown,
        )
