"""Admin forms of courses: a question bank's questions are checked with their choices."""

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
