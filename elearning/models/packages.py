"""Learning packages (SCORM 1.2, SCORM 2004, cmi5) and their uploaded versions.

A ``Package`` is what an editor names and reuses ("Sales basics, SCORM"); each upload of its ZIP
is a ``PackageVersion`` (1, 2, …). The package points at its ``current_version``: new launches
use it, learners mid-way keep the version they started (the runtime decides, see
``elearning.services.packages.package_version_make_current``).

Files never get a public URL: the uploaded ZIP is kept as ``PackageVersion.archive`` and its
entries are extracted under ``PackageVersion.content_prefix`` in the private storage
(``cms.storage.private_storage``), read back only through ``elearning.selectors.package_file``.

``PackageVersion.structure`` — the contract the runtime and courses rely on (built by
``elearning.validation``; keys are always present, values ``None`` when the standard lacks them)::

    {
      "standard": "scorm12" | "scorm2004" | "cmi5",
      "title": str,                      # the organization's / course's title
      "schema_version": str,             # "1.2", "2004 2nd Edition" / "2004 3rd Edition" / "2004 4th Edition", "cmi5"
      "units": [                         # the launchable SCOs / AUs only, in the order the organization lists them
        {
          "identifier": str,             # the item's identifier (SCORM) or the AU's id (cmi5)
          "title": str,
          "kind": "sco" | "au",          # ("asset" items are not launchable and are not listed here)
          "href": str,                   # launch path inside the package, relative to its root and normalised
                                         # (not URL-encoded), then its ?query (resource href + xml:base + item
                                         # parameters; cmi5: the AU url as written)
          "parameters": str,             # the item's parameters (SCORM) / launchParameters (cmi5), or ""
          "mastery_score": float | None, # 0-100: 1.2 adlcp:masteryscore; 2004 primary objective's
                                         # minNormalizedMeasure*100 when satisfiedByMeasure; cmi5 masteryScore*100
          "completion_threshold": float | None,   # 2004 adlcp:completionThreshold (0-1), else None
          "time_limit_action": str | None,        # adlcp:timelimitaction / adlcp:timeLimitAction
          "data_from_lms": str | None,            # adlcp:datafromlms / adlcp:dataFromLMS
          "move_on": str | None,                  # cmi5 moveOn (e.g. "CompletedAndPassed")
          "launch_method": str | None,            # cmi5 launchMethod ("AnyWindow" / "OwnWindow")
          "activity_id": str | None,              # cmi5 AU id (an IRI)
          "entitlement_key": str | None,          # cmi5 entitlementKey
          "parent": [str, ...],                   # titles of the organization / blocks above the unit
        },
      ],
      "organizations": [                 # for display: the tree as the manifest has it (assets included)
        {"identifier": str, "title": str, "kind": "sco" | "asset" | "au" | "block", "href": str | None,
         "children": [...]},           # "block": an organization, a SCORM item without resource, a cmi5 block
      ],
      "sequencing": {"choice": bool, "flow": bool},   # SCORM 2004 root controlMode; 1.2 and cmi5: both true
      "course_id": str | None,           # cmi5 course id IRI
      "warnings": [str, ...],            # what the hub ignores (sequencing beyond simple choice/flow, …)
    }

The hub sequences simply: a menu of the units (choice) and next/previous (flow). A SCORM 2004
package whose root allows neither is refused; richer sequencing (rules, rollup, limits,
forwardOnly, …) is accepted with a warning and ignored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cms.storage import private_storage


class Standard(models.TextChoices):
    SCORM12 = "scorm12", "SCORM 1.2"
    SCORM2004 = "scorm2004", "SCORM 2004"
    CMI5 = "cmi5", "cmi5"


class Package(models.Model):
    """A learning package an editor uploaded; its versions keep every upload."""

    Standard = Standard

    title = models.CharField(max_length=255)
    key = models.SlugField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="A stable identifier for the importer (e.g. sales-basics-scorm). Optional.",
    )
    standard = models.CharField(max_length=16, choices=Standard.choices, editable=False)
    description = models.TextField(blank=True)
    current_version = models.ForeignKey(
        "PackageVersion", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "learning package"

    def __str__(self):
        return self.title


class PackageVersion(models.Model):
    """One uploaded ZIP of a package: the archive, its extracted files and the structure read from its manifest."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    archive = models.FileField(storage=private_storage, max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(help_text="Size of the ZIP.")
    file_count = models.PositiveIntegerField()
    content_prefix = models.CharField(
        max_length=255, unique=True, help_text="Where the extracted files live in the private storage."
    )
    structure = models.JSONField(default=dict)
    schema_version = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["package", "-number"]
        constraints = [models.UniqueConstraint(fields=["package", "number"], name="package_version_number_unique")]

    def __str__(self):
        return f"{self.package} v{self.number}"

    @property
    def units(self) -> list[dict]:
        """The launchable units (SCOs / AUs) in order, as the structure lists them."""
        return self.structure.get("units", [])

    @property
    def is_current(self) -> bool:
        return self.package.current_version_id == self.pk
