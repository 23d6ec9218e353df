"""The text of asset files, per page, slide or sheet: reading it (``readers``) and finding it (``selectors``).

What writes it is ``cms.services.file_text`` (run by ``cms.tasks.extract_file_text`` when a
version is stored, and by ``manage.py extract_file_text``); the models are
``cms.models.file_text``. Search indexes the units of each asset's current version.
"""
