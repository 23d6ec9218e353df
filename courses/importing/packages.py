"""Learning packages in the import manifest: a ``package`` lesson block, and a whole course from a package.

A lesson block ``{"type": "package", "file": "packages/foo.zip", "unit": "item-2", "completion_rule": "passed",
"counts_score": false, "pass_mark": null, "package_key": "foo"}`` names a ZIP beside the manifest (inside its
folder, like asset files) or, with ``package`` instead of ``file``, a package stored already (by its key). A
course ``{"key": …, "package": "packages/course.zip"}`` without ``modules`` is made of the package like
``course_from_package``: a module per block of units, a lesson per unit.

Every ZIP is checked whole while the manifest is validated (``elearning.validation.package_check``: a bad
package is a problem naming its path, and nothing is imported). Written through elearning's services and
idempotent: the package is found by ``package_key`` (default: a key made from the file's path); the same ZIP
(its SHA-256) is the version it was, a new ZIP becomes a new current version (learners mid-way keep theirs).
"""

import re
from typing import Literal

from django.core.files import File
from django.utils.text import slugify

import pydantic

from core.importer.engine import entry_problem
from elearning.models import Package, PackageVersion
from elearning.services import package_upload, package_version_add
from elearning.validation import PackageRejected, package_check

from ..blocks import CompletionRule
from ..services.packages import package_outline
from .parts import SLUG_KEY, Part

_CACHE = "courses:packages"  # context.objects: checked structures by path, packages resolved by (key, sha256)


class PackageBlockEntry(Part):
    type: Literal["package"]
    file: str | None = pydantic.Field(default=None, min_length=1, max_length=500)
    package: str | None = pydantic.Field(default=None, **SLUG_KEY)
    package_key: str | None = pydantic.Field(default=None, **SLUG_KEY)
    unit: str = pydantic.Field(default="", max_length=255)
    completion_rule: Literal[tuple(CompletionRule.values)] = CompletionRule.PACKAGE
    counts_score: bool = False
    pass_mark: int | None = pydantic.Field(default=None, ge=0, le=100)

    @pydantic.model_validator(mode="after")
    def _one_source(self):
        if bool(self.file) == bool(self.package):
            raise ValueError("give the package's file (a ZIP beside the manifest) or a stored package's key")
        if self.package and self.package_key:
            raise ValueError("package_key names the package of a file; a stored package is named by package")
        return self


def default_key(path: str) -> str:
    """The package key of a ZIP the manifest names without a ``package_key``: made from its path."""
    return (slugify(re.sub(r"\.zip$", "", path, flags=re.IGNORECASE).replace("/", "-")) or "package")[:100]


def _cache(context) -> dict:
    return context.objects.setdefault(_CACHE, {})


def checked_structure(path: str, context) -> tuple[dict | None, str | None]:
    """``(structure, None)`` of a ZIP beside the manifest, checked whole; or ``(None, problem)`` (cached per path)."""
    cache = _cache(context)
    if ("checked", path) not in cache:
        full = (context.base_dir / path).resolve()
        if context.base_dir.resolve() not in full.parents:
            cache["checked", path] = (None, "must be a path inside the manifest's folder")
        elif not full.is_file():
            cache["checked", path] = (None, f"no such file: {path}")
        else:
            try:
                with open(full, "rb") as handle:
                    checked = package_check(File(handle, name=full.name))
                cache["checked", path] = (checked.structure, None)
            except PackageRejected as error:
                cache["checked", path] = (None, f"{path}: {' '.join(error.messages)}")
    return cache["checked", path]


def block_problems(section, index, entry, field: str, block, context) -> list:
    """Problems of one package block (or a course's ``package``): the file, the stored package, the unit."""
    if block.file:
        structure, problem = checked_structure(block.file, context)
        if problem:
            return [entry_problem(section, index, entry, f"{field}.file", problem)]
        units = [unit["identifier"] for unit in structure["units"]]
    elif block.package in manifest_package_files(context):  # a ZIP of this manifest, by its key
        structure, problem = checked_structure(manifest_package_files(context)[block.package], context)
        if problem:
            return []  # told where the file is named
        units = [unit["identifier"] for unit in structure["units"]]
    else:
        package = Package.objects.select_related("current_version").filter(key=block.package).first()
        if package is None or package.current_version is None:
            return [entry_problem(section, index, entry, f"{field}.package", f"unknown package {block.package!r}")]
        units = [unit["identifier"] for unit in package.current_version.units]
    if block.unit and block.unit not in units:
        known = ", ".join(units)
        return [entry_problem(section, index, entry, f"{field}.unit", f"no unit {block.unit!r}; its units: {known}")]
    return []


def _file_blocks(entry):
    if entry.package:
        yield _course_block(entry)
    for module in entry.modules:
        for lesson in module.lessons:
            yield from (block for block in lesson.body if block.type == "package" and block.file)


def manifest_package_files(context) -> dict[str, str]:
    """The package keys the manifest's ZIPs will have, with their paths (cached)."""
    cache = _cache(context)
    if "files" not in cache:
        cache["files"] = {
            block.package_key or default_key(block.file): block.file
            for entry in context.entries.get("courses", [])
            for block in _file_blocks(entry)
        }
    return cache["files"]


def course_package_problems(section, index, entry, context) -> list:
    """The course's own ``package`` and every package block of its lessons."""
    problems = []
    if entry.package:
        problems += block_problems(section, index, entry, "package", _course_block(entry), context)
    for m, module in enumerate(entry.modules):
        for n, lesson in enumerate(module.lessons):
            for b, block in enumerate(lesson.body):
                if block.type == "package":
                    field = f"modules.{m}.lessons.{n}.body.{b}"
                    problems += block_problems(section, index, entry, field, block, context)
    return problems


def _course_block(entry) -> PackageBlockEntry:
    return PackageBlockEntry(type="package", file=entry.package, package_key=entry.package_key)


def package_for(block, context) -> Package:
    """The stored package a block names; a ZIP is uploaded (a new package, or a new version) unless stored already."""
    if block.package:
        stored = Package.objects.filter(key=block.package).first()
        if stored is not None or block.package not in manifest_package_files(context):
            return stored or Package.objects.get(key=block.package)
        # A ZIP of this manifest named by its key before the entry that names the file was written.
        block = PackageBlockEntry(
            type="package", file=manifest_package_files(context)[block.package], package_key=block.package
        )
    key = block.package_key or default_key(block.file)
    full = (context.base_dir / block.file).resolve()
    with open(full, "rb") as handle:
        upload = File(handle, name=full.name)
        sha256 = package_check(upload).sha256
        cache = _cache(context)
        if ("package", key, sha256) in cache:
            return cache["package", key, sha256]
        package = Package.objects.filter(key=key).first()
        if package is None:
            package = package_upload(file=upload, key=key, user=None)
        elif not PackageVersion.objects.filter(package=package, sha256=sha256).exists():
            package_version_add(package=package, file=upload, user=None, notes=f"Imported from {block.file}")
            package.refresh_from_db()
    cache["package", key, sha256] = package
    return package


def package_block_value(block, context) -> dict:
    """A package block as ``Lesson.body`` stores it (without its id)."""
    return {
        "package": package_for(block, context).pk,
        "unit": block.unit,
        "completion_rule": block.completion_rule,
        "counts_score": block.counts_score,
        "pass_mark": block.pass_mark,
    }


def modules_of_package(entry, context) -> list:
    """The modules of a course made of a package (its ``package``, no ``modules``), as manifest entries."""
    from .courses import LessonEntry, ModuleEntry  # the course section's own schema (it imports this module)

    package = package_for(_course_block(entry), context)
    key = package.key
    single = len(package.current_version.units) == 1
    return [
        ModuleEntry(
            title=title,
            lessons=[
                LessonEntry(
                    title=lesson_title,
                    body=[PackageBlockEntry(type="package", package=key, unit="" if single else unit)],
                )
                for lesson_title, unit in lessons
            ],
        )
        for title, lessons in package_outline(package, default_title=entry.title)
    ]
