"""A journalist's embargoed link, end to end: the editor shares a scheduled communiqué, the
e-mail carries the link, the journalist reads it under the banner and downloads its attachment,
the editor sees the openings and revokes (403), and after go-live a link leads to the public
page."""

import re

SLUG = "le-livre-blanc-des-maires-ruraux-sous-embargo"
TITLE = "Le livre blanc des maires ruraux"
JOURNALIST = "Claire Dumas"
EMAIL = "claire.dumas@example.org"

SETUP = f"""
import datetime
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from press.embargo.models import Journalist
from press.models import CommuniqueAttachment, CommuniquePage, PressIndexPage
Journalist.objects.get_or_create(email={EMAIL!r}, defaults={{"name": {JOURNALIST!r},
    "outlet": "La Nouvelle République"}})
document = get_document_model()(title="Livre blanc (PDF)")
document.file.save("livre-blanc.pdf", ContentFile(b"%PDF-1.4 livre blanc\\n%%EOF\\n"), save=False)
document.save()
photo = CommuniquePage.objects.exclude(hero_image=None).first().hero_image
page = CommuniquePage(title={TITLE!r}, slug={SLUG!r}, publication_date=datetime.date.today(),
    lead="Trente propositions pour les communes rurales.", hero_image=photo, live=False)
page.attachments.add(CommuniqueAttachment(document=document))
PressIndexPage.objects.first().add_child(instance=page)
page.go_live_at = timezone.now() + datetime.timedelta(days=2)
page.save_revision().publish()
print(page.pk)
"""


def _mailed_link(server) -> str:
    """The link in the last e-mail the server wrote (file-based mail backend)."""
    files = sorted((server.var_dir / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime)
    assert files, "no e-mail was sent"
    text = files[-1].read_text()
    assert "EMBARGO" in text
    return re.search(r"http://127\.0\.0\.1:\d+/embargo/[\w-]+/", text).group(0)


def test_journalist_embargo_link_end_to_end(admin_page, browser_page, server):
    page_id = int(server.shell(SETUP))
    admin = admin_page

    admin.goto(f"/admin/pages/{page_id}/edit/")
    admin.get_by_role("button", name="Actions").first.click()
    admin.get_by_role("link", name="Partager sous embargo").click()
    admin.get_by_label(re.compile(JOURNALIST)).check()
    admin.get_by_role("button", name="Envoyer les liens").click()
    assert "Lien sous embargo envoyé à 1 journaliste" in admin.locator(".messages").inner_text()

    link = _mailed_link(server)
    journalist = browser_page
    response = journalist.goto(link)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    banner = journalist.locator("[data-embargo-banner]")
    assert "EMBARGO — ne pas publier avant le" in banner.inner_text()
    assert TITLE in journalist.locator("h1").inner_text()
    assert journalist.locator("figure img").evaluate("img => img.naturalWidth") > 0
    with journalist.expect_download() as download:
        journalist.get_by_role("link", name="Livre blanc (PDF)").click()
    with open(download.value.path(), "rb") as file:
        assert file.read().startswith(b"%PDF-1.4 livre blanc")

    admin.reload()
    row = admin.locator("[data-embargo-links] tbody tr").filter(has_text=JOURNALIST)
    assert "Livre blanc (PDF)" in row.inner_text()  # the download is listed among the openings
    row.get_by_role("button", name="Révoquer").click()
    assert "révoqué" in admin.locator(".messages").inner_text()

    response = journalist.goto(link)
    assert response.status == 403
    assert "révoqué" in journalist.locator("main").inner_text()

    second = server.manage("embargo_link", str(page_id), EMAIL, "--no-email").strip()
    assert journalist.goto(second).status == 200
    server.shell(
        "from cms.scheduling import publish_now; from press.models import CommuniquePage;"
        "from django.contrib.auth import get_user_model;"
        f"publish_now(CommuniquePage.objects.get(pk={page_id}),"
        " get_user_model().objects.filter(is_superuser=True).first())"
    )
    response = journalist.goto(second)
    assert response.status == 200
    assert journalist.url.endswith(f"/presse/{SLUG}/")
    assert journalist.locator("[data-embargo-banner]").count() == 0
    assert TITLE in journalist.locator("h1").inner_text()
