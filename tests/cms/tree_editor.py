"""One editor changing the page tree as fast as it can, as Wagtail's admin views do.

Run as a process of its own (``python tests/cms/tree_editor.py SEED OPERATIONS``) beside
others; prints one JSON line: how many operations ran, were skipped (another editor had deleted
the page first, even between a creation and its first revision: a conflict of choices, not
of the database) and the database errors, by type.
Pages are plain Wagtail `Page`s, a type none of the apps defines, as a host's own would be.
"""

import json
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(seed: int, operations: int) -> dict:
    import django

    django.setup()
    from django.core.exceptions import ObjectDoesNotExist, ValidationError
    from django.db import DatabaseError, transaction
    from wagtail import hooks
    from wagtail.actions.copy_page import CopyPageAction
    from wagtail.actions.delete_page import DeletePageAction
    from wagtail.actions.move_page import MovePageAction
    from wagtail.models import Page

    rng = random.Random(seed)
    parents = list(Page.objects.filter(slug__startswith="parent-").order_by("path"))
    done, skipped, errors = 0, 0, {}

    def pick_child() -> Page | None:
        children = list(Page.objects.filter(depth=parents[0].depth + 1, slug__startswith="p-"))
        return rng.choice(children) if children else None

    def create() -> None:  # CreateView.save_action: add_child, then the first revision
        parent = Page.objects.get(pk=rng.choice(parents).pk)
        page = Page(title="Créée", slug=f"p-{uuid.uuid4().hex[:12]}", live=False)
        parent.add_child(instance=page)
        page.save_revision(clean=False)

    def move() -> None:  # MoveConfirmView, or SetPagePositionView's drag and drop
        page = pick_child()
        if page is None:
            return
        if rng.random() < 0.5:
            MovePageAction(page, rng.choice(parents), pos="last-child").execute()
        else:
            sibling = pick_child()
            page.move(sibling, pos=rng.choice(["left", "right"]))

    def copy() -> None:  # CopyView: CopyPageAction with a new slug
        page = pick_child()
        if page is None:
            return
        attrs = {"title": "Copie", "slug": f"p-{uuid.uuid4().hex[:12]}"}
        CopyPageAction(page, to=rng.choice(parents), update_attrs=attrs).execute()

    def delete() -> None:  # DeleteView: one transaction, its hooks, then DeletePageAction
        page = pick_child()
        if page is None:
            return
        with transaction.atomic():
            for fn in hooks.get_hooks("before_delete_page"):
                fn(None, page)
            DeletePageAction(page).execute()

    actions = [create, create, move, move, move, copy, delete]
    for _ in range(operations):
        action = rng.choice(actions)
        try:
            action()
            done += 1
        except (ObjectDoesNotExist, ValidationError):
            skipped += 1
        except DatabaseError as error:
            if "did not affect any rows" in str(error):  # deleted by another editor meanwhile
                skipped += 1
                continue
            name = f"{action.__name__}: {type(error).__name__}"
            errors[name] = errors.get(name, 0) + 1
    return {"done": done, "skipped": skipped, "errors": errors, "pid": os.getpid()}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))), flush=True)
