"""Courses: their structure (modules, lessons, quizzes from question banks) and each learner's progress.

A ``Course`` is gated content like an asset (audience, drafts, review workflow,
scheduling, expiry, archive): editors build it in one editor, modules and their
lessons inline and in order, and publish it as a whole. Lesson bodies are StreamFields
(rich text, video, image, a library asset, callouts). Quizzes draw their questions
from a ``QuestionBank`` and sit at a module's end or the course's end.

Progress belongs to the learner: an ``Enrollment`` per user and course (self-enrolled
or assigned), a ``LessonCompletion`` per lesson done, and a ``QuizAttempt`` per try,
which keeps a snapshot of the questions it drew so later edits never change a grade.

One module per part: ``quizzes`` (banks, questions, quizzes), ``courses`` (courses, modules,
lessons and their blocks), ``learners`` (assignments, enrolments, completions, attempts),
``packages`` (learners' results in the learning packages of lessons).
"""

from .courses import Course, CourseModule, Lesson
from .learners import CourseAssignment, Enrollment, LessonCompletion, QuestionResult, QuizAttempt
from .packages import PackageResult
from .quizzes import Choice, Question, QuestionBank, Quiz

__all__ = [
    "Choice",
    "Course",
    "CourseAssignment",
    "CourseModule",
    "Enrollment",
    "Lesson",
    "LessonCompletion",
    "PackageResult",
    "Question",
    "QuestionBank",
    "QuestionResult",
    "Quiz",
    "QuizAttempt",
]
