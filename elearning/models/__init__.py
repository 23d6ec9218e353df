"""E-learning models: packages and their versions (``packages``); the runtime's attempts join them later.

See ``elearning.models.packages`` for the contract of ``PackageVersion.structure``.
"""

from .packages import Package, PackageVersion

__all__ = ["Package", "PackageVersion"]
