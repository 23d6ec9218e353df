"""Import-manifest section of certifications (after ``courses``): what each requires, and which tiers need it.

A ``certifications`` entry is gated content like a course (audience, schedule, owner,
review date, ``state``) with the keys of its ``required_courses``, an optional ``exam``
(a quiz key; ``exam_standalone``: taken on its own, after the courses of ``exam_prerequisites``),
``validity_months``, ``renewal_window_days``, the ``renewal_courses`` of
its shorter renewal path, ``renewal_requires`` (``refresher``, the default, ``retake_courses``,
``retake_exam`` or ``retake_all``: ``certifications.renewal``), and ``tier_requirements``: how
many of a partner's staff of each tier must hold it (``{"gold": 2, "platinum": 4}``). The entry is the truth about
its requirements: a tier it leaves out no longer requires it. Re-importing an unchanged
entry changes nothing (no revision).
"""

from typing import Literal

import pydantic

from cms.gating.lifecycle import content_bring_to_state
from cms.importing import AUDIENCE_SECTIONS, ContentEntry, ContentSection
from core.importer.engine import entry_problem
from core.importer.helpers import lookup, stored_keys, unknown_reference
from core.models import set_changed_fields
from courses.models import Course, Quiz
from partners.importing import TiersSection
from partners.models import Tier

from .models import Certification, TierRequirement, renewal_rule_errors


class CertificationEntry(ContentEntry):
    required_courses: list[str] = pydantic.Field(default_factory=list)
    exam: str | None = None
    exam_standalone: bool = pydantic.Field(
        default=False, description="The exam is taken on its own, without a course (its quiz never shows answers)."
    )
    exam_prerequisites: list[str] = pydantic.Field(
        default_factory=list, description="Course keys to complete before taking the exam on its own."
    )
    validity_months: int = pydantic.Field(default=24, ge=1, le=120)
    renewal_window_days: int = pydantic.Field(default=60, ge=0, le=365)
    renewal_courses: list[str] = pydantic.Field(default_factory=list)
    renewal_requires: Literal["refresher", "retake_courses", "retake_exam", "retake_all"] = "refresher"
    tier_requirements: dict[str, int] = pydantic.Field(
        default_factory=dict, description="Tier key: how many of a partner's staff must hold it (at least 1)."
    )

    @pydantic.model_validator(mode="after")
    def _something_to_earn(self):
        if not self.required_courses and not self.exam:
            raise ValueError("a certification needs required_courses, an exam, or both")
        if (self.exam_standalone or self.exam_prerequisites) and not self.exam:
            raise ValueError("exam_standalone and exam_prerequisites need an exam")
        if self.exam_prerequisites and not self.exam_standalone:
            raise ValueError("exam_prerequisites apply to an exam taken on its own: set exam_standalone")
        if any(count < 1 for count in self.tier_requirements.values()):
            raise ValueError("tier_requirements counts must be at least 1")
        errors = renewal_rule_errors(
            rule=self.renewal_requires,
            has_exam=bool(self.exam),
            required_courses=len(self.required_courses),
            renewal_courses=len(self.renewal_courses),
        )
        if errors:
            raise ValueError(" ".join(errors.values()))
        return self


class CertificationsSection(ContentSection):
    name = "certifications"
    depends_on = (*AUDIENCE_SECTIONS, "courses", "quizzes")
    schema = CertificationEntry
    model = Certification

    def check_entry(self, index, entry, context):
        problems = []
        courses = context.known("courses", lambda: stored_keys(Course))
        for field in ("required_courses", "renewal_courses", "exam_prerequisites"):
            for key in getattr(entry, field):
                if key not in courses:
                    problems.append(unknown_reference(self.name, index, entry, field, "course", key, courses))
        quizzes = context.known("quizzes", lambda: stored_keys(Quiz))
        if entry.exam and entry.exam not in quizzes:
            problems.append(unknown_reference(self.name, index, entry, "exam", "quiz", entry.exam, quizzes))
        tiers = context.known("tiers", TiersSection().stored_keys)
        for tier in entry.tier_requirements:
            if tier not in tiers:
                problems.append(entry_problem(self.name, index, entry, "tier_requirements", f"unknown tier {tier!r}"))
        return problems

    def write(self, entry, context):
        certification = Certification.objects.filter(key=entry.key).first()
        created = certification is None
        if created:
            certification = Certification(key=entry.key, live=False)
        changed = bool(
            set_changed_fields(
                certification,
                {
                    **self.common_values(entry),
                    "exam": lookup(Quiz, "quizzes", entry.exam, context) if entry.exam else None,
                    "exam_standalone": entry.exam_standalone,
                    "validity_months": entry.validity_months,
                    "renewal_window_days": entry.renewal_window_days,
                    "renewal_requires": entry.renewal_requires,
                },
            )
        )
        changed = changed or created
        relations = {
            **self.audience(entry),
            "required_courses": [lookup(Course, "courses", key, context) for key in entry.required_courses],
            "renewal_courses": [lookup(Course, "courses", key, context) for key in entry.renewal_courses],
            "exam_prerequisites": [lookup(Course, "courses", key, context) for key in entry.exam_prerequisites],
        }
        for name, objects in relations.items():
            current = set() if created else {obj.pk for obj in getattr(certification, name).all()}
            if {obj.pk for obj in objects} != current:
                getattr(certification, name).set(objects)
                changed = True
        if changed:
            certification.full_clean()
            certification.save()
        changed = self._write_tier_requirements(certification, entry, context) or changed
        state_changed = content_bring_to_state(
            item=certification, state=entry.state, content_changed=changed, user=None
        )
        return certification, created, changed or state_changed

    @staticmethod
    def _write_tier_requirements(certification, entry, context) -> bool:
        wanted = {lookup(Tier, "tiers", key, context).pk: count for key, count in entry.tier_requirements.items()}
        stored = {r.tier_id: r for r in TierRequirement.objects.filter(certification=certification)}
        changed = False
        for tier_id, requirement in stored.items():
            if tier_id not in wanted:
                requirement.delete()
                changed = True
        for tier_id, count in wanted.items():
            requirement = stored.get(tier_id) or TierRequirement(certification=certification, tier_id=tier_id)
            if requirement.pk is None or requirement.minimum_holders != count:
                requirement.minimum_holders = count
                requirement.full_clean()
                requirement.save()
                changed = True
        return changed
