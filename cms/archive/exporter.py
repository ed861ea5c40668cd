"""Export: ask the archivers what goes in, then stream the bundle member by member.

Order of the members (deterministic): `api/` (stored documents, sorted by kind and id), `data/`,
`media/` (sorted by storage name), the exports served by the site (`feeds/`, `calendar/`,
`schedule/`…), `site/` and the bundle's `index.html`, the WARC capture `site.warc.gz`, then
`manifest.json`; all of them are the payload of a BagIt bag, whose tag files come last.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from ..models import StoredDocument
from ..public import absolute_url, page_url, public_base_url
from ..visibility import Visibility
from .bundle import BundleError, BundleWriter
from .media import document_entries, image_entries, media_files, write_media
from .registry import DocumentReader, Selection, SitePage, archivers
from .site import Rewriter, render_site, site_path
from .warc import WARC_NAME, Capture, document_urls, media_url


def build_selection(options: dict[str, Any]) -> Selection:
    """What the bundle holds: every archiver selects, then every archiver completes."""
    selection = Selection(options=options)
    for archiver in archivers:
        archiver.select(selection)
    for archiver in archivers:
        archiver.complete(selection)
    _refuse_hidden_pages(selection)
    return selection


def _refuse_hidden_pages(selection: Selection) -> None:
    """Every page of a bundle is public. The archivers select public pages only, but the pages
    above them come along to place them: one that is not public (an unpublished series over
    live editions) would carry its unpublished content, so the export stops and says which.
    """
    visibility = Visibility()
    hidden = sorted(
        (page for page in selection.pages.values() if not visibility.is_public(page)),
        key=lambda page: page.path,
    )
    if hidden:
        raise BundleError(
            _(
                "These pages hold archived content but are not public: %(pages)s. Publish "
                "them (or leave out what is under them) before exporting."
            )
            % {"pages": ", ".join(f"« {page.title} » ({page.pk})" for page in hidden)}
        )


def _media_names(body: bytes) -> set[str]:
    """Storage names of the media files a stored document points at."""
    prefix = re.escape(settings.MEDIA_URL.encode())
    return {unquote(match.decode()) for match in re.findall(prefix + rb'([^"\s<>\\?#]+)', body)}


def _host() -> str:
    """The public host, when this site accepts it (feeds check it), else one it accepts."""
    host = urlsplit(public_base_url()).netloc
    if validate_host(host.rsplit(":", 1)[0], settings.ALLOWED_HOSTS):
        return host
    concrete = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return concrete[0] if concrete else "localhost"


def fetch(url_path: str) -> bytes:
    """What the site serves at `url_path`, produced in-process by the same view."""
    secure = urlsplit(public_base_url()).scheme == "https"
    request = RequestFactory().get(url_path, HTTP_HOST=_host(), secure=secure)
    match = resolve(url_path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise BundleError(
            _("The site answers %(status)s for %(url)s.")
            % {"status": response.status_code, "url": url_path}
        )
    return response.content


def _site_pages(selection: Selection, documents: DocumentReader) -> list[SitePage]:
    pages = [page for a in archivers for page in a.site_pages(selection, documents)]
    sections = sorted(
        (s for a in archivers for s in a.index_sections(selection, documents)),
        key=lambda s: s.order,
    )
    pages.append(SitePage("site/index.html", "assises/archive/index.html", {"sections": sections}))
    pages.append(SitePage("index.html", "assises/archive/redirect.html", {}))
    return pages


def bag_name(target: str | Path | IO[bytes]) -> str:
    """The bag's directory in the zip: the zip's own name, so `x.zip` unpacks to `x/`, as
    people and the `bagit` tool expect."""
    stem = Path(target).stem if isinstance(target, str | Path) else ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")
    return stem or "assises-archive"


def write_bundle(
    target: str | Path | IO[bytes],
    selection: Selection,
    progress: IO[str] | None = None,
    bag: str | None = None,
) -> dict[str, Any]:
    """Write the bundle of `selection` to `target` as a BagIt bag and return its manifest.

    `progress` is where a progress bar goes (the command's stderr), or None for none; `bag` is
    the bag's directory name (by default the target's file name without `.zip`).
    """
    # The content's documents; the site's generic pages (home, indexes) are the importing
    # site's own, so their small `page` documents are not archived.
    documents = StoredDocument.objects.filter(source__in=sorted(selection.sources)).exclude(
        kind="page"
    )
    bar = tqdm(
        total=documents.count(),
        unit=" files",
        desc=_("Archive"),
        file=progress,
        disable=progress is None,
    )
    bag = bag or bag_name(target)
    writer = BundleWriter(target, bag=bag)
    try:
        referenced: set[str] = set()
        rows = documents.order_by("kind", "object_id").values_list("kind", "object_id", "body")
        for kind, object_id, body in rows.iterator():
            body = bytes(body)
            referenced |= _media_names(body)
            writer.write_bytes(f"api/{kind}/{object_id}.json", body)
            bar.update(1)

        images = image_entries(selection.images, referenced)
        docs = document_entries(selection.documents)
        selection.counts.update(images=len(images), documents=len(docs))
        writer.write_json("data/documents.json", docs)
        writer.write_json("data/images.json", images)
        for archiver in archivers:
            data = archiver.data(selection)
            if data:
                writer.write_json(f"data/{archiver.name}.json", data)

        names = list(media_files(images, docs))
        exports = sorted(pair for a in archivers for pair in a.exports(selection))
        reader = DocumentReader(selection.sources)
        site_pages = _site_pages(selection, reader)
        bar.total += len(names) + len(exports) + len(site_pages)
        bar.refresh()
        write_media(writer, names, bar)
        for path, url_path in exports:
            writer.write_bytes(path, fetch(url_path))
            bar.update(1)

        known = {f"media/{name}" for name in names} | {p.path for p in site_pages}
        known |= {path for path, _url in exports}
        urls = {page.url: "/" + page.path for page in site_pages if page.url}
        urls |= {url: "/media/" + name for url, name in _document_urls(docs).items()}
        rewriter = Rewriter(urls, known)
        context = {"organisation": reader.of_kind("organisation")[:1]}
        context["organisation"] = context["organisation"][0] if context["organisation"] else {}
        for path, content in render_site(site_pages, rewriter, context):
            writer.write_bytes(path, content)
            bar.update(1)

        organisation = context["organisation"]
        identifiers = [pair for a in archivers for pair in a.identifiers(selection)]
        description = _describe(identifiers, organisation)
        seeds = _capture_seeds(selection, documents, exports, names)
        bar.total += len(seeds)
        bar.refresh()
        with tempfile.TemporaryFile() as warc:
            capture = Capture(warc, _host(), bag, description)
            for url in seeds:
                capture.capture(url)
                bar.update(1)
            size = warc.tell()
            warc.seek(0)
            writer.write_file(WARC_NAME, warc, size, listed=False)
        bar.close()
        return writer.close(
            dict(selection.counts), _bag_info(organisation, description, identifiers)
        )
    except BaseException:
        bar.close()
        writer.abort()
        raise


def _capture_seeds(
    selection: Selection, documents: Any, exports: list[tuple[str, str]], media: list[str]
) -> list[str]:
    """What the WARC holds, in a stable order: the selected public pages, the API documents
    and the pages they describe, the exports, then the media files of the bundle."""
    pages = []
    visibility = Visibility()
    for page in sorted(selection.pages.values(), key=lambda page: page.path):
        if visibility.is_public(page):
            url = page_url(page)
            if url.startswith(public_base_url()):
                pages.append(url)
    bodies = (
        bytes(body)
        for body in documents.order_by("kind", "object_id")
        .values_list("body", flat=True)
        .iterator()
    )
    seeds = pages + document_urls(bodies)
    seeds += [absolute_url(url_path) for _path, url_path in exports]
    seeds += [media_url(name) for name in media]
    return list(dict.fromkeys(seeds))


def _describe(identifiers: list[tuple[str, str]], organisation: dict[str, Any]) -> str:
    """One sentence for a catalogue: what the bundle preserves and who published it."""
    with translation.override(settings.LANGUAGE_CODE):
        titles = ", ".join(title for _url, title in identifiers) or _("published content")
        return _(
            "Archive of %(titles)s published by %(organisation)s: API documents, data for "
            "re-import, media, exports, a static site to read offline and a WARC capture of "
            "the public site."
        ) % {"titles": titles, "organisation": organisation.get("name") or "Assises"}


def _bag_info(
    organisation: dict[str, Any], description: str, identifiers: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The descriptive fields of `bag-info.txt` (RFC 8493 2.2.2), from the organisation's
    settings as published in its API document."""
    fields = [("Source-Organization", organisation.get("name") or "Assises")]
    address = organisation.get("address") or {}
    parts = [
        address.get("street_address"),
        " ".join(filter(None, [address.get("postal_code"), address.get("locality")])),
        address.get("country"),
    ]
    if any(parts[:2]):
        fields.append(("Organization-Address", ", ".join(filter(None, parts))))
    if organisation.get("email"):
        fields.append(("Contact-Email", organisation["email"]))
    fields.append(("External-Description", description))
    fields += [("External-Identifier", url) for url, _title in identifiers]
    return fields


def _document_urls(entries: list[dict[str, Any]]) -> dict[str, str]:
    """Public URL of each document (Wagtail serves them by id) -> its storage name."""
    from wagtail.documents import get_document_model

    model = get_document_model()
    found = model.objects.in_bulk([entry["id"] for entry in entries])
    return {absolute_url(doc.url): doc.file.name for doc in found.values()}


def page_site_path(url: str) -> str:
    """The bundle path (without the leading slash) of the static page for public `url`."""
    return site_path(url)[1:]
