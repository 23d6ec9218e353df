"""Backups of the hub: the database and the files of its storages as one verified set.

``manage.py backup`` and ``manage.py restore`` (app ``cms``) call ``services``.

``services`` takes, restores and prunes backups; ``selectors`` reads a backup location; ``manifest`` checks a
set against its manifest; ``database`` dumps and restores PostgreSQL or SQLite; ``locations`` turns a folder or an
``s3://bucket/prefix`` into a storage and walks storages.
"""
