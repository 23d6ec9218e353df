"""The certification editor's form: the renewal rule must fit the exam and the courses chosen with it.

Checked here rather than in ``Certification.clean``: the courses (parental many-to-many) are set on the
instance only when the form saves, after the model is cleaned.
"""

from wagtail.admin.forms import WagtailAdminModelForm


class CertificationForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        from .models import renewal_rule_errors  # the models module names this form

        if "renewal_requires" not in cleaned_data:
            return cleaned_data
        errors = renewal_rule_errors(
            rule=cleaned_data["renewal_requires"],
            has_exam=bool(cleaned_data.get("exam")),
            required_courses=len(cleaned_data.get("required_courses") or ()),
            renewal_courses=len(cleaned_data.get("renewal_courses") or ()),
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned_data
