"""Virus scanning of every uploaded file with ClamAV's daemon (clamd), before it may be published or served.

* ``clamd``: a small client of clamd's INSTREAM protocol (the file's bytes go over the socket,
  so the daemon needs no access to our storage, which may be S3);
* ``fields``: ``ScannedFileField``, a ``FileField`` that scans each new file as it is stored;
* ``gate``: may a stored file be published or served (``servable_q``, ``file_scan_refusal``), the one
  check every reader of a file uses (``AssetVersion.objects.servable()``, downloads, package content);
* ``registry``: the models whose files are scanned (``register_scanned_files``), for the backfill.

The scan record is ``cms.models.FileScan`` (one per stored file name); the writes are in
``cms.services.scanning`` (scan, quarantine, notify, re-scan).
"""
