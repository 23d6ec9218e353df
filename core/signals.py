"""Signals that cross apps: senders and receivers both import them from here.

Each app's receivers stay in its own ``signals.py`` and are connected from its
``AppConfig.ready()``.
"""

from django.dispatch import Signal

#: Sent with ``sender=<model>`` and ``pks=[...]`` when services change items in bulk (without saving
#: each one), so that other apps (search) can follow; single saves send ``post_save`` as usual.
items_changed = Signal()

#: Sent with ``sender=<model>``, ``event`` and ``pks=[...]`` for every lifecycle event webhooks hear
#: (``published``, ``changed``, ``unpublished``, ``expired``, ``archived``, ``restored``), single or in
#: bulk, and with ``event="new_version"`` for assets that got a new file version.
content_event = Signal()

#: Sent with ``sender=Course``, ``user``, ``course``, ``at`` (the moment) and ``round`` (1, or a retake's number)
#: when a learner completes a course: once per round.
course_completed = Signal()

#: Sent with ``sender=Quiz``, ``user``, ``quiz`` and ``attempt`` when a learner passes a quiz
#: (``attempt.submitted_at`` is when).
quiz_passed = Signal()

#: Sent with ``sender=<model>`` and ``user_ids=[...]`` when people lose access at once: a user or a
#: partner deactivated, a member past their last day. Identity ends their sessions on it; tokens
#: are refused on every request already.
access_revoked = Signal()

#: Sent with ``sender=<model>``, ``event`` (e.g. ``invitation.sent``), ``user`` (who it is about, or
#: ``None``), ``actor`` (who did it, or ``None``), ``partner``, ``email`` and ``request`` (or
#: ``None``) by any app whose action belongs in the sign-in audit.
identity_event = Signal()

#: Sent with ``sender=Package``, ``package``, ``version`` and ``move_learners`` when an editor makes a version
#: of a learning package current (elearning): new launches use it; with ``move_learners`` the runtime moves
#: the attempts in progress onto it too, otherwise they keep the version they started.
package_version_published = Signal()

#: Sent with ``sender=PackageAttempt``, ``attempt``, ``user``, ``context`` (the opaque string its launcher gave,
#: e.g. ``"lesson:12"``), ``completed`` (bool), ``passed`` (``True``/``False``, or ``None`` while no SCO reports a
#: success status) and ``score`` (a ``Decimal`` percent, 0-100, or ``None``) after every commit of the SCORM
#: runtime changed an attempt at a learning package (elearning). Courses hear it to follow lessons made of packages.
package_attempt_updated = Signal()
#: Sent with ``sender=Statement`` (``lrs.models.Statement``), ``statement`` and ``credential`` (the
#: ``lrs.models.Credential`` that sent it: its ``user`` and opaque ``context`` say which launch) once for each
#: statement the LRS newly stored, after the commit; a statement sent again unchanged sends nothing. Read the
#: statement as sent from ``statement.payload`` (cmi5's ``completed``/``passed``/``failed`` drive progress).
statement_stored = Signal()

#: Sent with ``sender=<model>`` (``cms.models.Asset``), ``asset_id`` and ``version_id`` inside the transaction that
#: stores a file version of an asset (a new file, or a new PDF rendition of the current one). Whatever is made from
#: the file listens (previews, text extraction): it records what it needs in that transaction and hands the work
#: to the worker after the commit.
asset_file_stored = Signal()
