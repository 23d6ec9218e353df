"""Admin forms of Wagtail's own models, made to follow the hub's upload rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from wagtail.documents.forms import BaseDocumentForm

from .uploads import extension_of, file_content_problem


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``), with the content of a new file checked too.

    ``WAGTAILDOCS_EXTENSIONS`` checks the name only; this refuses, say, an HTML page named ``.pdf``.
    """

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file
        allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        if allowed is not None and extension_of(file.name) not in allowed:
            return file  # Wagtail's own extension check refuses it, with its own message
        if problem := file_content_problem(name=file.name, file=file):
            raise ValidationError(problem, code="invalid_content")
        return file
