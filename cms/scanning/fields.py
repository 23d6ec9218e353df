"""``ScannedFileField``: a ``FileField`` whose every newly stored file is recorded and scanned at once.

The hook is the field's ``pre_save``, where Django stores a new upload: it runs for the admin's
add and edit forms (a draft of a live item too: Wagtail's revision stores the file the same way),
the importer and code alike, so no upload path can skip the scan.
"""

from django.db import models

from wagtail.log_actions import get_active_log_context


class ScannedFileField(models.FileField):
    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        upload = file.file if file and not file._committed else None
        file = super().pre_save(model_instance, add)
        if upload is not None:
            # Services import the models that use this field: reached at call time.
            from cms.services.scanning import file_scan_register

            file_scan_register(
                name=file.name, upload=upload, uploaded_by=get_active_log_context().user, item=model_instance
            )
        return file
