"""Import one communiqué file as a draft `CommuniquePage`, in one transaction.

Recognition is the parser's (`press.parsing`); matching is `matching`'s; this module decides
create / update / unchanged and writes. Re-imports are keyed on the file's fingerprint
(`ImportRecord`), and ``content_hash`` remembers what the import wrote: when a re-import would
write the same thing, the page, and whatever an editor changed on it since, is left alone.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, override
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from cms.frenchtext import ParseError
from cms.models import OrganisationSettings
from events.importers import ImportFailure, localise_message

from ..models import (
    CommuniqueContact,
    CommuniqueEdition,
    CommuniquePage,
    CommuniqueSpeaker,
    ImportRecord,
    PressIndexPage,
)
from ..parsing import ParsedCommunique, extract_text, fingerprint, parse_communique
from .content import PRESS_RULES, body_stream, boilerplate_value, plain_text
from .matching import match_contacts, match_edition, match_people
from .results import CREATED, FAILED, UNCHANGED, UPDATED, ImportResult

_SLUG_MAX = 80


def _target_parent(parent: PressIndexPage, locale: Locale | None) -> PressIndexPage:
    """The press room in ``locale``: communiqués live in their own language's tree."""
    if locale is None or locale.pk == parent.locale_id:
        return parent
    translation = parent.get_translation_or_none(locale)
    if translation is None:
        raise ImportFailure(
            gettext("The press room “%(title)s” has no version in %(language)s.")
            % {"title": parent.title, "language": locale.get_display_name()}
        )
    return translation.specific


def _unique_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:_SLUG_MAX].rstrip("-") or "communique"
    slug, number = base, 1
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _title(parsed: ParsedCommunique, locale: Locale) -> str:
    if parsed.title:
        return parsed.title[:255]
    with override(locale.language_code):
        return gettext("Press release of %(date)s") % {"date": parsed.date.strftime("%d/%m/%Y")}


def _fields(parsed: ParsedCommunique, key: str, locale: Locale, reference: str) -> dict:
    boilerplate, _kind = boilerplate_value(parsed.boilerplate_text, reference)
    return {
        "title": _title(parsed, locale),
        "dateline_place": parsed.place[:100],
        "publication_date": parsed.date,
        "lead": parsed.lead,
        "body": body_stream(parsed.body_html, key),
        "boilerplate": boilerplate,
    }


def _content_hash(fields: dict, result: ImportResult) -> str:
    """Digest of everything the import writes, relations by id.

    A contact still to be created has no id yet, so the digest then differs from any stored one
    and the page is updated: that only happens when a contact linked before was deleted since.
    """
    data = {
        **fields,
        "contacts": [c.pk or f"new:{c.email or c.name}" for c in result.contacts_all],
        "edition": result.edition.pk if result.edition else None,
        "speakers": [match.page.pk for match in result.speakers],
    }
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _add_links(page: CommuniquePage, result: ImportResult) -> None:
    """Add the import's contacts, edition and people after those already on the page."""
    contacts = list(page.contacts.all())
    known = {link.contact_id for link in contacts}
    contacts += [CommuniqueContact(contact=c) for c in result.contacts_all if c.pk not in known]
    page.contacts = contacts
    editions = list(page.related_editions.all())
    if result.edition and result.edition.pk not in {link.edition_id for link in editions}:
        editions.append(CommuniqueEdition(edition=result.edition))
    page.related_editions = editions
    speakers = list(page.mentioned_speakers.all())
    known = {link.speaker_id for link in speakers}
    speakers += [
        CommuniqueSpeaker(speaker=m.page) for m in result.speakers if m.page.pk not in known
    ]
    page.mentioned_speakers = speakers


def _save_new_contacts(result: ImportResult) -> None:
    for match in result.contacts:
        if match.created:
            match.contact.save()


def _write(result, fields, parent, target_locale, record, publish, user) -> None:
    """Carry out what `_import` decided; only called outside dry runs."""
    if record is None:
        _save_new_contacts(result)
        page = CommuniquePage(**fields, slug=_unique_slug(parent, fields["title"]))
        page.locale = target_locale
        page.live = False
        page.has_unpublished_changes = True
        page.owner = user if user is not None and user.is_authenticated else None
        _add_links(page, result)
        parent.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=user)
        revision = page.save_revision(user=user)
    elif result.status == UPDATED:
        _save_new_contacts(result)
        page = record.page.specific
        current = page.get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(current, name, value)
        _add_links(current, result)
        revision = current.save_revision(user=user, log_action=True)
    elif publish and (not record.page.live or record.page.has_unpublished_changes):
        page = record.page.specific
        revision = page.get_latest_revision() or page.save_revision(user=user)
        result.status = UPDATED
        result.warnings.append(gettext("The existing draft was published."))
    else:
        return
    if publish:
        revision.publish(user=user)
    ImportRecord.objects.update_or_create(
        fingerprint=result.fingerprint,
        defaults={
            "source_filename": result.filename[-255:],
            "page": page,
            "kind": "communique",
            "content_hash": _content_hash(fields, result),
            "imported_at": timezone.now(),
        },
    )
    page.refresh_from_db()
    result.page = page


def _import(result, data, parent, locale, publish, dry_run, user) -> None:
    result.fingerprint = fingerprint(data)
    fmt, content = extract_text(data, result.filename)
    parent = _target_parent(parent, locale)
    site = parent.get_site()
    reference = plain_text(OrganisationSettings.for_site(site).boilerplate) if site else ""
    parsed = parse_communique(content, fmt, boilerplate_reference=reference or None)
    result.parsed = parsed.to_dict()
    result.warnings += [localise_message(w, PRESS_RULES) for w in parsed.warnings]
    result.contacts = match_contacts(parsed.contacts, result.warnings)
    result.edition, reason = match_edition(parsed.edition, parent.locale)
    if result.edition is None and parsed.edition is not None:
        mention = result.parsed["edition"]
        result.unmatched_edition = {"mention": mention, "reason": reason}
    result.speakers, result.suggestions = match_people(parsed.people, parent.locale)
    fields = _fields(parsed, result.fingerprint, parent.locale, reference)
    result.boilerplate = boilerplate_value(parsed.boilerplate_text, reference)[1]
    content_hash = _content_hash(fields, result)
    record = ImportRecord.objects.filter(fingerprint=result.fingerprint).first()
    if record is None:
        result.status = CREATED
        twins = CommuniquePage.objects.child_of(parent).filter(
            title=fields["title"], publication_date=fields["publication_date"]
        )
        for twin in twins:
            result.warnings.append(
                gettext("A communiqué with the same title and date already exists (page %(id)s).")
                % {"id": twin.pk}
            )
    else:
        result.page = record.page.specific
        result.status = UNCHANGED if record.content_hash == content_hash else UPDATED
    if not dry_run:
        _write(result, fields, parent, parent.locale, record, publish, user)


def import_communique(
    data: bytes,
    filename: str,
    *,
    parent: PressIndexPage,
    locale: Locale | None = None,
    publish: bool = False,
    dry_run: bool = False,
    user=None,
) -> ImportResult:
    """Create or update the draft communiqué of one source file (.md, .txt, .html, .docx).

    Everything for the file happens in one transaction: a file that fails (unreadable, no date,
    too large…) gets status ``failed`` with a translated reason and leaves nothing behind. With
    ``dry_run`` nothing is written and the result says what would happen. ``publish`` publishes
    the new revision instead of leaving it as a draft.
    """
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        with transaction.atomic():
            _import(result, data, parent, locale, publish, dry_run, user)
    except ImportFailure as error:
        result.fail(str(error))
    except ParseError as error:
        result.fail(localise_message(str(error), PRESS_RULES))
    except ValidationError as error:
        result.fail(" ".join(error.messages))
    except IntegrityError:
        result.fail(gettext("The same file was being imported at the same time; try again."))
    if result.status == FAILED:
        result.page = None
    return result
