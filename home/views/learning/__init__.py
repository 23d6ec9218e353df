"""The portal's Learning area (``/learning/``): the catalogue and my courses, the course player, quizzes and
completion, reading through ``courses.selectors`` and writing through ``courses.services`` like the API.

* ``catalogue``: my courses and the catalogue, enrolling;
* ``player``: a course's page (resume), lessons, marking them done, the completion;
* ``quizzes``: a quiz's page, attempts with their timer, submitting, results;
* ``outline``: a course's steps in order with what the learner has done (no queries of its own);
* ``blocks``: a lesson's body (rich text, videos, library assets through the audience rule).
"""
