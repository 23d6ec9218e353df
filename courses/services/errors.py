"""Refusals of learner actions: ``CourseError`` (a 409 with a message the API shows) and its kinds."""


class CourseError(Exception):
    """A learner action that does not apply now; the message says why."""

    status = 409


class NotEnrolled(CourseError):
    def __init__(self, course):
        super().__init__(f"Enrol in “{course}” first (POST /api/v1/courses/{course.pk}/enroll).")


class PrerequisitesMissing(CourseError):
    def __init__(self, missing, *, hidden: int = 0):
        self.missing = list(missing)
        self.hidden = hidden
        names = ", ".join(f"“{course}”" for course in self.missing)
        # Courses the learner may not see are counted, never named.
        hidden_text = f"{hidden} course(s) not open to you" if hidden else ""
        super().__init__(f"Complete these courses first: {', '.join(filter(None, [names, hidden_text]))}.")


class InvalidAnswers(CourseError):
    status = 422
