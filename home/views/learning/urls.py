"""The Learning area's paths, included under ``/learning/`` by ``home.urls`` (names in the ``home:`` namespace)."""

from django.urls import path

from . import catalogue, packages, player, quizzes

COURSE = "<int:course_id>/"
QUIZ = COURSE + "quizzes/<int:quiz_id>/"
ATTEMPT = QUIZ + "attempts/<int:attempt_id>/"

urlpatterns = [
    path("", catalogue.learning, name="learning"),
    path(COURSE, player.course, name="learning_course"),
    path(COURSE + "enrol/", catalogue.enrol, name="learning_enrol"),
    path(COURSE + "retake/", catalogue.retake, name="learning_retake"),
    path(COURSE + "completed/", player.completed, name="learning_completed"),
    path(COURSE + "lessons/<int:lesson_id>/", player.lesson, name="learning_lesson"),
    path(COURSE + "lessons/<int:lesson_id>/complete/", packages.complete_lesson, name="learning_lesson_complete"),
    path(COURSE + "lessons/<int:lesson_id>/play/", packages.play, name="learning_lesson_play"),
    path(QUIZ, quizzes.quiz, name="learning_quiz"),
    path(QUIZ + "start/", quizzes.start_attempt, name="learning_quiz_start"),
    path(ATTEMPT, quizzes.attempt, name="learning_attempt"),
    path(ATTEMPT + "timer/", quizzes.attempt_timer, name="learning_attempt_timer"),
    path(ATTEMPT + "submit/", quizzes.submit_attempt, name="learning_attempt_submit"),
]
