"""Partner API of courses: ``catalogue`` (courses, enrolment), ``lessons``, ``attempts`` (quizzes).

``routes`` joins their routers into the one mounted at ``/api/v1/``.
"""
