"""Main content of saved web pages: the communiqué without the site around it."""

from __future__ import annotations

from cms.importing.html import is_chrome_line, main_content_text

PAGE = """<html><body>
<div id="tarteaucitronRoot"><p>Ce site utilise des cookies pour améliorer votre navigation.</p>
<button>Accepter</button></div>
<header class="site-header"><h1 class="logo"><a href="/">Association des maires</a></h1>
<ul><li><a href="/n">Newsletter</a></li><li><a href="/v">Vidéos</a></li>
<li><a href="/r">Rechercher</a></li><li><a href="/c">Mon compte</a></li></ul></header>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/a">Actualités</a></li></ul></nav>
<div class="page"><div class="breadcrumb">Accueil &gt; Actualités &gt; Communiqués</div>
<div class="col"><h2>Les maires demandent un moratoire</h2>
<p>Paris, le 12 mars 2019</p>
<p>Les maires demandent un moratoire sur la fermeture des classes en milieu rural, dit-elle.</p>
<p>Deuxième paragraphe du communiqué, avec ses explications et ses chiffres.</p>
<div class="share-buttons">Partager : <a href="#">Facebook</a> <a href="#">Twitter</a></div>
</div><div class="sidebar"><h3>À lire aussi</h3><ul><li><a href="/1">Un</a></li>
<li><a href="/2">Deux</a></li><li><a href="/3">Trois</a></li></ul></div></div>
<footer><p>© 2019 AMRF</p><a href="/m">Mentions légales</a></footer></body></html>"""


def test_main_content_text_drops_site_chrome():
    text = main_content_text(PAGE)
    assert text.startswith("Les maires demandent un moratoire\n\nParis, le 12 mars 2019")
    for chrome in ("cookies", "Newsletter", "Mon compte", "Accueil", "Partager", "Mentions"):
        assert chrome not in text
    assert "À lire aussi" not in text


def test_main_content_text_prefers_article_and_keeps_page_title():
    page = """<body><header><a href="/">Logo</a></header><div class="hero"><h1>Le titre</h1>
    </div><article><p>Paris, le 3 avril 2024</p><p>Le corps du communiqué, assez long pour
    compter comme un vrai paragraphe de contenu éditorial.</p></article></body>"""
    assert main_content_text(page).split("\n\n")[:2] == ["Le titre", "Paris, le 3 avril 2024"]


def test_is_chrome_line_recognises_site_vocabulary():
    assert is_chrome_line("Newsletter / Vidéos / Rechercher / Mon compte")
    assert is_chrome_line("Accueil > Actualités > Communiqués")
    assert not is_chrome_line("Contact presse")
    assert not is_chrome_line("Les maires ruraux demandent un moratoire")
