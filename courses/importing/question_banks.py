"""Import-manifest section ``question_banks``: banks of questions with their choices.

Questions are matched to the stored ones by their text, so attempts' statistics survive a re-import.
"""

from django.core.exceptions import ValidationError

import pydantic

from core.importer.engine import Entry, Section, entry_problem
from core.importer.helpers import stored_keys
from core.models import set_changed_fields

from ..models import Choice, Question, QuestionBank, Quiz
from .parts import SLUG_KEY, Part, clean_child, pool


class ChoiceEntry(Part):
    text: str = pydantic.Field(min_length=1, max_length=500)
    correct: bool = False


class QuestionEntry(Part):
    kind: Question.Kind = Question.Kind.SINGLE
    text: str = pydantic.Field(min_length=1, max_length=2000)
    explanation: str = pydantic.Field(default="", max_length=2000)
    choices: list[ChoiceEntry]


class QuestionBankEntry(Entry):
    key: str = pydantic.Field(**SLUG_KEY)
    name: str = pydantic.Field(min_length=1, max_length=200)
    description: str = ""
    questions: list[QuestionEntry] = pydantic.Field(min_length=1)


class QuestionBanksSection(Section):
    name = "question_banks"
    schema = QuestionBankEntry
    model = QuestionBank

    def stored_keys(self):
        return stored_keys(QuestionBank)

    def check_references(self, entries, context):
        problems = []
        names: dict[str, str] = {}
        manifest_keys = {e.key for e in entries}
        taken = {
            name: key
            for name, key in QuestionBank.objects.filter(name__in=[e.name for e in entries]).values_list("name", "key")
            if key not in manifest_keys
        }
        for index, entry in enumerate(entries):
            if entry.name in names:
                problems.append(
                    entry_problem(
                        self.name, index, entry, "name", f"is the name of question bank {names[entry.name]!r} too"
                    )
                )
            elif entry.name in taken:
                other = (
                    f"question bank {taken[entry.name]!r}"
                    if taken[entry.name]
                    else "a question bank made in the admin"
                )
                problems.append(entry_problem(self.name, index, entry, "name", f"is the name of {other} already"))
            names.setdefault(entry.name, entry.key)
            texts = set()
            for n, question in enumerate(entry.questions):
                if question.text in texts:
                    problems.append(
                        entry_problem(
                            self.name, index, entry, f"questions.{n}.text", "the same question appears twice"
                        )
                    )
                texts.add(question.text)
                choices = [(choice.text, choice.correct) for choice in question.choices]
                try:
                    Question(kind=question.kind, text=question.text).check_choices(choices)
                except ValidationError as exc:
                    problems.append(
                        entry_problem(self.name, index, entry, f"questions.{n}.choices", " ".join(exc.messages))
                    )
                if len({text for text, _correct in choices}) != len(choices):
                    problems.append(
                        entry_problem(self.name, index, entry, f"questions.{n}.choices", "a choice appears twice")
                    )
        # Stored quizzes the manifest leaves alone must still find enough questions in a shrunk bank.
        manifest_quizzes = {e.key for e in context.entries.get("quizzes", [])}
        sizes = {e.key: (index, e, len(e.questions)) for index, e in enumerate(entries)}
        for key, title, bank_key, wanted in (
            Quiz.objects.filter(bank__key__in=sizes)
            .exclude(key__in=manifest_quizzes)
            .values_list("key", "title", "bank__key", "questions_per_attempt")
        ):
            index, entry, size = sizes[bank_key]
            if wanted and wanted > size:
                quiz = f"quiz {key!r}" if key else f"quiz “{title}”"
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "questions",
                        f"{quiz} draws {wanted} questions per attempt; the bank would have only {size}",
                    )
                )
        return problems

    def write(self, entry, context):
        bank = QuestionBank.objects.filter(key=entry.key).first()
        created = bank is None
        if created:
            bank = QuestionBank(key=entry.key)
        changed = bool(set_changed_fields(bank, {"name": entry.name, "description": entry.description})) or created

        stored = [] if created else list(bank.questions.all())
        stored_choices = {question.pk: list(question.choices.all()) for question in stored}
        current = [
            (q.kind, q.text, q.explanation, [(c.text, c.is_correct) for c in stored_choices[q.pk]]) for q in stored
        ]
        wanted = [(q.kind, q.text, q.explanation, [(c.text, c.correct) for c in q.choices]) for q in entry.questions]
        errors: dict[str, list[str]] = {}
        if current != wanted:
            changed = True
            # Matched by text, so attempts' statistics (QuestionResult) keep pointing at the same question.
            questions_by_text = pool(stored, "text")
            questions = []
            for n, spec in enumerate(entry.questions):
                question = (questions_by_text.get(spec.text) or [Question()]).pop(0)
                choices_by_text = pool(stored_choices.get(question.pk, []), "text")
                question.kind, question.text, question.explanation = spec.kind, spec.text, spec.explanation
                question.sort_order = n
                clean_child(question, f"questions.{n}", "bank", errors)
                choices = []
                for m, choice_spec in enumerate(spec.choices):
                    choice = (choices_by_text.get(choice_spec.text) or [Choice()]).pop(0)
                    choice.text, choice.is_correct, choice.sort_order = choice_spec.text, choice_spec.correct, m
                    clean_child(choice, f"questions.{n}.choices.{m}", "question", errors)
                    choices.append(choice)
                question.choices = choices
                questions.append(question)
            bank.questions = questions
        if changed:
            try:
                bank.full_clean()
            except ValidationError as exc:
                errors = {**exc.message_dict, **errors}
            if errors:
                raise ValidationError(errors)
            bank.save()
        return bank, created, changed
