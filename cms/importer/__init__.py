"""The content importer behind ``manage.py import_content`` and ``manage.py load_demo``.

One JSON manifest (DESIGN §6), one ``Section`` per model, run in dependency
order. A manifest is validated whole — its shape, its keys, its references and
every model's own validation — before anything is kept: a bad file writes nothing
and every problem names its section, entry, key and field. Import is idempotent on
``key``: re-running updates, never duplicates.
"""

from .base import ImportSummary, ManifestError, Problem, import_manifest

__all__ = ["ImportSummary", "ManifestError", "Problem", "import_manifest"]
