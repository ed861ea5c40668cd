"""Journalists' embargoed links: sharing, the link's pages and files, revocation, go-live, the
editor's screen and the `embargo_link` command."""

import datetime
import hashlib
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.documents import get_document_model

from cms.scheduling import publish_now
from press.embargo.admin import links_of
from press.embargo.models import EmbargoLink, EmbargoOpening, Journalist
from press.embargo.services import share
from press.models import CommuniqueAttachment, CommuniquePage
from tests.factories import put_in_state


def _document(title: str, name: str):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


@pytest.fixture
def journalist(db):
    return Journalist.objects.create(
        name="Claire Dumas", outlet="La Nouvelle République", email="claire@example.org"
    )


@pytest.fixture
def embargoed(press_room, communique):
    """A communiqué scheduled to go live in three days, with a photo and an attachment."""
    page = CommuniquePage(
        title="Les maires ruraux publient leur livre blanc",
        slug="livre-blanc-embargo",
        publication_date=datetime.date(2027, 3, 12),
        lead="Le livre blanc sera présenté au congrès.",
        hero_image=communique.hero_image,
    )
    page.attachments.add(CommuniqueAttachment(document=_document("Livre blanc", "livre-blanc.pdf")))
    return put_in_state(press_room, page, "embargoed")


def _token(shared) -> str:
    return shared.url.rsplit("/embargo/", 1)[1].strip("/")


def test_share_embargoed_communique_mails_a_personal_link(embargoed, journalist):
    (shared,) = share(embargoed, [journalist])

    link = EmbargoLink.objects.get()
    token = _token(shared)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.expires_at == embargoed.scheduled_revision.approved_go_live_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.org"]
    assert "EMBARGO — ne pas publier avant le" in message.subject
    assert "EMBARGO — ne pas publier avant le" in message.body
    assert shared.url in message.body


def test_share_public_communique_is_refused(communique, journalist):
    with pytest.raises(ValidationError, match="déjà public"):
        share(communique, [journalist])


def test_share_draft_without_go_live_needs_an_expiry(press_room, journalist):
    page = put_in_state(
        press_room,
        CommuniquePage(title="Brouillon", slug="brouillon-embargo", publication_date="2027-01-01"),
        "draft",
    )
    with pytest.raises(ValidationError, match="expiration"):
        share(page, [journalist])
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    (shared,) = share(page, [journalist], expires_at=tomorrow, send_email=False)
    assert shared.link.expires_at == tomorrow
    assert mail.outbox == []


def test_share_expiry_after_go_live_is_refused(embargoed, journalist):
    with pytest.raises(ValidationError, match="embargo"):
        share(embargoed, [journalist], expires_at=timezone.now() + datetime.timedelta(days=10))


def test_embargo_link_shows_the_communique_under_the_banner(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)

    response = client.get(shared.url)

    assert response.status_code == 200
    text = response.content.decode()
    assert "EMBARGO — ne pas publier avant le" in text
    assert "Les maires ruraux publient leur livre blanc" in text
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    opening = EmbargoOpening.objects.get()
    assert (opening.link, opening.what, opening.outcome) == (
        shared.link,
        EmbargoOpening.PAGE,
        EmbargoOpening.SHOWN,
    )


def test_embargo_link_shows_the_scheduled_revision_not_a_later_draft(client, embargoed, journalist):
    draft = embargoed.get_latest_revision_as_object()
    draft.title = "Titre du brouillon suivant"
    draft.save_revision()
    (shared,) = share(embargoed, [journalist], send_email=False)

    text = client.get(shared.url).content.decode()

    assert "Les maires ruraux publient leur livre blanc" in text
    assert "Titre du brouillon suivant" not in text


def test_embargo_link_unknown_token_is_404(client, db):
    response = client.get("/embargo/pas-un-jeton/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"


def test_embargo_link_revoked_answers_403_at_once(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)
    assert client.get(shared.url).status_code == 200
    call_command("embargo_link", embargoed.pk, journalist.email, "--revoke", stdout=io.StringIO())

    response = client.get(shared.url)

    assert response.status_code == 403
    assert "révoqué" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert list(EmbargoOpening.objects.values_list("outcome", flat=True)) == [
        EmbargoOpening.REFUSED,
        EmbargoOpening.SHOWN,
    ]


def test_embargo_link_expired_answers_403(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)
    EmbargoLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get(shared.url)

    assert response.status_code == 403
    assert "expiré" in response.content.decode()


def test_embargo_file_downloads_its_own_attachment(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)
    document = embargoed.attachments.get().document

    response = client.get(f"{shared.url}fichiers/{document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    opening = EmbargoOpening.objects.get()
    assert (opening.what, opening.document) == (EmbargoOpening.FILE, document)


def test_embargo_file_of_another_communique_is_404(client, embargoed, journalist, press_room):
    other = CommuniquePage(
        title="Autre communiqué", slug="autre-embargo", publication_date="2027-01-01"
    )
    other.attachments.add(CommuniqueAttachment(document=_document("Autre", "autre.pdf")))
    other = put_in_state(press_room, other, "embargoed")
    (shared,) = share(embargoed, [journalist], send_email=False)
    foreign = other.attachments.get().document

    assert client.get(f"{shared.url}fichiers/{foreign.pk}/").status_code == 404
    assert EmbargoOpening.objects.count() == 0


def test_embargo_photo_is_served_through_the_link(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)

    response = client.get(f"{shared.url}photo/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert response["Cache-Control"] == "private, no-store"


def test_embargo_link_after_go_live_leads_to_the_public_page(
    client, embargoed, journalist, committed, admin_user
):
    (shared,) = share(embargoed, [journalist], send_email=False)
    with committed():
        publish_now(embargoed, admin_user)

    response = client.get(shared.url)

    assert response.status_code == 302
    assert response["Location"].endswith("/presse/livre-blanc-embargo/")
    assert EmbargoOpening.objects.get().outcome == EmbargoOpening.PUBLIC


def test_share_view_sends_links_and_lists_openings(admin_client, embargoed, journalist):
    url = f"/admin/press/embargo/{embargoed.pk}/"
    response = admin_client.post(url, {"journalists": [journalist.pk]})
    assert response.status_code == 302
    assert len(mail.outbox) == 1

    page = admin_client.get(url).content.decode()
    assert "Claire Dumas" in page
    assert "Pas encore ouvert" in page
    assert "Révoquer" in page


def test_revoke_view_revokes_the_link(admin_client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)
    response = admin_client.post(f"/admin/press/embargo/{embargoed.pk}/revoke/{shared.link.pk}/")
    assert response.status_code == 302
    shared.link.refresh_from_db()
    assert shared.link.revoked_at is not None


def test_share_view_refuses_editors_who_cannot_publish(client, embargoed, django_user_model):
    user = django_user_model.objects.create_user("stagiaire", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(f"/admin/press/embargo/{embargoed.pk}/").status_code in (302, 403)


def test_links_of_costs_two_queries_whatever_the_openings(
    client, embargoed, journalist, django_assert_num_queries
):
    other = Journalist.objects.create(name="Paul Roux", email="paul@example.org")
    for shared in share(embargoed, [journalist, other], send_email=False):
        client.get(shared.url)
        client.get(f"{shared.url}photo/")
    with django_assert_num_queries(2):
        links = links_of(embargoed)
        openings = [o.document for link in links for o in link.openings.all()]
    assert len(openings) == 4


def test_embargo_link_command_prints_the_link(embargoed, journalist):
    out = io.StringIO()
    call_command("embargo_link", embargoed.pk, "Claire@Example.org", stdout=out)
    assert "/embargo/" in out.getvalue()
    assert len(mail.outbox) == 1


def test_embargo_link_command_unknown_email_needs_a_name(embargoed):
    with pytest.raises(CommandError, match="--name"):
        call_command("embargo_link", embargoed.pk, "nouveau@example.org", "--no-email")
    call_command(
        "embargo_link",
        embargoed.pk,
        "nouveau@example.org",
        "--no-email",
        "--name=Jean Nouveau",
        "--outlet=Ouest-France",
        stdout=io.StringIO(),
    )
    assert Journalist.objects.get(email="nouveau@example.org").outlet == "Ouest-France"
    assert mail.outbox == []


def test_embargo_link_command_bad_input_is_a_clear_error(embargoed, communique, journalist):
    with pytest.raises(CommandError, match="No communiqué"):
        call_command("embargo_link", 999999, journalist.email)
    with pytest.raises(CommandError, match="not an e-mail"):
        call_command("embargo_link", embargoed.pk, "pas-une-adresse")
    with pytest.raises(CommandError, match="déjà public"):
        call_command("embargo_link", communique.pk, journalist.email)


def test_embargo_file_of_a_revoked_link_answers_403(client, embargoed, journalist):
    (shared,) = share(embargoed, [journalist], send_email=False)
    document = embargoed.attachments.get().document
    call_command("embargo_link", embargoed.pk, journalist.email, "--revoke", stdout=io.StringIO())

    response = client.get(f"{shared.url}fichiers/{document.pk}/")

    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    opening = EmbargoOpening.objects.get()
    assert (opening.what, opening.outcome) == (EmbargoOpening.FILE, EmbargoOpening.REFUSED)


def test_embargo_link_command_bad_expiry_is_a_clear_error(embargoed, journalist):
    with pytest.raises(CommandError, match="--expires"):
        call_command("embargo_link", embargoed.pk, journalist.email, "--expires=demain")
    assert EmbargoLink.objects.count() == 0
