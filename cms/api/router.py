"""The v1 router: plugins register their viewsets here from `AppConfig.ready()`."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter(trailing_slash=True)
# endpoint prefix -> document kind, for the root listing, path lookups and JSON-LD URLs
endpoints: dict[str, str] = {}


def register(prefix: str, viewset: type, basename: str) -> None:
    """Mount `viewset` at /api/v1/<prefix>/ (explicit basename, as pretalx does)."""
    if prefix in endpoints:
        return
    router.register(prefix, viewset, basename=basename)
    endpoints[prefix] = viewset.kind
