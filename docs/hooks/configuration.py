"""MkDocs hook: the configuration reference, generated from the settings object.

`operating/configuration.md` holds a marker line, `<!-- settings-table -->`; this hook replaces
it with one row per entry of `cms.conf.DEFAULTS` (name, default as `repr`, help), so the page
cannot drift from the defaults the code applies.

`cms/conf.py` is loaded on its own, from its file, with `DJANGO_SETTINGS_MODULE` unset: the
docs build configures no Django project and imports no other module of `cms` (its
`__init__`, the app registry). The build fails, saying why, when the file is missing, cannot be
loaded without Django settings, or has no `DEFAULTS`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.exceptions import PluginError

MARKER = "<!-- settings-table -->"
PAGE = "operating/configuration.md"
CONF = Path("cms") / "conf.py"
MODULE_NAME = "cms.conf"

_rendered: bool = False


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"configuration reference: cannot load {path}.")
    module = importlib.util.module_from_spec(spec)
    saved_settings = os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    saved_module = sys.modules.get(MODULE_NAME)
    # Registered while it runs, as an import would (dataclasses look their module up there).
    sys.modules[MODULE_NAME] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise PluginError(
            f"configuration reference: loading {path} without Django settings failed "
            f"({type(exc).__name__}: {exc}). cms/conf.py must not read django.conf at import "
            "time, nor import other modules of cms."
        ) from exc
    finally:
        if saved_settings is not None:
            os.environ["DJANGO_SETTINGS_MODULE"] = saved_settings
        if saved_module is not None:
            sys.modules[MODULE_NAME] = saved_module
        else:
            sys.modules.pop(MODULE_NAME, None)
    return module


def _defaults(root: Path) -> dict:
    path = root / CONF
    if not path.is_file():
        raise PluginError(
            f"configuration reference: {path} is missing; the table of settings in {PAGE} "
            "is generated from its DEFAULTS."
        )
    defaults = getattr(_load(path), "DEFAULTS", None)
    if not isinstance(defaults, dict) or not defaults:
        raise PluginError(
            f"configuration reference: {path} has no DEFAULTS (a non-empty dict of setting "
            "name to Setting(default, help))."
        )
    for name, setting in defaults.items():
        if not hasattr(setting, "default") or not isinstance(getattr(setting, "help", None), str):
            raise PluginError(
                f"configuration reference: DEFAULTS[{name!r}] in {path} is not a Setting "
                "with a `default` and a `help` string."
            )
    return defaults


def _code(text: str) -> str:
    """A Markdown code span holding `text` whatever backticks it contains."""
    longest = 0
    run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    """One table cell: on one line, bare pipes escaped (pipes in code spans need no escape)."""
    parts = " ".join(text.split()).split("`")
    return "`".join(part if i % 2 else part.replace("|", "\\|") for i, part in enumerate(parts))


def settings_table(defaults: dict) -> str:
    """One row per setting, in the order cms/conf.py defines them."""
    rows = ["| name | default | help |", "| --- | --- | --- |"]
    for name, setting in defaults.items():
        default = _code(" ".join(repr(setting.default).splitlines()))
        rows.append(f"| {_code(name)} | {default} | {_cell(setting.help)} |")
    return "\n".join(rows)


def on_pre_build(config, **kwargs) -> None:
    global _rendered
    _rendered = False


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    global _rendered
    if page.file.src_uri != PAGE:
        return markdown
    lines = markdown.splitlines()
    if MARKER not in (line.strip() for line in lines):
        raise PluginError(f"configuration reference: {PAGE} has no line {MARKER}.")
    root = Path(config.config_file_path).resolve().parent
    table = settings_table(_defaults(root))
    _rendered = True
    return "\n".join(table if line.strip() == MARKER else line for line in lines) + "\n"


def on_post_build(config, **kwargs) -> None:
    if not _rendered:
        raise PluginError(
            f"configuration reference: {PAGE} was not built, so no table of settings was made."
        )
