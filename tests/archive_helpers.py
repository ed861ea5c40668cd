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


def manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def rewrite(source: Path, target: Path, changes: dict, extra: dict | None = None, fix=True):
    """Copy a bundle with members replaced (bytes) or removed (None), members added, and the
    manifest recomputed (`fix`) or left as it was."""
    files = {}
    with zipfile.ZipFile(source) as archive:
        for name in archive.namelist():
            files[name] = archive.read(name)
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
            if name != "manifest.json"
        ]
        files["manifest.json"] = dumps(current)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
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
