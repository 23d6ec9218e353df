"""Learning reports of the admin's Reports menu: how partners take the courses, and which questions fail.

Two reports, each a grouped query over the learners' records (``courses.selectors``):

* ``enrolments``: enrolments by course and partner (or by course, by partner, or by
  partner tier: the "Group by" filter), with the enrolments, those completed, the completion
  rate, those overdue (due date passed, not completed) and the average progress (lessons done
  and required quizzes passed; a completed enrolment counts as 100%); filtered by course,
  partner tier, partner type and enrolment dates (the partner's current tier and type);
* ``question_stats``: the graded answers (``QuestionResult``) by question, most often fully
  failed (no credit at all) first, with the quizzes they were answered in, the question bank,
  the answers and the average credit; filtered by quiz, question bank and answer dates, and a
  search in the question texts.

Neither has a default date range: either date may be left open. URL names are in the
``courses_reports`` namespace (``courses_reports:enrolments``,
``courses_reports:question_stats``, each with a ``…_results`` twin for the listing's filter
refreshes), under ``/admin/reports/courses/`` (``menu``); both export CSV and XLSX with their
filters. A page costs a fixed number of queries whatever the rows: the filters' choices, the
count, the page's rows (one grouped query), and for the question statistics the page's quizzes.

Who sees them: users with ``courses.view_enrollment`` see the first, with
``courses.view_quizattempt`` the second (Django's "view" permissions, offered in the admin's
group editor; superusers have both).
"""
