"""Writes of courses, one module per use case: every state change of courses goes through a function here.

* ``enrollment``: enrolment (prerequisites first), opening and completing lessons;
* ``progress``: a learner's progress in a course and its completion;
* ``attempts``: quiz attempts drawn, graded on the server, answers revealed;
* ``assignments``: courses assigned to partners, types or tiers, enrolled;
* ``reminders``: e-mails before an assigned course's due date;
* ``errors``: ``CourseError`` and its kinds, the refusals the API shows.

Every learner action checks what the learner may do first (``CourseError`` with a
message the API shows) and changes nothing when refused.
"""
