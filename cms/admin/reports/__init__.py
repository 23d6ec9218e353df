"""Content reports of the admin's Reports menu: what needs an editor's attention, across the gated content.

Seven reports, one module each, on the base in ``base``:

* ``expiring_soon``: live items whose ``expire_at`` falls within the next 7/14/30/90 days;
* ``review_overdue``: items (not archived) whose ``review_by`` date has passed;
* ``expired_not_archived``: items past their expiry (swept or not) that are not archived yet;
* ``not_downloaded``: live assets never downloaded, or not downloaded in the last 90 days;
* ``file_text``: assets whose current file's text could not be read for search (failed or too large).
* ``duplicate_files``: assets whose file is identical to another asset's (content hash);
* ``broken_links``: assets whose external URL failed its last check (the scheduled link checker).

URL names are in the ``cms_reports`` namespace (``cms_reports:expiring_soon`` …, each with
a ``…_results`` twin for the listing's filter refreshes), under ``/admin/reports/content/``
(``menu``); every report exports CSV and XLSX with its filters.

Who sees them: staff with the change permission of at least one of the models; the
reports (and the dashboard's content health panel, ``cms.admin.dashboard``) then cover the
models they may change.
"""
