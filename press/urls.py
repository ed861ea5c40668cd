"""Public communiqué feeds and the news sitemap (mounted by `PressConfig.ready`)."""

from django.urls import path

import cms.inputs  # noqa: F401  (registers the `id` path converter)

from .feeds import feed_view
from .sitemaps import news_sitemap

FORMATS = ("json", "rss", "atom")

urlpatterns = [
    path("sitemap-news.xml", news_sitemap, name="sitemap_news"),
    *(
        path(f"feeds/communiques.{fmt}", feed_view("all", fmt), name=f"communiques_feed_{fmt}")
        for fmt in FORMATS
    ),
    *(
        path(
            f"feeds/communiques/topics/<slug:slug>.{fmt}",
            feed_view("topic", fmt),
            name=f"communiques_topic_feed_{fmt}",
        )
        for fmt in FORMATS
    ),
    *(
        path(
            f"feeds/communiques/editions/<id:edition_id>.{fmt}",
            feed_view("edition", fmt),
            name=f"communiques_edition_feed_{fmt}",
        )
        for fmt in FORMATS
    ),
]
