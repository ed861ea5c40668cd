"""Bring Markdown, plain text and HTML to one shape: a list of sanitised HTML blocks.

Every later recognition step (dateline, contacts, boilerplate…) then works on the same thing,
whatever the source format. Only the markup the site renders is kept; everything else, notably
scripts, event handlers and inline styles from pasted Word/HTML, is removed by nh3.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt

from cms.frenchtext import ParseError

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li"}
ALLOWED_TAGS |= {"blockquote", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
_BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote"}
# Containers nh3 would unwrap, gluing their texts together; leaf ones become paragraphs first.
_CONTAINERS = ["div", "section", "article", "header", "footer", "main", "aside", "td", "th", "dd"]
_RENAMES = {"h1": "h2", "h5": "h4", "h6": "h4"}
_markdown = MarkdownIt("commonmark", {"breaks": True, "html": True})


@dataclass(frozen=True)
class Block:
    """One top-level block: its sanitised HTML and its text, with line breaks kept as newlines."""

    tag: str
    html: str
    text: str

    @property
    def lines(self) -> list[str]:
        """Non-empty stripped lines; datelines and contacts are often line-based within a block."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @property
    def is_heading(self) -> bool:
        return self.tag in {"h2", "h3", "h4"}

    def flat(self) -> FlatText:
        """The block's text with bold spans (``text`` itself has whitespace tidied)."""
        return flatten(list(BeautifulSoup(self.html, "html.parser").children))


def sanitise_html(source: str) -> str:
    """Keep only the markup the site renders (see ALLOWED_TAGS), without scripts or handlers."""
    soup = BeautifulSoup(source, "html.parser")
    for old, new in _RENAMES.items():
        for element in soup.find_all(old):
            element.name = new
    for element in soup.find_all(_CONTAINERS):
        if not element.find([*_BLOCK_TAGS, *_CONTAINERS, "li", "table"]):
            element.name = "p"
    return nh3.clean(
        str(soup), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None
    ).strip()


def _text_to_html(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in p.strip().split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


@dataclass(frozen=True)
class FlatText:
    """Plain text of some markup, with the character spans that were bold."""

    text: str
    bold: list[tuple[int, int]]


def flatten(nodes: list[Tag | NavigableString]) -> FlatText:
    """Plain text where <br> and block boundaries become newlines, plus the bold spans.

    People are spotted by their bold names, so the spans must index this very text.
    """
    parts: list[str] = []
    bold: list[tuple[int, int]] = []
    length = 0

    def emit(piece: str) -> None:
        nonlocal length
        parts.append(piece)
        length += len(piece)

    def walk(node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            emit(re.sub(r"\s+", " ", str(node)))
            return
        if node.name == "br":
            emit("\n")
            return
        edge = "\n" if node.name in _BLOCK_TAGS or node.name == "li" else ""
        emit(edge)
        start = length
        for child in node.children:
            walk(child)
        if node.name in {"strong", "b"}:
            bold.append((start, length))
        emit(edge)

    for node in nodes:
        walk(node)
    return FlatText("".join(parts), bold)


def _make_block(tag: str, markup: str, text: str) -> Block | None:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    clean = "\n".join(line for line in lines if line)
    return Block(tag, markup, clean) if clean else None


def html_to_blocks(sanitised: str) -> list[Block]:
    """Split sanitised HTML into top-level blocks, wrapping loose inline runs into paragraphs."""
    soup = BeautifulSoup(sanitised, "html.parser")
    for link in soup.find_all("a", href=False):
        link.unwrap()  # nh3 dropped an unsafe href (javascript:…): keep only the words
    blocks: list[Block] = []
    run: list[Tag | NavigableString] = []

    def flush() -> None:
        markup = "".join(str(node) for node in run).strip()
        text = flatten(run).text
        if (block := _make_block("p", f"<p>{markup}</p>", text)) is not None:
            blocks.append(block)
        run.clear()

    for node in list(soup.children):
        if isinstance(node, Tag) and node.name in _BLOCK_TAGS:
            flush()
            if (block := _make_block(node.name, str(node), flatten([node]).text)) is not None:
                blocks.append(block)
        else:
            run.append(node)
    flush()
    return blocks


_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<meta>.*?)\r?\n---[ \t]*\r?\n", re.S)
_FRONT_MATTER_KEY_RE = re.compile(
    r"^(?P<key>title|titre|date)\s*:\s*(?P<value>.+?)\s*$", re.I | re.M
)


def _front_matter(content: str) -> str:
    """Markdown exported by Hugo or Jekyll: its ``title:`` and ``date:`` become the heading and
    the dateline, the other keys (tags, layout…) are left out."""
    match = _FRONT_MATTER_RE.match(content)
    if match is None:
        return content
    values = {}
    for item in _FRONT_MATTER_KEY_RE.finditer(match.group("meta")):
        values[item.group("key").lower()] = item.group("value").strip("\"' ")
    title = values.get("title") or values.get("titre") or ""
    header = (f"# {title}\n\n" if title else "") + (
        f"Date : {values['date'][:10]}\n\n" if values.get("date") else ""
    )
    return header + content[match.end() :]


def to_blocks(content: str, fmt: str) -> list[Block]:
    """Normalise ``content`` of format "markdown", "text" or "html" to sanitised blocks."""
    if fmt == "markdown":
        source = _markdown.render(_front_matter(content))
    elif fmt == "text":
        source = _text_to_html(content)
    elif fmt == "html":
        source = content
    else:
        raise ParseError(f"Unknown format {fmt!r}; expected markdown, text or html.")
    return html_to_blocks(sanitise_html(source))
