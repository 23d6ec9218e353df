"""E-learning models: packages and their versions (``packages``); the runtime's attempts, SCO data and
launches (``runtime``).

See ``elearning.models.packages`` for the contract of ``PackageVersion.structure``.
"""

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
