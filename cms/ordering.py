"""Every orderable row has a position, so every list a document shows has exactly one order.

Wagtail's admin numbers inline rows (`sort_order`) when it saves a form; code that creates rows
itself — the demo loader, the importers, the services, an archive import — left them NULL, and
`ORDER BY sort_order` over NULLs is whatever order the database happens to read them in. A
document rendered at publication and the same one rendered by `check_api_documents` then listed
contacts or speakers differently. Two rules close that:

- whoever builds rows numbers them (`numbered`), and `fill_sort_order` numbers the rows
  anyone still saves without a position after their siblings, in the order they are saved;
- every ordered relation sorts by a total order: ``TOTAL_ORDER`` (position, then primary key),
  so two rows with one position still come out the same way every time.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Max, Model
from modelcluster.fields import ParentalKey

Row = TypeVar("Row", bound=Model)

# The `ordering` of every Orderable model of the apps: position first, the primary key breaks
# ties. A model ordered by something else (a date) ends with these two.
TOTAL_ORDER = ["sort_order", "pk"]


def numbered(rows: Iterable[Row], start: int = 0) -> list[Row]:
    """The rows, given consecutive positions in the order they come.

    For code that assigns a whole relation (``page.contacts = numbered(...)``): the positions
    travel with the rows into revisions too, so a draft's preview lists them as its
    publication will.
    """
    rows = list(rows)
    for position, row in enumerate(rows, start):
        setattr(row, row.sort_order_field, position)
    return rows


def fill_sort_order(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    """Give a row saved without a position the one after its siblings' (a `pre_save` receiver).

    The admin always numbers rows; this catches any other code (a host's too) that saves an
    Orderable row without one, so that no NULL position reaches the database. Loading fixtures
    (``raw``) stores what the fixture says.
    """
    field = getattr(sender, "sort_order_field", None)
    if raw or field is None or getattr(instance, field, 0) is not None:
        return
    siblings = sender._default_manager.all()
    parents = [f for f in sender._meta.concrete_fields if isinstance(f, ParentalKey)]
    if len(parents) == 1:
        siblings = siblings.filter(**{parents[0].attname: getattr(instance, parents[0].attname)})
    if instance.pk is not None:
        siblings = siblings.exclude(pk=instance.pk)
    last = siblings.aggregate(last=Max(field))["last"]
    setattr(instance, field, 0 if last is None else last + 1)


def fill_nulls(model: type[Model]) -> int:
    """Number the rows of `model` that have no position, after their siblings, in primary-key
    order (the order PostgreSQL lists them in today, NULLs last); for data migrations, which
    pass the historical model. Returns how many rows were numbered."""
    parents = [f for f in model._meta.concrete_fields if isinstance(f, ParentalKey)]
    parent = parents[0].attname if len(parents) == 1 else None
    missing = model._default_manager.filter(sort_order__isnull=True).order_by("pk")
    last: dict[Any, int] = {}
    changed = []
    for row in missing:
        key = getattr(row, parent) if parent else None
        if key not in last:
            siblings = model._default_manager.filter(**({parent: key} if parent else {}))
            found = siblings.aggregate(last=Max("sort_order"))["last"]
            last[key] = -1 if found is None else found
        last[key] += 1
        row.sort_order = last[key]
        changed.append(row)
    model._default_manager.bulk_update(changed, ["sort_order"], batch_size=500)
    return len(changed)
