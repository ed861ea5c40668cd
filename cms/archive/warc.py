"""The bundle's WARC capture (`site.warc.gz`): the public site of the archived content as the
web saw it, for web archives (ISO 28500, read by `warcio`, replayed by pywb).

The static site of the bundle is our own rendering for people; a web archive wants the HTTP
exchanges themselves. So every URL is fetched in process, through Django's test client (the
same views, middleware and headers a visitor gets), and written as a `request`/`response`
pair under its public absolute URL (ASSISES["PUBLIC_URL"]), after a `warcinfo` record that says
who captured what and how. What is captured: the public pages of the selection, every API
document (and the public page it describes), the exports (feeds, calendars, schedules), the
media files the bundle holds, and the images, stylesheets and scripts the pages use.

Media and static files are served by the web server in production, not by Django: they are
read from storage and given the headers such a server sends (type, length, modification date).
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable, Iterator
from importlib.metadata import version as package_version
from io import BytesIO
from typing import IO, Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import orjson
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client
from django.utils.http import http_date
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..public import public_base_url
from .bundle import generator

WARC_NAME = "site.warc.gz"
# Headers the test client adds for its own bookkeeping, never sent over the wire.
_INTERNAL_HEADERS = {"x-frame-options-test"}


def document_urls(bodies: Iterable[bytes]) -> list[str]:
    """The API URL of each stored document and the public page it describes, when it has one."""
    base = public_base_url() + "/"
    found: list[str] = []
    for body in bodies:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(data, dict):
            continue
        for key in ("url", "api_url"):
            value = data.get(key)
            if isinstance(value, str) and value.startswith(base):
                found.append(value)
    return found


class Capture:
    """Fetches public URLs in process and writes them to a gzipped WARC file."""

    def __init__(self, output: IO[bytes], host: str, bag: str, description: str) -> None:
        self.base = public_base_url()
        split = urlsplit(self.base)
        self.public_host = split.netloc
        self.secure = split.scheme == "https"
        self.client = Client(HTTP_HOST=host, raise_request_exception=False)
        self.writer = WARCWriter(output, gzip=True)
        self.seen: set[str] = set()
        self.statuses: dict[str, int] = {}
        self.agent = f"{generator()} (in-process capture; warcio {package_version('warcio')})"
        self._warcinfo(bag, description)

    def _warcinfo(self, bag: str, description: str) -> None:
        """First record: what this file is, for whoever opens it without our documentation."""
        info = {
            "software": self.agent,
            "format": "WARC File Format 1.0",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.0/",
            "isPartOf": bag,
            "description": description,
            "http-header-user-agent": self.agent,
            "robots": "ignore (capture of the publisher's own site by the publisher)",
        }
        self.writer.write_record(self.writer.create_warcinfo_record(WARC_NAME, info))

    def absolute(self, url: str) -> str:
        return urljoin(self.base + "/", url)

    def own(self, url: str) -> bool:
        return url == self.base or url.startswith(self.base + "/")

    def capture(self, url: str, discover: bool = True) -> int | None:
        """Fetch `url` (absolute, public) once and record it; returns its HTTP status."""
        url = url.split("#", 1)[0]
        if not self.own(url) or url in self.seen:
            return self.statuses.get(url)
        self.seen.add(url)
        path = url[len(self.base) :] or "/"
        response = self._fetch(path)
        body = self._body(response)
        self._write(url, path, response, body)
        self.statuses[url] = response.status_code
        if discover and response.status_code == 200:
            for linked in self._resources(url, response, body):
                self.capture(linked, discover=False)
        if response.status_code in (301, 302, 303, 307, 308) and response.get("Location"):
            self.capture(self.absolute(response["Location"]), discover=discover)
        return response.status_code

    def _fetch(self, path: str) -> HttpResponse:
        route = unquote(urlsplit(path).path)
        if route.startswith(settings.MEDIA_URL):
            return _file_response(route[len(settings.MEDIA_URL) :], media=True)
        if route.startswith(settings.STATIC_URL):
            return _file_response(route[len(settings.STATIC_URL) :], media=False)
        return self.client.get(path, secure=self.secure)

    @staticmethod
    def _body(response: Any) -> bytes:
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)
        return response.content

    def _write(self, url: str, path: str, response: Any, body: bytes) -> None:
        request_headers = StatusAndHeaders(
            f"GET {path} HTTP/1.1",
            [("Host", self.public_host), ("User-Agent", self.agent), ("Accept", "*/*")],
            is_http_request=True,
        )
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _INTERNAL_HEADERS | {"content-length", "date"}
        ]
        headers += [("Content-Length", str(len(body))), ("Date", http_date())]
        response_headers = StatusAndHeaders(
            f"{response.status_code} {response.reason_phrase}", headers, protocol="HTTP/1.1"
        )
        request = self.writer.create_warc_record(
            url, "request", payload=BytesIO(), http_headers=request_headers
        )
        record = self.writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=response_headers
        )
        self.writer.write_request_response_pair(request, record)

    def _resources(self, url: str, response: Any, body: bytes) -> Iterator[str]:
        """Images, stylesheets and scripts of an HTML page, on this site."""
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        soup = BeautifulSoup(body, "html.parser")
        links: list[str] = []
        for tag in soup.find_all(["img", "source"]):
            links += [tag.get("src") or ""]
            for candidate in (tag.get("srcset") or "").split(","):
                links += candidate.split()[:1]
        for tag in soup.find_all("link", href=True):
            rel = {value.lower() for value in tag.get("rel") or []}
            if rel & {"stylesheet", "icon", "preload"}:
                links.append(tag["href"])
        links += [tag["src"] for tag in soup.find_all("script", src=True)]
        for link in links:
            if link and not link.startswith("data:"):
                yield urljoin(url, link)


def _file_response(name: str, media: bool) -> HttpResponse:
    """A stored file as the web server in front of the site would answer for it."""
    if media:
        if not name or not default_storage.exists(name):
            return HttpResponse(status=404, content_type="text/plain")
        with default_storage.open(name) as handle:
            content = handle.read()
        try:
            modified = default_storage.get_modified_time(name).timestamp()
        except (NotImplementedError, OSError):
            modified = None
    else:
        found = finders.find(name)
        if not found:
            return HttpResponse(status=404, content_type="text/plain")
        path = found[0] if isinstance(found, list) else found
        with open(path, "rb") as handle:
            content = handle.read()
        modified = os.path.getmtime(path)
    kind, encoding = mimetypes.guess_type(name)
    response = HttpResponse(content, content_type=kind or "application/octet-stream")
    if encoding:
        response["Content-Encoding"] = encoding
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def media_url(name: str) -> str:
    """Public absolute URL of a stored media file."""
    return public_base_url() + settings.MEDIA_URL + quote(name)
