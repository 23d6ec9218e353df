"""Import-manifest sections of courses: question banks, quizzes and courses (DESIGN §6).

``question_banks`` hold questions with their choices; ``quizzes`` draw from a bank;
``courses`` are gated content like programs (audience, schedule, owner, review date,
``state``) with modules of lessons in order, module quizzes, a final quiz and
prerequisite courses. Lesson bodies are blocks (``text``, ``callout``, ``asset``,
``video``); their HTML is cleaned like every imported rich text.

Re-importing an unchanged entry changes nothing (no revision). A changed entry is
updated in place: questions are matched to the stored ones by their text, modules by
their title and lessons by their title within their module, so ids — and the learners'
completions and question statistics hanging off them — survive a re-import that only
edits, reorders or adds. A module, lesson or question the manifest no longer has is
deleted, with its completions; a renamed one is a new row (a new id).

One module per section (``question_banks``, ``quizzes``, ``courses``), plus ``parts``
for what they share; ``courses.apps`` registers the sections with ``core.importer``.
"""
