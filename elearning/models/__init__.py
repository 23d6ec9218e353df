"""E-learning models: packages and their versions (``packages``); the runtime's attempts, SCO data and
launches (``runtime``).

See ``elearning.models.packages`` for the contract of ``PackageVersion.structure``.
"""

from .cmi5 import Cmi5Registration, Cmi5Session  # noqa: F401 - cmi5 launches (elearning.cmi5)
from .packages import Package, PackageVersion
from .runtime import CompletionStatus, PackageAttempt, PackageLaunch, ScoRuntime, SuccessStatus

__all__ = [
    "CompletionStatus",
    "Package",
    "PackageAttempt",
    "PackageLaunch",
    "PackageVersion",
    "ScoRuntime",
    "SuccessStatus",
]
