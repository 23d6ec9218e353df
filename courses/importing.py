"""Import-manifest sections of courses: question banks, quizzes and courses (DESIGN §6).

``question_banks`` hold questions with their choices; ``quizzes`` draw from a bank;
``courses`` are gated content like programs (audience, schedule, owner, review date,
``state``) with modules of lessons in order, module quizzes, a final quiz and
prerequisite courses. Lesson bodies are blocks (``text``, ``callout``, ``asset``,
``video``); their HTML is cleaned like every imported rich text.

Re-importing an unchanged entry changes nothing (no revision). A changed entry is
updated in place: questions are matched to the stored ones by their text, modules by
their title and lessons by their title within their module, so ids — and the learners'
completions and question statistics hanging off them — survive a re-import that only
edits, reorders or adds. A module, lesson or question the manifest no longer has is
deleted, with its completions; a renamed one is a new row (a new id).
"""

import uuid
from collections import defaultdict
from typing import Annotated, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

import pydantic

from cms.gating.lifecycle import content_bring_to_state
from cms.importer.base import Entry, ImportContext, Problem, Section, entry_problem
from cms.importing import ContentEntry, ContentSection
from cms.models import Asset
from cms.rich_text import clean_rich_text

from .models import Choice, Course, CourseModule, Lesson, Question, QuestionBank, Quiz

SLUG_KEY = {"min_length": 1, "max_length": 100, "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$"}


class _Part(pydantic.BaseModel):
    """A nested part of an entry: unknown fields are errors here too."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- schemas -------------------------------------------------------------------------------------------


class ChoiceEntry(_Part):
    text: str = pydantic.Field(min_length=1, max_length=500)
    correct: bool = False


class QuestionEntry(_Part):
    kind: Question.Kind = Question.Kind.SINGLE
    text: str = pydantic.Field(min_length=1, max_length=2000)
    explanation: str = pydantic.Field(default="", max_length=2000)
    choices: list[ChoiceEntry]


class QuestionBankEntry(Entry):
    key: str = pydantic.Field(**SLUG_KEY)
    name: str = pydantic.Field(min_length=1, max_length=200)
    description: str = ""
    questions: list[QuestionEntry] = pydantic.Field(min_length=1)


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


class TextBlockEntry(_Part):
    type: Literal["text"]
    html: str = pydantic.Field(min_length=1)


class CalloutBlockEntry(_Part):
    type: Literal["callout"]
    kind: Literal["tip", "note", "warning"] = "tip"
    html: str = pydantic.Field(min_length=1)


class AssetBlockEntry(_Part):
    type: Literal["asset"]
    asset: str = pydantic.Field(min_length=1)
    note: str = pydantic.Field(default="", max_length=300)


class VideoBlockEntry(_Part):
    type: Literal["video"]
    url: pydantic.HttpUrl


LessonBlock = Annotated[
    TextBlockEntry | CalloutBlockEntry | AssetBlockEntry | VideoBlockEntry, pydantic.Field(discriminator="type")
]


class LessonEntry(_Part):
    title: str = pydantic.Field(min_length=1, max_length=200)
    estimated_minutes: int = pydantic.Field(default=5, ge=0, le=600)
    body: list[LessonBlock] = pydantic.Field(default_factory=list)


class ModuleEntry(_Part):
    title: str = pydantic.Field(min_length=1, max_length=200)
    summary: str = pydantic.Field(default="", max_length=1000)
    quiz: str | None = None
    lessons: list[LessonEntry] = pydantic.Field(min_length=1)


class CourseEntry(ContentEntry):
    level: Course.Level = Course.Level.BEGINNER
    estimated_minutes: int = pydantic.Field(default=30, ge=1, le=10_000)
    prerequisites: list[str] = pydantic.Field(default_factory=list)
    final_quiz: str | None = None
    modules: list[ModuleEntry] = pydantic.Field(min_length=1)


# --- helpers -----------------------------------------------------------------------------------------


def _unknown(section, index, entry, field, kind, value, known) -> Problem:
    hint = f"; known: {', '.join(sorted(known)[:20])}" if known else f"; there are no {kind}s yet"
    return entry_problem(section, index, entry, field, f"unknown {kind} {value!r}{hint}")


def _stored_keys(model) -> set[str]:
    return set(model.objects.exclude(key=None).values_list("key", flat=True))


def _lookup(model, section: str, key: str, context: ImportContext):
    return context.get(section, key) or model.objects.get(key=key)


def _set_changed(obj, values: dict) -> bool:
    """Set the fields of ``values`` that differ (relations compared by id); whether any did."""
    changed = False
    for name, value in values.items():
        field = obj._meta.get_field(name)
        wanted = value.pk if field.is_relation and value is not None else value
        if getattr(obj, field.attname) != wanted:
            setattr(obj, name, value)
            changed = True
    return changed


def _clean_child(obj, prefix: str, parent_field: str, errors: dict) -> None:
    """``full_clean`` a child row not saved yet; its errors are filed under ``prefix.field``."""
    try:
        obj.full_clean(exclude=[parent_field], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}", []).extend(messages)


def _pool(rows, attribute: str) -> dict[str, list]:
    """Stored rows by a matching attribute, in order: ``pop(0)`` reuses the first unused one."""
    pool = defaultdict(list)
    for row in rows:
        pool[getattr(row, attribute)].append(row)
    return pool


# --- question banks ------------------------------------------------------------------------------------


class QuestionBanksSection(Section):
    name = "question_banks"
    schema = QuestionBankEntry
    model = QuestionBank

    def stored_keys(self):
        return _stored_keys(QuestionBank)

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
        changed = _set_changed(bank, {"name": entry.name, "description": entry.description}) or created

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
            questions_by_text = _pool(stored, "text")
            questions = []
            for n, spec in enumerate(entry.questions):
                question = (questions_by_text.get(spec.text) or [Question()]).pop(0)
                choices_by_text = _pool(stored_choices.get(question.pk, []), "text")
                question.kind, question.text, question.explanation = spec.kind, spec.text, spec.explanation
                question.sort_order = n
                _clean_child(question, f"questions.{n}", "bank", errors)
                choices = []
                for m, choice_spec in enumerate(spec.choices):
                    choice = (choices_by_text.get(choice_spec.text) or [Choice()]).pop(0)
                    choice.text, choice.is_correct, choice.sort_order = choice_spec.text, choice_spec.correct, m
                    _clean_child(choice, f"questions.{n}.choices.{m}", "question", errors)
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


# --- quizzes -----------------------------------------------------------------------------------------------


class QuizzesSection(Section):
    name = "quizzes"
    schema = QuizEntry
    model = Quiz

    def stored_keys(self):
        return _stored_keys(Quiz)

    def check_references(self, entries, context):
        banks = context.known("question_banks", lambda: _stored_keys(QuestionBank))
        in_manifest = {e.key: len(e.questions) for e in context.entries.get("question_banks", [])}
        problems = []
        for index, entry in enumerate(entries):
            if entry.bank not in banks:
                problems.append(_unknown(self.name, index, entry, "bank", "question bank", entry.bank, banks))
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
        quiz = Quiz.objects.filter(key=entry.key).first()
        created = quiz is None
        if created:
            quiz = Quiz(key=entry.key)
        values = {
            "title": entry.title,
            "bank": _lookup(QuestionBank, "question_banks", entry.bank, context),
            "pass_mark": entry.pass_mark,
            "attempt_limit": entry.attempt_limit,
            "time_limit_minutes": entry.time_limit_minutes,
            "questions_per_attempt": entry.questions_per_attempt,
            "shuffle_questions": entry.shuffle_questions,
            "shuffle_choices": entry.shuffle_choices,
            "late_submission": entry.late_submission,
            "answers_shown": entry.answers_shown,
        }
        changed = _set_changed(quiz, values) or created
        if changed:
            quiz.full_clean()
            quiz.save()
        return quiz, created, changed


# --- courses -----------------------------------------------------------------------------------------------


def _block_raw(block, asset_ids: dict[str, int]) -> dict:
    """A lesson block as Lesson.body stores it (without its id)."""
    if block.type == "text":
        value = clean_rich_text(block.html)
    elif block.type == "callout":
        value = {"kind": block.kind, "text": clean_rich_text(block.html)}
    elif block.type == "asset":
        value = {"asset": asset_ids[block.asset], "note": block.note}
    else:
        value = str(block.url)
    return {"type": block.type, "value": value}


def _body_without_ids(body) -> list[dict]:
    return [{"type": block["type"], "value": block["value"]} for block in body.raw_data]


class CoursesSection(ContentSection):
    name = "courses"
    schema = CourseEntry
    model = Course

    def check_references(self, entries, context):
        problems = super().check_references(entries, context)  # audience and owner, then check_entry
        problems += self._prerequisite_cycles(entries)
        return problems

    def check_entry(self, index, entry, context):
        problems = []
        quizzes = context.known("quizzes", lambda: _stored_keys(Quiz))
        for field, key in self._quiz_references(entry):
            if key not in quizzes:
                problems.append(_unknown(self.name, index, entry, field, "quiz", key, quizzes))
        earlier = {e.key for e in context.entries[self.name][:index]}
        later = {e.key for e in context.entries[self.name][index + 1 :]}
        stored = self.stored_keys()
        for key in entry.prerequisites:
            if key == entry.key:
                problems.append(
                    entry_problem(self.name, index, entry, "prerequisites", "a course cannot require itself")
                )
            elif key in later:
                problems.append(
                    entry_problem(
                        self.name,
                        index,
                        entry,
                        "prerequisites",
                        f"course {key!r} must come before the courses that require it",
                    )
                )
            elif key not in earlier | stored:
                problems.append(_unknown(self.name, index, entry, "prerequisites", "course", key, earlier | stored))
        assets = context.known("assets", lambda: _stored_keys(Asset))
        for m, module in enumerate(entry.modules):
            for n, lesson in enumerate(module.lessons):
                for b, block in enumerate(lesson.body):
                    if block.type == "asset" and block.asset not in assets:
                        problems.append(
                            entry_problem(
                                self.name,
                                index,
                                entry,
                                f"modules.{m}.lessons.{n}.body.{b}.asset",
                                f"unknown asset {block.asset!r}",
                            )
                        )
        return problems

    @staticmethod
    def _quiz_references(entry) -> list[tuple[str, str]]:
        references = [(f"modules.{m}.quiz", module.quiz) for m, module in enumerate(entry.modules) if module.quiz]
        if entry.final_quiz:
            references.append(("final_quiz", entry.final_quiz))
        return references

    def _prerequisite_cycles(self, entries) -> list[Problem]:
        """Prerequisites through stored courses (imported or made in the admin) must not lead back to the course."""

        def node(key, pk, title):
            return key or f"“{title}” (id {pk})"

        graph: dict[str, list[str]] = defaultdict(list)
        for row in Course.prerequisites.through.objects.values_list(
            "from_course__key",
            "from_course_id",
            "from_course__title",
            "to_course__key",
            "to_course_id",
            "to_course__title",
        ):
            graph[node(*row[:3])].append(node(*row[3:]))
        for entry in entries:
            graph[entry.key] = list(entry.prerequisites)
        problems = []
        for index, entry in enumerate(entries):
            path = self._path_back(entry.key, graph)
            if path:
                loop = " → ".join([entry.key, *path])
                problems.append(entry_problem(self.name, index, entry, "prerequisites", f"would make a cycle: {loop}"))
        return problems

    @staticmethod
    def _path_back(start: str, graph) -> list[str] | None:
        seen = set()
        stack = [(key, [key]) for key in graph.get(start, []) if key != start]
        while stack:
            key, path = stack.pop()
            if key == start:
                return path
            if key in seen:
                continue
            seen.add(key)
            stack += [(nxt, [*path, nxt]) for nxt in graph.get(key, [])]
        return None

    def write(self, entry, context):
        # Saving a course saves each of its modules and lessons, and each of those saves would index the
        # references of the whole course again (most of an import's time): index the course once instead.
        with disable_reference_index_auto_update():
            course, created, changed = self._write_course(entry, context)
        if changed:
            ReferenceIndex.create_or_update_for_object(Course.objects.get(pk=course.pk))
        return course, created, changed

    def _write_course(self, entry, context):
        course = Course.objects.filter(key=entry.key).first()
        created = course is None
        if created:
            course = Course(key=entry.key, live=False)
        final_quiz = _lookup(Quiz, "quizzes", entry.final_quiz, context) if entry.final_quiz else None
        changed = _set_changed(
            course,
            {
                **self.common_values(entry),
                "level": entry.level,
                "estimated_minutes": entry.estimated_minutes,
                "final_quiz": final_quiz,
            },
        )
        changed = changed or created
        relations = {
            **self.audience(entry),
            "prerequisites": [_lookup(Course, self.name, key, context) for key in entry.prerequisites],
        }
        for name, objects in relations.items():
            current = set() if created else {obj.pk for obj in getattr(course, name).all()}
            if {obj.pk for obj in objects} != current:
                getattr(course, name).set(objects)
                changed = True
        errors: dict[str, list[str]] = {}
        changed = self._write_modules(course, entry, context, created, errors) or changed
        if changed:
            try:
                course.full_clean()
            except ValidationError as exc:
                errors = {**exc.message_dict, **errors}
            if errors:
                raise ValidationError(errors)
            course.save()  # commits modules and their lessons too
        state_changed = content_bring_to_state(item=course, state=entry.state, content_changed=changed, user=None)
        return course, created, changed or state_changed

    def _write_modules(self, course, entry, context, created, errors) -> bool:
        """Bring modules and lessons to the manifest's, in order; whether anything differed."""
        asset_keys = {
            block.asset
            for m in entry.modules
            for lesson in m.lessons
            for block in lesson.body
            if block.type == "asset"
        }
        asset_ids = dict(Asset.objects.filter(key__in=asset_keys).values_list("key", "pk"))
        quiz_ids = {
            key: _lookup(Quiz, "quizzes", key, context).pk for key in {m.quiz for m in entry.modules if m.quiz}
        }
        stored_modules = [] if created else list(course.modules.all())
        stored_lessons = {module.pk: list(module.lessons.all()) for module in stored_modules}
        current = [
            (
                module.title,
                module.summary,
                module.quiz_id,
                [
                    (lesson.title, lesson.estimated_minutes, _body_without_ids(lesson.body))
                    for lesson in stored_lessons[module.pk]
                ],
            )
            for module in stored_modules
        ]
        wanted = [
            (
                module.title,
                module.summary,
                quiz_ids.get(module.quiz),
                [
                    (lesson.title, lesson.estimated_minutes, [_block_raw(block, asset_ids) for block in lesson.body])
                    for lesson in module.lessons
                ],
            )
            for module in entry.modules
        ]
        if current == wanted:
            return False
        # Rows are reused by title (modules in the course, lessons in their module), so learners keep their
        # completions; a lesson that is renamed or moved to another module gets a new id, and one the
        # manifest dropped is deleted with its completions.
        modules_by_title = _pool(stored_modules, "title")
        modules = []
        for m, (title, summary, quiz_id, lessons_wanted) in enumerate(wanted):
            module = (modules_by_title.get(title) or [CourseModule()]).pop(0)
            module.title, module.summary, module.quiz_id, module.sort_order = title, summary, quiz_id, m
            _clean_child(module, f"modules.{m}", "course", errors)
            lessons_by_title = _pool(stored_lessons.get(module.pk, []), "title")
            lessons = []
            for n, (lesson_title, minutes, body) in enumerate(lessons_wanted):
                lesson = (lessons_by_title.get(lesson_title) or [Lesson()]).pop(0)
                lesson.title, lesson.estimated_minutes, lesson.sort_order = lesson_title, minutes, n
                if lesson.pk is None or _body_without_ids(lesson.body) != body:
                    lesson.body = [{**block, "id": str(uuid.uuid4())} for block in body]
                _clean_child(lesson, f"modules.{m}.lessons.{n}", "module", errors)
                lessons.append(lesson)
            module.lessons = lessons
            modules.append(module)
        course.modules = modules
        return True
