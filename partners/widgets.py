"""Admin form widgets of partners."""

from django import forms


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the current file (a partner's logo) by name: private files have no URL to link to."""

    template_name = "partners/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))
