"""Admin forms for event pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class CongressEditionPageForm(WagtailAdminPageForm):
    """Hands the parent series to the page so that its clean() can check sibling numbers.

    A page being created has no tree path yet, so `get_parent()` cannot find the series.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.parent_page is not None:
            self.instance._validation_parent = self.parent_page


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
