"""The asset library's hygiene: identical files and external URLs that no longer answer.

* ``selectors``: assets sharing a file (by ``Asset.file_sha256``), and the links due for a check;
* ``probe``: one polite check of one URL (HEAD, then GET; redirects followed to a limit; only
  public addresses unless allowed; a per-host pace);
* writes are ``cms.services.link_checks`` (a run of the checker, one result recorded);
* the reports "Assets: duplicate files" and "Assets: broken links" are ``cms.admin.reports``,
  the edit view's notice and the upload warning ``cms.admin.hygiene``.
"""
