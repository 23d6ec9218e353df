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


class RoundOpen(CourseError):
    """A retake asked for while the current round is not completed."""

    def __init__(self, course, round_number: int):
        self.round = round_number
        super().__init__(
            f"You have not completed “{course}” yet (round {round_number}): finish it before retaking the course."
        )


class NotVisible(CourseError):
    """A course the learner may not see (the API and the portal answer 404, as for a course that does not exist)."""

    status = 404

    def __init__(self):
        super().__init__("Not Found")


class InvalidAnswers(CourseError):
    status = 422
