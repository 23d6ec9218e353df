"""Previews of asset files: thumbnails and the first pages, made by the worker, served only through signed URLs.

``render`` (pictures from bytes: pypdfium2 for PDFs, Pillow for images, LibreOffice headless for Office files
where it is installed), ``services`` (make and store a version's previews), ``selectors`` (which previews a
partner may see), ``signing`` (the short-lived URLs bound to one user), ``api`` (the route serving them).
"""
