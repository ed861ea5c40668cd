"""The journalists' links. A host's URLconf adds
``path("embargo/", include("press.embargo.urls"))``.

Human pages, not machine endpoints: they are kept out of `cms.urls` (whose views get CORS,
surrogate keys and JSON errors) and out of the page tree (their answers are never cached).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.embargo_page, name="embargo_page"),
    path("<str:token>/photo/", views.embargo_photo, name="embargo_photo"),
    path("<str:token>/fichiers/<int:document_id>/", views.embargo_file, name="embargo_file"),
]
