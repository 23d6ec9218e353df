"""``FileScanPanel``: the virus scan of an item's file on its edit page (status, signature, why it cannot go live)."""

from wagtail.admin.panels import Panel

from .gate import file_scan_refusal, scan_status_of, scanning_enabled


class FileScanPanel(Panel):
    def __init__(self, field_name: str = "file", **kwargs):
        super().__init__(**kwargs)
        self.field_name = field_name

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "field_name": self.field_name}

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/panels/file_scan.html"

        def is_shown(self):
            return bool(self.instance is not None and getattr(self.instance, self.panel.field_name, None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            scan = scan_status_of(getattr(self.instance, self.panel.field_name).name)
            context.update(scan=scan, refusal=file_scan_refusal(scan), scanning_enabled=scanning_enabled())
            return context
