"""Forms of the package admin: the upload of a new package, of a new version, and the version actions."""

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from ..models import Package

ZIP_HELP = "A SCORM 1.2, SCORM 2004 or cmi5 package: the ZIP with imsmanifest.xml or cmi5.xml at its root."


class PackageUploadForm(WagtailAdminModelForm):
    """A new package: the ZIP, and optionally a title (else the manifest's), a key and a description."""

    package_file = forms.FileField(
        label="Package (ZIP)", help_text=ZIP_HELP, widget=forms.ClearableFileInput(attrs={"accept": ".zip"})
    )

    class Meta:
        model = Package
        fields = ["package_file", "title", "key", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave empty to use the title in the package's manifest."


class VersionUploadForm(forms.Form):
    package_file = forms.FileField(
        label="New version (ZIP)", help_text=ZIP_HELP, widget=forms.ClearableFileInput(attrs={"accept": ".zip"})
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What changed, for other editors."
    )
    make_current = forms.BooleanField(required=False, initial=True, help_text="New launches use this version at once.")
    move_learners = forms.BooleanField(
        required=False,
        label="Move learners mid-way",
        help_text="Learners with an attempt in progress continue on this version (otherwise they keep theirs).",
    )


class MakeCurrentForm(forms.Form):
    move_learners = forms.BooleanField(
        required=False,
        label="Move learners mid-way",
        help_text="Learners with an attempt in progress continue on this version (otherwise they keep theirs).",
    )
