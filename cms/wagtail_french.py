"""French wording of Wagtail's generic admin strings, where Wagtail's own reads badly.

Wagtail builds sentences from a model's verbose name without knowing its gender or number
(« Choisir un autre thématique », « Modifier ce/cette contact presse », « Ajouter un(e)
éditions ») and names its go-live field like our communiqués' printed date. Our catalogue
(`locale/fr`, first in LOCALE_PATHS) overrides Wagtail's: these msgids are marked here so that
`makemessages` keeps them, and their French, written to read right for any noun, lives in our
.po. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

WAGTAIL_MSGIDS = [
    gettext_noop("Add %(label)s"),
    gettext_noop("Choose another %(object)s"),
    gettext_noop("Edit this %(object)s"),
    gettext_noop("Are you sure you want to delete this %(snippet_type_name)s?"),
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    gettext_noop("go live date/time"),
    gettext_noop("expiry date/time"),
    gettext_noop("Status: "),
    gettext_noop("Current page status:"),
    gettext_noop("Locking status"),
]
