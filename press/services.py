"""What the press office does to its contacts, the same from the admin, an import or the demo."""

from typing import Any

from wagtail.actions.create import CreateAction

from .models import PressContact


def create_contact(contact: PressContact, user: Any = None, publish: bool = False) -> PressContact:
    """Save a new contact (its phones too) with its first revision, as the admin's « Créer » does.

    Unpublished unless `publish`: a draft contact is shown nowhere until someone publishes it,
    so numbers read by an import reach no communiqué before a person has checked them.
    """
    contact = CreateAction(contact, user=user, publish=publish).execute(skip_permission_checks=True)
    if publish:
        contact.refresh_from_db()  # publishing saved a copy made from the revision
    return contact
