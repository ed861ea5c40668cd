"""The main content of a saved web page, without the site around it.

Associations' archives are often web pages saved from their own site: the communiqué sits in an
``<article>`` between a menu, a search box, « Newsletter / Vidéos / Rechercher / Mon compte »,
share buttons, a cookie banner and a footer with the address. Only the communiqué may reach the
parser, or the chrome becomes its title and lead.

Why our own heuristics on BeautifulSoup rather than readability-lxml, trafilatura or jusText:
those tools are tuned to keep *prose* and drop everything short, and a communiqué's most
important parts are short — the dateline « Paris, le 3 avril 2024 », a one-line title, the
« Contact presse » lines, and, in a listing page, each item's date. In our tests they dropped
exactly those, or the whole of a page listing several news items. They also bring their own
dependency trees (trafilatura pulls a dozen packages) for a job that, on the pages associations
publish, is done by semantic tags plus three rules:

1. the container: ``<main>``/``role=main``, else the ``<article>`` (the parent of all of them
   when a listing page has several of similar size), else the element holding the most
   paragraph text;
2. inside it, chrome removed by tag (nav, aside, form, button, script…), by class/id/role words
   (cookie, share/partage, social, newsletter, breadcrumb/fil d'ariane, menu, pagination,
   related…) and by link density (menus are lists of short links);
3. short elements whose whole text is site vocabulary (« Rechercher », « Mon compte »,
   « Partager sur Facebook », « Accepter les cookies »…) removed; `is_chrome_line` applies the
   same vocabulary to plain text copied from a site.

The page's ``<h1>`` is put back on top when it sits outside the chosen container (themes often
render the title in a page header), unless it lives in the site header or navigation (logos).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString

_DROP_TAGS = [
    "script", "style", "noscript", "template", "svg", "form", "iframe", "button", "nav",
    "aside", "select", "input", "label", "dialog", "object", "embed", "canvas", "video", "audio",
    "picture", "img", "figure", "link", "meta",
]  # fmt: skip
# Words of class names, ids, roles and aria-labels that mark chrome.
_CHROME_CLASS_RE = re.compile(
    r"(?:^|[-_\s])(?:cookies?|consent|rgpd|gdpr|tarteaucitron|share|sharing|partage|social|"
    r"socials|newsletter|breadcrumbs?|ariane|menu|navbar|nav|navigation|pagination|pager|related|"
    r"similar|comments?|commentaires|sidebar|widget|skip|print|imprimer|toolbar|modal|popup|"
    r"banner|topbar|searchform|search|recherche|login|account|compte|subscribe|abonnement|tags?"
    r"|footer|site-header|masthead)(?:$|[-_\s])",
    re.IGNORECASE,
)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
_CHROME_WORDS = (
    r"newsletters?|lettre d['’]information|vid[ée]os?|photos?|rechercher|recherche|mon compte|"
    r"se connecter|connexion|s['’]inscrire|inscription|d[ée]connexion|accueil|menu|fermer|"
    r"partager(?: sur \w+)?|imprimer|envoyer(?: à un ami| par e-?mail)?|tweeter|facebook|twitter|x|"
    r"linkedin|instagram|youtube|bluesky|mastodon|rss|retour(?: [àa] la liste| aux actualit[ée]s)?"
    r"|lire la suite|en savoir plus|voir plus|voir toutes les actualit[ée]s|haut de page|"
    r"plan du site|mentions l[ée]gales|accessibilit[ée]|nous contacter|adh[ée]rer|"
    r"espace (?:adh[ée]rents?|presse|membres?)|actualit[ée]s|agenda|publications|presse|"
    r"accepter(?: les cookies| tout)?|refuser(?: tout)?|personnaliser|tout accepter|tout refuser|"
    r"param[ée]trer les cookies|gestion des cookies|aller au contenu|passer au contenu|"
    r"t[ée]l[ée]charger(?: le pdf| en pdf)?|version pdf|a\+|a-|fr|en|qui sommes-nous \??"
)
_CHROME_LINE_RE = re.compile(
    rf"^\s*(?:{_CHROME_WORDS})(?:\s*[/|•·>›»,–—-]+\s*(?:{_CHROME_WORDS}))*\s*[/|•·>›»]*\s*$",
    re.IGNORECASE,
)
_COOKIE_SENTENCE_RE = re.compile(
    r"\b(?:ce site|notre site|nous)\b.{0,80}\b(?:utilis\w+|d[ée]pos\w+)\b.{0,40}\bcookies?\b"
    r"|\bcookies?\b.{0,60}\b(?:accepter|consentement|navigation)\b",
    re.IGNORECASE,
)
_BREADCRUMB_RE = re.compile(r"^\s*(?:vous [êe]tes ici\s*:?\s*)?accueil\s*[>›»/]", re.IGNORECASE)
_COPYRIGHT_RE = re.compile(r"^\s*(?:©|\(c\)|copyright)\s", re.IGNORECASE)
_MAX_CHROME_CHARS = 160
_TEXT_BLOCKS = {"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article"}
_TEXT_BLOCKS |= {"header", "footer", "tr", "blockquote", "ul", "ol"}
_BLOCKS = ["p", "div", "section", "li", "ul", "ol", "span", "a", "h2", "h3", "h4", "h5", "h6"]


def is_chrome_line(text: str) -> bool:
    """True for a line that is website furniture, not content: « Newsletter / Vidéos / Mon
    compte », « Accueil > Actualités > … », « Partager sur Facebook », a cookie notice."""
    line = " ".join(text.split())
    if not line or len(line) > _MAX_CHROME_CHARS * 2:
        return False
    return bool(
        _CHROME_LINE_RE.match(line)
        or _BREADCRUMB_RE.match(line)
        or _COPYRIGHT_RE.match(line)
        or (len(line) <= _MAX_CHROME_CHARS * 2 and _COOKIE_SENTENCE_RE.search(line))
    )


def _marks_chrome(element: Tag) -> bool:
    if element.attrs is None:
        return False
    if (element.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if element.get("aria-hidden") == "true" or element.has_attr("hidden"):
        return True
    words = " ".join(
        [*element.get("class", []), element.get("id") or "", element.get("aria-label") or ""]
    )
    return bool(words.strip()) and bool(_CHROME_CLASS_RE.search(words))


def _text_length(element: Tag) -> int:
    return len(" ".join(element.get_text(" ").split()))


def _link_density(element: Tag) -> float:
    total = _text_length(element)
    if not total:
        return 0.0
    linked = sum(_text_length(a) for a in element.find_all("a"))
    return linked / total


def _paragraph_score(element: Tag) -> int:
    """Text in the element's own paragraphs: where the prose is, the content is."""
    return sum(
        _text_length(child)
        for child in element.find_all(["p", "li", "h2", "h3", "br"], recursive=False)
    ) + sum(len(str(s).strip()) for s in element.find_all(string=True, recursive=False))


def _choose_container(body: Tag) -> Tag:
    main = body.find("main") or body.find(attrs={"role": "main"})
    if isinstance(main, Tag) and _text_length(main) > 80:
        return main
    articles = [a for a in body.find_all("article") if _text_length(a) > 80]
    if articles:
        articles.sort(key=_text_length, reverse=True)
        if len(articles) == 1 or _text_length(articles[0]) >= 2 * _text_length(articles[1]):
            return articles[0]
        parent = articles[0].parent
        while parent is not None and not all(parent in a.parents for a in articles):
            parent = parent.parent
        return parent if isinstance(parent, Tag) else body
    candidates = [body, *body.find_all(["div", "section", "td"])]
    best = max(candidates, key=_paragraph_score)
    if _paragraph_score(best) <= 0:
        return body
    # The best paragraph holder may be one of several sibling items (a listing's cards): then
    # the content is their parent.
    parent = best.parent
    if isinstance(parent, Tag) and parent is not body.parent:
        siblings = [
            child
            for child in parent.find_all(best.name, recursive=False)
            if child.get("class") == best.get("class") and _paragraph_score(child) > 0
        ]
        if len(siblings) >= 2:
            return parent
    return _with_header(best, body)


def _with_header(best: Tag, body: Tag) -> Tag:
    """Climb from the paragraphs to the element that also holds their title and date.

    Themes put the title and « Publié le … » in siblings of the text's own element; the parent
    is taken while it adds a heading or a date and little else.
    """
    for _level in range(3):
        if best.find("h1"):
            break
        parent = best.parent
        if not isinstance(parent, Tag) or parent is body or parent.name in {"html", "[document]"}:
            break
        own = {id(element) for element in best.find_all(["h1", "h2", "time"])}
        extra = [e for e in parent.find_all(["h1", "h2", "time"]) if id(e) not in own]
        if not extra or _text_length(parent) > 2 * _text_length(best) + 300:
            break
        best = parent
    return best


def _drop_chrome(container: Tag) -> None:
    for comment in container.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in container.find_all(_DROP_TAGS):
        element.decompose()
    for element in container.find_all(True):
        if element.attrs is None:  # already removed with an ancestor
            continue
        section = element.name in {"header", "footer"}
        if (section and _marks_chrome_section(element)) or (
            not section and _marks_chrome(element) and not element.find(["h1", "h2"])
        ):
            element.decompose()
    for element in container.find_all(["ul", "ol", "div", "p", "section"]):
        if element.attrs is None:
            continue
        links = element.find_all("a")
        if len(links) >= 3 and _link_density(element) > 0.7 and _text_length(element) < 600:
            element.decompose()
    for element in container.find_all(_BLOCKS):
        if element.attrs is None:
            continue
        text = element.get_text(" ")
        if is_chrome_line(text):
            element.decompose()


def _marks_chrome_section(element: Tag) -> bool:
    """A header/footer inside the content is chrome unless it carries the title or a date."""
    if element.find(["h1", "h2", "time"]):
        return False
    return _link_density(element) > 0.5 or _text_length(element) < 40 or _marks_chrome(element)


def _outside_title(soup: BeautifulSoup, container: Tag) -> Tag | None:
    if container.find("h1"):
        return None
    for h1 in soup.find_all("h1"):
        if container in h1.parents:
            continue
        in_chrome = any(
            p.name in {"header", "nav"} or _marks_chrome(p) for p in h1.parents if p.attrs
        )
        if in_chrome and not any(p.name in {"main", "article"} for p in h1.parents):
            continue
        if not is_chrome_line(h1.get_text(" ")):
            return h1
    return None


READ_MORE_RE = re.compile(
    r"^\W*(?:lire\s+la\s+suite|en\s+savoir\s+plus|lire\s+l['’]article|voir\s+l['’]article|"
    r"lire\s+le\s+communiqu[ée]|suite\s+de\s+l['’]article)\W*$",
    re.IGNORECASE | re.MULTILINE,
)


def listing_hint(source: str) -> int:
    """How many news items the page's main content seems to list (0 or 1 for an article).

    Counted before chrome is removed: « Lire la suite » links and ``<article>`` elements are
    what a listing page is made of; asides and menus (« À lire aussi ») are left out first.
    """
    soup = BeautifulSoup(source, "html.parser")
    body = soup.body or soup
    for element in body.find_all(["nav", "aside", "footer", "script", "style", "template"]):
        element.decompose()
    container = _choose_container(body)
    articles = [a for a in container.find_all("article") if _text_length(a) > 80]
    read_more = [
        element
        for element in container.find_all(["a", "p", "span", "div"])
        if READ_MORE_RE.match(" ".join(element.get_text(" ").split()))
        and not element.find(["p", "div"])
    ]
    return max(len(articles) if len(articles) > 1 else 0, len(read_more))


def main_content_html(source: str) -> str:
    """The HTML of the page's main content, chrome removed; the source itself if it is a
    fragment without any page structure worth choosing from."""
    soup = BeautifulSoup(source, "html.parser")
    body = soup.body or soup
    for element in body.find_all(["script", "style", "noscript", "template"]):
        element.decompose()
    container = _choose_container(body)
    title = _outside_title(soup, container)
    title_html = f"<h1>{title.get_text(' ', strip=True)}</h1>" if title is not None else ""
    _drop_chrome(container)
    if container is soup or container.name == "[document]":
        inner = "".join(str(child) for child in container.children)
    else:
        inner = container.decode_contents()
    return title_html + inner


def main_content_text(source: str) -> str:
    """Plain text of `main_content_html`: one line per block, blank lines between paragraphs."""
    soup = BeautifulSoup(main_content_html(source), "html.parser")
    parts: list[str] = []

    def walk(node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            parts.append(re.sub(r"\s+", " ", str(node)))
            return
        if node.name == "br":
            parts.append("\n")
            return
        block = node.name in _TEXT_BLOCKS
        if block:
            parts.append("\n\n")
        for child in node.children:
            walk(child)
        if block:
            parts.append("\n\n")

    for child in list(soup.children):
        walk(child)
    text = "".join(parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
