"""Import one communiqué file as draft `CommuniquePage`s, in one transaction.

Recognition is the parser's (`press.parsing`); matching is `matching`'s; this module decides
create / update / unchanged and writes. Re-imports are keyed on the file's fingerprint
(`ImportRecord`; one key per item of a listing), and ``content_hash`` remembers what the import
wrote: when a re-import would write the same thing, the page, and whatever an editor changed
on it since, is left alone.

The dry run is the real run inside a transaction that is then rolled back: the same writes,
validations and database constraints, so it cannot announce « créé » for a file the real run
would refuse. Renders the writes scheduled for after the commit never happen (they are
forgotten with the rollback).
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

from cms.models import OrganisationSettings
from cms.ordering import numbered
from cms.pipeline.signals import discarding_scheduled_renders
from events.importers import ImportFailure, localise_message

from ..models import (
    CommuniqueContact,
    CommuniqueEdition,
    CommuniquePage,
    CommuniqueSpeaker,
    ImportRecord,
    PressIndexPage,
)
from ..parsing import ParsedCommunique, ParseError, fingerprint, parse_document
from ..services import create_contact
from .content import PRESS_RULES, body_stream, boilerplate_value, plain_text
from .matching import match_contacts, match_edition, match_people
from .results import CREATED, UNCHANGED, UPDATED, ImportResult

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


def review_lines(parsed: ParsedCommunique, locale: Locale) -> list[str]:
    """The review checklist in the press room's language, one line per item."""
    lines = []
    with override(locale.language_code):
        for item in parsed.review:
            message = localise_message(item.message, PRESS_RULES)
            if item.line:
                message = gettext("%(message)s (line %(line)s of the file)") % {
                    "message": message,
                    "line": item.line,
                }
            lines.append(f"– {message}")
    return lines


def _fields(parsed: ParsedCommunique, key: str, locale: Locale, reference: str) -> dict:
    boilerplate, _kind = boilerplate_value(parsed.boilerplate_text, reference)
    return {
        "title": _title(parsed, locale),
        "dateline_place": parsed.place[:100],
        "publication_date": parsed.date,
        "lead": parsed.lead,
        "body": body_stream(parsed.body_html, key),
        "boilerplate": boilerplate,
        "import_review": "\n".join(review_lines(parsed, locale)),
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
    page.contacts = numbered(contacts)
    editions = list(page.related_editions.all())
    if result.edition and result.edition.pk not in {link.edition_id for link in editions}:
        editions.append(CommuniqueEdition(edition=result.edition))
    page.related_editions = numbered(editions)
    speakers = list(page.mentioned_speakers.all())
    known = {link.speaker_id for link in speakers}
    speakers += [
        CommuniqueSpeaker(speaker=m.page) for m in result.speakers if m.page.pk not in known
    ]
    page.mentioned_speakers = numbered(speakers)


def _save_new_contacts(result: ImportResult, publish: bool, user) -> None:
    """New contacts are drafts, published only with a communiqué the import publishes: numbers
    read from a file reach no public document before an editor has checked them. Publishing
    an import also publishes the contacts an earlier import of it left as never-published
    drafts (never those an editor unpublished)."""
    user = user if user is not None and user.is_authenticated else None
    for match in result.contacts:
        if match.created:
            create_contact(match.contact, user=user, publish=publish)
        elif publish and match.contact.first_published_at is None:
            revision = match.contact.get_latest_revision()
            if revision is not None:
                revision.publish(user=user)


def _write(result, fields, parent, target_locale, record, publish, user) -> None:
    """Carry out what `_import` decided; only called outside dry runs."""
    if record is None:
        _save_new_contacts(result, publish, user)
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
        _save_new_contacts(result, publish, user)
        page = record.page.specific
        current = page.get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(current, name, value)
        _add_links(current, result)
        revision = current.save_revision(user=user, log_action=True)
    elif publish and (not record.page.live or record.page.has_unpublished_changes):
        _save_new_contacts(result, publish, user)
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


def _import_item(result, parsed, parent, publish, user, reference) -> None:
    """Decide and write the draft of one parsed communiqué (the same in a dry run)."""
    result.parsed = parsed.to_dict()
    result.review = [
        {"field": item.field, "message": localise_message(item.message, PRESS_RULES),
         "line": item.line}
        for item in parsed.review
    ]  # fmt: skip
    result.date_flagged = parsed.date_flagged
    result.warnings += [item["message"] for item in result.review]
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
    try:
        _write(result, fields, parent, parent.locale, record, publish, user)
    except ValidationError as error:
        raise ImportFailure(_validation_message(error, parsed)) from error


def _validation_message(error: ValidationError, parsed: ParsedCommunique) -> str:
    """« Field “lieu” (line 3): … » for each invalid field: what to fix, and where."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, errors in error.message_dict.items():
        try:
            label = str(CommuniquePage._meta.get_field(name).verbose_name)
        except Exception:  # a form-level or unknown key: name it as it is
            label = name
        text = " ".join(errors)
        if line := parsed.lines.get(name):
            parts.append(
                gettext("Field “%(field)s” (line %(line)s of the file): %(errors)s")
                % {"field": label, "line": line, "errors": text}
            )
        else:
            parts.append(
                gettext("Field “%(field)s”: %(errors)s") % {"field": label, "errors": text}
            )
    return " ".join(parts)


def _item_key(file_key: str, index: int, count: int) -> str:
    """Re-import key of one item: the file's fingerprint, or one derived per listing item."""
    if count == 1:
        return file_key
    return hashlib.sha256(f"{file_key}:{index}".encode()).hexdigest()


def _import_file(results, data, filename, parent, locale, publish, dry_run, user, year):
    """Parse and write every communiqué of one file; raises to roll the whole file back."""
    file_key = fingerprint(data)
    results[0].fingerprint = file_key
    parent = _target_parent(parent, locale)
    site = parent.get_site()
    reference = plain_text(OrganisationSettings.for_site(site).boilerplate) if site else ""
    document = parse_document(
        data, filename, default_year=year, boilerplate_reference=reference or None
    )
    count = len(document.items)
    for index, parsed in enumerate(document.items):
        if index:
            results.append(ImportResult(filename=filename, dry_run=dry_run))
        result = results[index]
        result.fingerprint = _item_key(file_key, index, count)
        if count > 1:
            result.item = index + 1
            result.warnings.append(
                gettext("Item %(index)s of %(count)s of a listing.")
                % {"index": index + 1, "count": count}
            )
        _import_item(result, parsed, parent, publish, user, reference)
    for result in results:
        result.snapshot = result.to_dict()


def import_file(
    data: bytes,
    filename: str,
    *,
    parent: PressIndexPage,
    locale: Locale | None = None,
    publish: bool = False,
    dry_run: bool = False,
    user=None,
    default_year: int | None = None,
) -> list[ImportResult]:
    """Create or update the draft communiqués of one source file, one per item of a listing.

    Everything for the file happens in one transaction: a file that fails (unreadable, a
    listing that cannot be split, a field the page refuses…) gets one result with status
    ``failed`` and a translated reason naming the field and line, and leaves nothing behind.
    With ``dry_run`` the very same writes happen and are rolled back. ``publish`` publishes
    the new revisions instead of leaving drafts; ``default_year`` dates datelines without year.
    """
    results = [ImportResult(filename=filename, dry_run=dry_run)]
    reason = ""
    try:
        with discarding_scheduled_renders(dry_run), transaction.atomic():
            _import_file(results, data, filename, parent, locale, publish, dry_run, user,
                         default_year)  # fmt: skip
            if dry_run:
                transaction.set_rollback(True)
    except ImportFailure as error:
        reason = str(error)
    except ParseError as error:
        reason = localise_message(str(error), PRESS_RULES)
    except ValidationError as error:
        reason = " ".join(error.messages)
    except IntegrityError:
        reason = gettext("The same file was being imported at the same time; try again.")
    if reason:
        failed = ImportResult(
            filename=filename, dry_run=dry_run, fingerprint=results[0].fingerprint
        )
        failed.fail(reason)
        return [failed]
    if dry_run:
        for result in results:
            if result.status == CREATED:
                result.page = None  # rolled back: only the snapshot tells what would exist
            elif result.page is not None:
                result.page.refresh_from_db()  # as it is, not as the rolled-back run left it
    return results


def import_communique(
    data: bytes,
    filename: str,
    *,
    parent: PressIndexPage,
    locale: Locale | None = None,
    publish: bool = False,
    dry_run: bool = False,
    user=None,
    default_year: int | None = None,
) -> ImportResult:
    """`import_file` for callers that show one result (the admin): the first draft, with the
    other items of a listing in ``siblings``."""
    results = import_file(
        data,
        filename,
        parent=parent,
        locale=locale,
        publish=publish,
        dry_run=dry_run,
        user=user,
        default_year=default_year,
    )
    results[0].siblings = results[1:]
    return results[0]
