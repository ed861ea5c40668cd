"""What the communiqué importers write, counted: a failed import or a dry run writes nothing."""

from wagtail.models import Page, Revision

from press.models import ImportRecord, PressContact


def counts() -> tuple[int, ...]:
    """Pages, revisions, press contacts and import records: everything an import may write."""
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PressContact.objects.count(),
        ImportRecord.objects.count(),
    )
