"""Admin form widgets of cms."""

from django import forms


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the current file by name: private files have no URL to link to (``cms.storage``)."""

    template_name = "cms/admin/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))
