"""Admin forms of courses: a question bank's questions are checked with their choices; a quiz's bank with the
quizzes that share it."""

from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm


class QuestionBankForm(WagtailAdminModelForm):
    """Each question of the bank must have the right number of correct choices for its kind."""

    def is_valid(self):
        valid = super().is_valid()  # the nested formsets are cleaned by now
        if not valid:
            return False
        from .models import Question

        for form in self.formsets["questions"].forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            choices = [
                (choice.cleaned_data["text"], choice.cleaned_data.get("is_correct", False))
                for choice in form.formsets["choices"].forms
                if choice.cleaned_data and not choice.cleaned_data.get("DELETE")
            ]
            question = Question(kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
            try:
                question.check_choices(choices)
            except ValidationError as error:
                form.add_error(None, error)
                valid = False
        return valid


class CourseForm(WagtailAdminModelForm):
    """A course cannot be its own prerequisite, so it is not offered as one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "prerequisites" in self.fields:
            field = self.fields["prerequisites"]
            field.queryset = field.queryset.exclude(pk=self.instance.pk)


class QuizForm(WagtailAdminModelForm):
    """A bank feeds quizzes that never show answers or quizzes that do, never both (in either direction)."""

    def clean(self):
        cleaned_data = super().clean()
        bank, answers_shown = cleaned_data.get("bank"), cleaned_data.get("answers_shown")
        if bank is None or not answers_shown:
            return cleaned_data
        from .models import Quiz
        from .selectors import answer_policy_conflicts

        reveals = answers_shown != Quiz.AnswersShown.NEVER
        others = answer_policy_conflicts(bank=bank, reveals=reveals, exclude_pk=self.instance.pk)
        if others:
            self.add_error("bank", shared_bank_message(bank=bank, reveals=reveals, others=others))
        return cleaned_data


def shared_bank_message(*, bank, reveals: bool, others) -> str:
    """Why a quiz may not draw from ``bank``, which feeds ``others`` (quiz titles) of the opposite policy."""
    names = ", ".join(f"“{title}”" for title in others)
    if reveals:
        return (
            f"“{bank}” also feeds {names}, which never show answers: a quiz showing answers would reveal theirs. "
            "Use another bank, or set this quiz to never show answers."
        )
    return (
        f"“{bank}” also feeds {names}, which show answers: they would reveal this quiz's answers. "
        "Use another bank, or set those quizzes to never show answers."
    )
