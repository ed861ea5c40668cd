"""The core's part of a bundle: site root, home page, organisation, topics, images, documents.

It runs first on import (the plugins' pages hang under the home page and point at images and
topics) and first in `complete` on export, where it collects what the selected content needs:
the ancestors of the selected pages, the images, documents and topics they reference, the
organisation of their site.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ..models import OrganisationSettings, Topic
from ..public import page_url
from ..visibility import public_pages
from .bundle import BundleError
from .media import import_documents, import_images
from .pages import (
    free_pk,
    import_page,
    installed_page_model,
    instance_from_entry,
    snippet_entry,
)
from .references import collector, walk_fields
from .registry import Archiver, Selection, archivers

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .importer import ImportContext
    from .verify import Bundle


def _depth(entry: dict[str, Any]) -> int:
    return entry["url_path"].count("/")


def _pristine(page: Page | None) -> bool:
    """Wagtail's « Welcome to your new Wagtail site! » page, untouched since `migrate`."""
    return (
        page is not None and page.depth == 2 and page.numchild == 0 and page.specific_class is Page
    )


class CoreArchiver(Archiver):
    name = "cms"
    order = 0

    @property
    def record_models(self) -> tuple[type, ...]:  # type: ignore[override]
        """Besides any page type no plugin claims: sites, organisation, topics, media."""
        image = get_image_model()
        renditions = image.get_rendition_model()
        return (Site, OrganisationSettings, Topic, image, renditions, get_document_model())

    def claimed(self) -> tuple[type, ...]:
        return tuple(model for a in archivers for model in a.page_models)

    def complete(self, selection: Selection) -> None:
        for page in list(selection.pages.values()):
            for ancestor in page.get_ancestors().filter(depth__gte=2):
                if ancestor.pk not in selection.pages:
                    selection.add_page(ancestor)
        found: dict[str, set[Any]] = defaultdict(set)
        visit, references = collector(found), selection.public_references()
        for page in selection.pages.values():
            walk_fields(type(page), copy.deepcopy(selection.entry(page)["fields"]), visit)
        for label, pks in list(selection.snippets.items()):
            model = apps.get_model(label)
            for obj in model._default_manager.filter(pk__in=pks):
                walk_fields(model, snippet_entry(obj, references)["fields"], visit)
        selection.references = found
        for pk in Topic.objects.filter(pk__in=found["assises_cms.topic"]).values_list(
            "pk", flat=True
        ):
            selection.add_snippet("assises_cms.topic", pk)
        homes = [p for p in selection.pages.values() if p.depth == 2]
        sites = list(Site.objects.filter(root_page__in=homes).order_by("pk"))
        selection.extra["sites"] = sites
        for org in OrganisationSettings.objects.filter(site__in=sites):
            selection.sources.add(f"assises_cms.organisationsettings:{org.pk}")
            if org.logo_id:
                found["image"].add(org.logo_id)
        selection.images |= {pk for pk in found["image"] if isinstance(pk, int)}
        selection.documents |= {pk for pk in found["document"] if isinstance(pk, int)}
        outside = public_pages(Page.objects.filter(pk__in=found["page"] - set(selection.pages)))
        selection.extra["page_urls"] = {f"page:{page.pk}": page_url(page) for page in outside}
        selection.counts["topics"] = len(selection.snippets["assises_cms.topic"])

    def data(self, selection: Selection) -> dict[str, Any]:
        claimed = self.claimed()
        pages = [
            selection.entry(page)
            for page in sorted(selection.pages.values(), key=lambda p: p.path)
            if not isinstance(page, claimed)
        ]
        sites = selection.extra.get("sites", [])
        organisations = []
        for org in OrganisationSettings.objects.filter(site__in=sites).order_by("site_id"):
            fields = snippet_entry(org, selection.public_references())["fields"]
            fields.pop("site", None)
            # its row number says nothing to anyone: the site's home page places it
            organisations.append({"fields": fields, "site_root": org.site.root_page_id})
        topics = Topic.objects.filter(pk__in=selection.snippets["assises_cms.topic"]).order_by(
            "slug"
        )
        return {
            "root": Page.get_first_root_node().pk,
            "sites": [
                {
                    "hostname": site.hostname,
                    "port": site.port,
                    "site_name": site.site_name,
                    "root_page": site.root_page_id,
                }
                for site in sites
            ],
            "pages": pages,
            "organisations": organisations,
            "topics": [snippet_entry(topic, selection.public_references()) for topic in topics],
            "page_urls": dict(sorted(selection.extra.get("page_urls", {}).items())),
        }

    # -- import -------------------------------------------------------------------------------

    def import_data(self, bundle: Bundle, context: ImportContext) -> None:
        data = bundle.read_json("data/cms.json")
        if data is None:
            raise BundleError(_("The archive has no %(path)s.") % {"path": "data/cms.json"})
        ids, report = context.ids, context.report
        context.urls.update(data.get("page_urls", {}))
        import_images(bundle.read_json("data/images.json", []), context)
        import_documents(bundle.read_json("data/documents.json", []), context)
        root = Page.get_first_root_node()
        ids.set("page", data["root"], root.pk)
        default = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        welcome = default.root_page if default and _pristine(default.root_page) else None
        for entry in sorted(data["pages"], key=_depth):
            at_root = welcome is not None and entry["parent"] == data["root"]
            if at_root and entry["slug"] == welcome.slug:  # room for the archived home page
                Page.objects.filter(pk=welcome.pk).update(slug=f"{welcome.slug}-wagtail")
            import_page(entry, ids, report, match=self.match_home, urls=context.urls)
        for site_entry in data["sites"]:
            home = Page.objects.filter(pk=ids.get("page", site_entry["root_page"])).first()
            if home is not None:
                self.attach_site(home, site_entry, welcome)
        self.import_organisations(data["organisations"], context)
        for entry in data["topics"]:
            topic = Topic.objects.filter(slug=entry["fields"]["slug"]).first()
            if topic is None:
                topic = instance_from_entry(Topic, entry, ids)
                topic.save()
                report.created("assises_cms.topic")
            else:
                report.kept("assises_cms.topic")
            ids.set("assises_cms.topic", entry["id"], topic.pk)

    @staticmethod
    def match_home(entry: dict[str, Any], parent: Page) -> Page | None:
        """A site's existing home page stands for the archived one: of the same type, or of
        whatever type where the archived one's is not installed here (another host's home)."""
        if parent.depth != 1:
            return None
        model = installed_page_model(entry["type"])
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and (model is None or isinstance(site.root_page.specific, model)):
            return site.root_page.specific
        return model.objects.child_of(parent).first() if model is not None else None

    @staticmethod
    def attach_site(home: Page, entry: dict[str, Any], welcome: Page | None) -> None:
        """Make the archived home page a site root: a new site, or in place of the welcome page."""
        if Site.objects.filter(root_page=home).exists():
            return
        default = Site.objects.filter(is_default_site=True).first()
        if default is None:
            Site.objects.create(
                hostname=entry["hostname"],
                port=entry["port"],
                site_name=entry["site_name"],
                root_page=home,
                is_default_site=True,
            )
        elif welcome is not None and default.root_page_id == welcome.pk:
            default.root_page = home
            default.site_name = default.site_name or entry["site_name"]
            default.save()
            welcome.delete()

    @staticmethod
    def import_organisations(entries: list[dict[str, Any]], context: ImportContext) -> None:
        """Fill the organisation's identity only where this site has none yet."""
        for entry in entries:
            site = Site.objects.filter(root_page_id=context.ids.get("page", entry["site_root"]))
            site = site.first()
            if site is None:
                continue
            existing = OrganisationSettings.objects.filter(site=site).first()
            if existing is not None and existing.name:
                context.report.kept("assises_cms.organisationsettings")
                continue
            org = instance_from_entry(OrganisationSettings, entry, context.ids)
            org.pk = existing.pk if existing else free_pk(OrganisationSettings, entry.get("id"))
            org.site = site
            org.save()
            context.report.created("assises_cms.organisationsettings")
