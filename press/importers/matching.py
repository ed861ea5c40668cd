"""Find what a parsed communiqué refers to: press contacts, the congress edition, speakers.

Nothing here writes: new contacts are returned unsaved, so that a dry run and the admin preview
show the very decisions the import will then carry out.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from wagtail.models import Locale

from cms.frenchtext import normalise_name, normalise_text
from cms.ordering import numbered
from events.importers import speakers_by_name
from events.models import CongressEditionPage

from ..models import PressContact, PressContactPhone, normalise_phone
from ..parsing import ParsedContact, ParsedEditionMention, ParsedPerson
from .results import ContactMatch, SpeakerMatch


def contact_key(contact: ParsedContact) -> str:
    """What identifies a contact across imports: the e-mail, else the normalised name."""
    return contact.email.lower() if contact.email else normalise_name(contact.name)


def _new_contact(parsed: ParsedContact, warnings: list[str]) -> PressContact:
    contact = PressContact(name=parsed.name or parsed.email, role=parsed.role, email=parsed.email)
    phones = []
    for phone in parsed.phones:
        try:
            number = normalise_phone(phone.e164)
        except ValidationError:
            warnings.append(
                gettext("%(number)s is not a valid phone number.") % {"number": phone.e164}
            )
            continue
        phones.append(PressContactPhone(number=number, kind=phone.kind))
    contact.phones = numbered(phones)
    return contact


def match_contacts(parsed: list[ParsedContact], warnings: list[str]) -> list[ContactMatch]:
    """Existing contacts matched by e-mail (by name when there is none), else new unsaved ones.

    Matched snippets are left as they are: an old communiqué's numbers must not overwrite
    today's.
    """
    by_name = {normalise_name(c.name): c for c in PressContact.objects.filter(email="")}
    matches: list[ContactMatch] = []
    seen: set[str] = set()
    for item in parsed:
        key = contact_key(item)
        if not key or key in seen:
            if not key:
                warnings.append(gettext("A press contact without name or e-mail was left out."))
            continue
        seen.add(key)
        if item.email:
            existing = PressContact.objects.filter(email__iexact=item.email).order_by("pk").first()
        else:
            existing = by_name.get(key)
        if existing is not None:
            matches.append(ContactMatch(item.name, existing, created=False))
        else:
            matches.append(ContactMatch(item.name, _new_contact(item, warnings), created=True))
    return matches


def _clues(edition: CongressEditionPage, mention: ParsedEditionMention) -> list[bool]:
    """Which parts of the mention agree with ``edition``: number, town, year, exact dates."""
    same_year = (
        mention.start_date is not None and edition.start_date.year == mention.start_date.year
    )
    same_dates = mention.start_date == edition.start_date and mention.end_date in (
        None,
        edition.end_date,
    )
    return [
        mention.number is not None and edition.number == mention.number,
        bool(mention.town) and normalise_text(edition.host_town) == normalise_text(mention.town),
        same_year,
        same_dates,
    ]


def match_edition(
    mention: ParsedEditionMention | None, locale: Locale
) -> tuple[CongressEditionPage | None, str]:
    """The edition a communiqué announces, by number or by host town and dates/year.

    Returns ``(edition, "")`` or ``(None, reason)``. An edition qualifies by its number, by its
    town and year, or by its exact dates; among those the one agreeing on most clues wins, and a
    tie is reported rather than guessed.
    """
    if mention is None:
        return None, gettext("No congress edition is mentioned.")
    editions = list(CongressEditionPage.objects.filter(locale=locale)) or list(
        CongressEditionPage.objects.all()
    )
    scored = []
    for edition in editions:
        number, town, year, dates = _clues(edition, mention)
        if number or (town and year) or dates:
            scored.append((number + town + year + dates, edition))
    quoted = mention.text.rstrip(" .")
    best = max((score for score, _edition in scored), default=0)
    candidates = [edition for score, edition in scored if score == best]
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, gettext("No edition matches “%(text)s”.") % {"text": quoted}
    return None, gettext("Several editions match “%(text)s”: %(titles)s.") % {
        "text": quoted,
        "titles": ", ".join(edition.title for edition in candidates),
    }


def match_people(
    people: list[ParsedPerson], locale: Locale
) -> tuple[list[SpeakerMatch], list[dict[str, str]]]:
    """Speakers found by normalised name, and the others as suggestions with their function."""
    index = speakers_by_name(locale)
    matched, suggestions, seen = [], [], set()
    for person in people:
        page = index.get(normalise_name(person.name))
        if page is None:
            suggestions.append(
                {"name": person.name, "function": person.function, "context": person.context}
            )
        elif page.pk not in seen:
            seen.add(page.pk)
            matched.append(SpeakerMatch(person.name, person.function, page))
    return matched, suggestions
