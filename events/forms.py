"""Admin forms for event pages."""

from django.conf import settings
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class CongressEditionPageForm(WagtailAdminPageForm):
    """Hands the parent series to the page so that its clean() can check sibling numbers.

    A page being created has no tree path yet, so `get_parent()` cannot find the series.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.parent_page is not None:
            self.instance._validation_parent = self.parent_page


class SpeakerPageForm(WagtailAdminPageForm):
    """A speaker's title and slug are derived from the names, so the editor types neither.

    There is no title field on the speaker form, so Wagtail's script that fills the slug from
    the title never runs: an empty slug is derived here from « Prénom Nom », made unique among
    the other speakers (« -2 », « -3 »…). A slug the editor typed in the Promotion tab is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        names = [self.cleaned_data.get("given_name", ""), self.cleaned_data.get("family_name", "")]
        title = " ".join(n for n in names if n).strip()
        self.cleaned_data["title"] = title
        if "slug" in self.fields and not self.cleaned_data.get("slug") and title:
            self.cleaned_data["slug"] = self._free_slug(title)
        return super().clean()

    def _free_slug(self, title: str) -> str:
        base = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        slug, number = base, 1
        while parent is not None and not Page._slug_is_available(slug, parent, self.instance):
            number += 1
            slug = f"{base}-{number}"
        return slug
