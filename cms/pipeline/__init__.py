"""The publish-time pipeline: page → render once → stored document → API, feeds, exports.

Plugins register a `DocumentRenderer` per source model (`register_renderer`) from their
`AppConfig.ready()`; `cms.pipeline.signals` re-renders on publish, unpublish, delete, move,
view-restriction and watched-model changes; `store.process` does the work.
"""

from .context import RenderContext
from .registry import DocumentRenderer, Rendered, page_is_public, register_renderer, source_key

__all__ = [
    "DocumentRenderer",
    "RenderContext",
    "Rendered",
    "page_is_public",
    "register_renderer",
    "source_key",
]
