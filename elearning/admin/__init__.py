"""The admin of learning packages: upload, inspect the structure, versions (``viewsets``, ``views``, ``forms``)."""
