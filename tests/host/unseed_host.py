"""Removing Assises, step 1 of docs/install.md: delete the pages of its types.

Run by `run_host.py` as ``python manage.py shell < unseed_host.py`` while the apps are still
installed, before their tables are dropped with `migrate <label> zero`.
"""

from wagtail.models import Page

ASSISES_APPS = ("assises_cms", "assises_events", "assises_press")

for page in Page.objects.filter(content_type__app_label__in=ASSISES_APPS, depth=3):
    page.delete()  # with the pages below it
left = Page.objects.filter(content_type__app_label__in=ASSISES_APPS).count()
assert left == 0, f"{left} Assises pages left"
print("UNSEED pages left:", Page.objects.count())
