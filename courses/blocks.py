"""The ``package`` lesson block: a learning package (SCORM 1.2, SCORM 2004, cmi5) as a lesson's content.

A lesson with a package block completes only through the package (``courses.services.packages``):
when the package's results meet the block's ``completion_rule`` (and, with ``counts_score``, its score
reaches the pass mark), never by the learner's "Mark as done".

- ``package``: the ``elearning.Package`` (its current version is what new attempts play);
- ``unit``: one SCO / AU of a multi-unit package (its identifier), or blank for the whole package;
- ``completion_rule``: ``package`` (the default: what the package reports: completed, and passed when it
  reports a success status), ``completed``, ``passed`` or ``completed_and_passed``;
- ``counts_score`` and ``pass_mark``: whether the package's score counts toward the course's pass rules,
  and the percent it must reach (blank: the package's own mastery score; a package without one must
  report "passed").
"""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class CompletionRule:
    PACKAGE = "package"
    COMPLETED = "completed"
    PASSED = "passed"
    COMPLETED_AND_PASSED = "completed_and_passed"

    choices = [
        (PACKAGE, "As the package reports it (completed; passed when it reports success)"),
        (COMPLETED, "Completed"),
        (PASSED, "Passed"),
        (COMPLETED_AND_PASSED, "Completed and passed"),
    ]
    values = [value for value, _label in choices]


class PackageBlock(blocks.StructBlock):
    package = SnippetChooserBlock("elearning.Package", help_text="A learning package (Learning → Learning packages).")
    unit = blocks.CharBlock(
        required=False,
        max_length=255,
        help_text="One SCO / AU of a multi-unit package (its identifier in the package's structure); "
        "blank for the whole package.",
    )
    completion_rule = blocks.ChoiceBlock(
        choices=CompletionRule.choices,
        default=CompletionRule.PACKAGE,
        help_text="When the lesson is done. The learner cannot mark it done themselves.",
    )
    counts_score = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text="The package's score counts: the lesson (and so the course) is done only once it reaches "
        "the pass mark.",
    )
    pass_mark = blocks.IntegerBlock(
        required=False,
        min_value=0,
        max_value=100,
        help_text="Percent the score must reach with “counts score”; blank: the package's own mastery score.",
    )

    class Meta:
        icon = "folder-open-inverse"
        label = "Learning package"

    def clean(self, value):
        value = super().clean(value)
        package, unit = value.get("package"), (value.get("unit") or "").strip()
        if package is not None and package.current_version_id is None:
            raise StructBlockValidationError(
                block_errors={"package": ValidationError("The package has no version yet: upload one first.")}
            )
        if package is not None and unit:
            version = package.current_version
            identifiers = [u["identifier"] for u in version.units] if version else []
            if unit not in identifiers:
                known = ", ".join(identifiers) or "none"
                raise StructBlockValidationError(
                    block_errors={"unit": ValidationError(f"The package has no unit {unit!r}; its units: {known}.")}
                )
        return value
