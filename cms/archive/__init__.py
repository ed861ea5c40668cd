"""Archive bundles: a congress's documents, data, media and static site in one verified zip.

`export_archive` writes a bundle, `import_archive` recreates its content in another (or the same)
site. The machinery here is generic; each plugin registers an `Archiver` from its
`AppConfig.ready()` saying what it puts in a bundle and how to bring it back.

Layout (format "assises-archive", version 1)::

    api/<kind>/<id>.json      stored API documents, byte for byte
    data/<archiver>.json      field values for re-import (cms, events, press, images, documents)
    media/<storage name>      original images, referenced renditions, documents
    calendar/ schedule/ feeds/  exports, byte for byte as the site serves them
    site/…/index.html         static site, relative links only; index.html opens it
    manifest.json             written last: format, version, generator, created_at, counts,
                              and path, sha256 and size of every other member

Primary keys are kept on import when they are free, so that a new site answers the same API
URLs and a round trip (export, import into an empty database, export) gives the same manifest
but for `created_at`. Two things are not carried over exactly: documents that describe content
outside the bundle (a series or a speaker shared with editions not exported) list what the
importing site has; and an edition feed without any communiqué is left out, since its
generator dates an empty feed « now ».
"""

from .bundle import FORMAT, FORMAT_VERSION, BundleError
from .registry import Archiver, DocumentReader, IndexSection, Selection, SitePage, register_archiver

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Archiver",
    "BundleError",
    "DocumentReader",
    "IndexSection",
    "Selection",
    "SitePage",
    "register_archiver",
]
