"""Import-manifest section ``courses``: gated content with modules of lessons, quizzes and prerequisites.

Modules are matched to the stored ones by their title and lessons by their title within
their module, so learners' completions survive a re-import that only edits, reorders or adds.
"""

import uuid
from collections import defaultdict
from typing import Annotated, Literal

from django.core.exceptions import ValidationError

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

import pydantic

from cms.gating.lifecycle import content_bring_to_state
from cms.importing import AUDIENCE_SECTIONS, ContentEntry, ContentSection
from cms.models import Asset
from cms.rich_text import clean_rich_text
from core.importer.engine import Problem, entry_problem
from core.importer.helpers import lookup, stored_keys, unknown_reference
from core.models import set_changed_fields

from ..models import Course, CourseModule, Lesson, Quiz
from .packages import PackageBlockEntry, course_package_problems, modules_of_package, package_block_value
from .parts import Part, clean_child, pool


class TextBlockEntry(Part):
    type: Literal["text"]
    html: str = pydantic.Field(min_length=1)


class CalloutBlockEntry(Part):
    type: Literal["callout"]
    kind: Literal["tip", "note", "warning"] = "tip"
    html: str = pydantic.Field(min_length=1)


class AssetBlockEntry(Part):
    type: Literal["asset"]
    asset: str = pydantic.Field(min_length=1)
    note: str = pydantic.Field(default="", max_length=300)


class VideoBlockEntry(Part):
    type: Literal["video"]
    url: pydantic.HttpUrl


LessonBlock = Annotated[
    TextBlockEntry | CalloutBlockEntry | AssetBlockEntry | VideoBlockEntry | PackageBlockEntry,
    pydantic.Field(discriminator="type"),
]


class LessonEntry(Part):
    title: str = pydantic.Field(min_length=1, max_length=200)
    estimated_minutes: int = pydantic.Field(default=5, ge=0, le=600)
    body: list[LessonBlock] = pydantic.Field(default_factory=list)


class ModuleEntry(Part):
    title: str = pydantic.Field(min_length=1, max_length=200)
    summary: str = pydantic.Field(default="", max_length=1000)
    quiz: str | None = None
    lessons: list[LessonEntry] = pydantic.Field(min_length=1)


class CourseEntry(ContentEntry):
    level: Course.Level = Course.Level.BEGINNER
    estimated_minutes: int = pydantic.Field(default=30, ge=1, le=10_000)
    prerequisites: list[str] = pydantic.Field(default_factory=list)
    final_quiz: str | None = None
    # A whole course from a learning package (a ZIP beside the manifest), instead of modules.
    package: str | None = pydantic.Field(default=None, min_length=1, max_length=500)
    package_key: str | None = pydantic.Field(
        default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
    )
    modules: list[ModuleEntry] = pydantic.Field(default_factory=list)

    @pydantic.field_validator("modules")
    @classmethod
    def _modules_or_package(cls, modules, info):
        package = info.data.get("package")
        if not modules and not package:
            raise ValueError("List should have at least 1 item (or name a package to make the course of)")
        if modules and package:
            raise ValueError("give the course's modules or a package to make it of, not both")
        return modules


def _block_raw(block, asset_ids: dict[str, int], context) -> dict:
    """A lesson block as Lesson.body stores it (without its id)."""
    if block.type == "package":
        value = package_block_value(block, context)
    elif block.type == "text":
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
    depends_on = (*AUDIENCE_SECTIONS, "assets", "quizzes")
    schema = CourseEntry
    model = Course

    def check_references(self, entries, context):
        problems = super().check_references(entries, context)  # audience and owner, then check_entry
        problems += self._prerequisite_cycles(entries)
        return problems

    def check_entry(self, index, entry, context):
        problems = []
        quizzes = context.known("quizzes", lambda: stored_keys(Quiz))
        for field, key in self._quiz_references(entry):
            if key not in quizzes:
                problems.append(unknown_reference(self.name, index, entry, field, "quiz", key, quizzes))
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
                problems.append(
                    unknown_reference(self.name, index, entry, "prerequisites", "course", key, earlier | stored)
                )
        assets = context.known("assets", lambda: stored_keys(Asset))
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
        problems += course_package_problems(self.name, index, entry, context)
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
        if entry.package:  # made of a package: its modules and lessons, as the manifest would list them
            entry = entry.model_copy(update={"modules": modules_of_package(entry, context)})
        course = Course.objects.filter(key=entry.key).first()
        created = course is None
        if created:
            course = Course(key=entry.key, live=False)
        final_quiz = lookup(Quiz, "quizzes", entry.final_quiz, context) if entry.final_quiz else None
        changed = bool(
            set_changed_fields(
                course,
                {
                    **self.common_values(entry),
                    "level": entry.level,
                    "estimated_minutes": entry.estimated_minutes,
                    "final_quiz": final_quiz,
                },
            )
        )
        changed = changed or created
        relations = {
            **self.audience(entry),
            "prerequisites": [lookup(Course, self.name, key, context) for key in entry.prerequisites],
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
        quiz_ids = {key: lookup(Quiz, "quizzes", key, context).pk for key in {m.quiz for m in entry.modules if m.quiz}}
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
                    (
                        lesson.title,
                        lesson.estimated_minutes,
                        [_block_raw(block, asset_ids, context) for block in lesson.body],
                    )
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
        modules_by_title = pool(stored_modules, "title")
        modules = []
        for m, (title, summary, quiz_id, lessons_wanted) in enumerate(wanted):
            module = (modules_by_title.get(title) or [CourseModule()]).pop(0)
            module.title, module.summary, module.quiz_id, module.sort_order = title, summary, quiz_id, m
            clean_child(module, f"modules.{m}", "course", errors)
            lessons_by_title = pool(stored_lessons.get(module.pk, []), "title")
            lessons = []
            for n, (lesson_title, minutes, body) in enumerate(lessons_wanted):
                lesson = (lessons_by_title.get(lesson_title) or [Lesson()]).pop(0)
                lesson.title, lesson.estimated_minutes, lesson.sort_order = lesson_title, minutes, n
                if lesson.pk is None or _body_without_ids(lesson.body) != body:
                    lesson.body = [{**block, "id": str(uuid.uuid4())} for block in body]
                clean_child(lesson, f"modules.{m}.lessons.{n}", "module", errors)
                lessons.append(lesson)
            module.lessons = lessons
            modules.append(module)
        course.modules = modules
        return True
