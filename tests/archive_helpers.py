"""Helpers shared by the archive tests: export a bundle, read it, rewrite it."""

import hashlib
import io
import json
import posixpath
import re
import zipfile
from pathlib import Path

from django.core.management import call_command

from cms.archive.bundle import dumps


def export(path: Path, *args: str) -> Path:
    call_command("export_archive", str(path), *args, "--no-progress", stdout=io.StringIO())
    return path


def payload_prefix(path: Path) -> str:
    """ "<bag>/data/" for a BagIt bundle, "" for the pre-BagIt layout."""
    from cms.archive.verify import payload_prefix as find

    with zipfile.ZipFile(path) as archive:
        return find(archive.namelist())


def members(path: Path) -> dict[str, bytes]:
    """The bundle's payload members by their path in the payload (`api/…`, `manifest.json`)."""
    prefix = payload_prefix(path)
    with zipfile.ZipFile(path) as archive:
        return {
            name[len(prefix) :]: archive.read(name)
            for name in archive.namelist()
            if name.startswith(prefix)
        }


def manifest(path: Path) -> dict:
    return json.loads(members(path)["manifest.json"])


def rewrite(
    source: Path,
    target: Path,
    changes: dict,
    extra: dict | None = None,
    fix=True,
    raw: dict | None = None,
    legacy=False,
):
    """Copy a bundle with payload members replaced (bytes) or removed (None), payload members
    added (`extra`), zip members added as named (`raw`), and the manifests (ours and the bag's
    SHA-256 one) recomputed (`fix`) or left as they were. `legacy` writes the payload at the
    root of the zip, without the bag: a bundle as exports wrote them before BagIt."""
    prefix = payload_prefix(source)
    with zipfile.ZipFile(source) as archive:
        everything = {name: archive.read(name) for name in archive.namelist()}
    files = {n[len(prefix) :]: d for n, d in everything.items() if n.startswith(prefix)}
    tags = {n: d for n, d in everything.items() if not n.startswith(prefix)}
    for name, data in changes.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    files.update(extra or {})
    if fix:
        current = json.loads(files["manifest.json"])
        current["files"] = [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
            if name not in ("manifest.json", "site.warc.gz")
        ]
        files["manifest.json"] = dumps(current)
        if prefix:
            tags[prefix[:-5] + "manifest-sha256.txt"] = "".join(
                f"{hashlib.sha256(data).hexdigest()}  data/{name}\n"
                for name, data in sorted(files.items())
            ).encode()
    if legacy:
        files.pop("site.warc.gz", None)
        prefix, tags = "", {}
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(prefix + name, data)
        for name, data in {**tags, **(raw or {})}.items():
            archive.writestr(name, data)
    return target


def resolve_link(page: str, link: str) -> str | None:
    """The bundle path a relative link of `page` points at (None: outside the bundle)."""
    target = link.split("#", 1)[0]
    if not target:
        return page
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    return None if resolved.startswith("..") else resolved


def message(msgid: str, **params) -> str:
    """A pattern for what a person reads for `msgid`, whether or not it is translated yet."""
    from django.utils.translation import gettext

    text = gettext(msgid)
    return re.escape(text % params if params else text)


def prefix(msgid: str) -> str:
    """A pattern for the words of `msgid` before its first parameter."""
    from django.utils.translation import gettext

    return re.escape(gettext(msgid).split("%(")[0])
