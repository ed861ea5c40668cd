"""Admin forms for event pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class SpeakerPageForm(WagtailAdminPageForm):
    """A speaker's title is derived from the names, so the editor never types it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False

    def clean(self):
        cleaned_data = super().clean()
        names = [cleaned_data.get("given_name", ""), cleaned_data.get("family_name", "")]
        cleaned_data["title"] = " ".join(n for n in names if n).strip()
        return cleaned_data
