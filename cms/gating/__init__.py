"""The gating machinery every kind of gated content shares, public to every app above ``cms``.

``models`` (the ``GatedContent`` base and what finds its kinds), ``lifecycle`` (archive,
restore, the scheduled sweep), ``filters`` (the admin listings' lifecycle filters) and
``preview`` (snapshots and signed tokens of the headless preview). A new kind of content
subclasses ``GatedContent`` in its own app and is covered by all of them.
"""
