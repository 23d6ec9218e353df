"""The content importer behind ``manage.py import_content`` and ``manage.py load_demo``.

One JSON manifest (DESIGN §6), one ``Section`` per model. Each app registers its own
sections from its ``AppConfig.ready()`` (``registry.register_sections``), naming the
sections each depends on; the import order is derived from those (``registry``). A
manifest is validated whole — its shape, its keys, its references and every model's own
validation — before anything is kept: a bad file writes nothing and every problem names
its section, entry, key and field (``engine``). Import is idempotent on ``key``:
re-running updates, never duplicates. ``helpers`` holds what sections share.
"""
