"""Courses: modules, lessons, quizzes, enrolments, progress and attempts (filled in by the courses issue)."""
