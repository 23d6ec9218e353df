"""cmi5 for packages whose ``cmi5.xml`` lists assignable units (AUs), on the hub's own LRS (``lrs``).

- ``launch``: ``cmi5_launch_start`` (attempt + registration kept across launches, a session per launch,
  ``LMS.LaunchData`` and the "launched" statement written before the AU starts), the AU's launch URL,
  ``cmi5_waive``.
- ``fetch``: the one-time fetch URL that hands the AU its LRS credential (cmi5 §8.2).
- ``rules``: the statement policy the LRS runs before storing a statement of a cmi5 session (cmi5 §9).
- ``progress``: what stored statements change: the AU's results, moveOn, "satisfied", the attempt and
  ``core.signals.package_attempt_updated`` (as the SCORM runtime sends it).
- ``views``/``urls``: the player page under ``/learn/cmi5/<token>/``, the fetch URL, relaunch and done.
"""
