"""The gating machinery every kind of gated content shares, public to every app above ``cms``.

``models`` (the ``GatedContent`` base and what finds its kinds), ``lifecycle`` (archive,
restore, the scheduled sweep), ``ownership`` (changing an item's owner), ``filters`` (the
admin listings' lifecycle filters), ``preview`` (snapshots and signed tokens of the headless
preview) and ``admin`` (the snippet viewset, columns, bulk and lifecycle actions). A new kind
of content subclasses ``GatedContent`` in its own app and is covered by all of them.
"""
