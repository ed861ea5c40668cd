"""« Publier maintenant »: a scheduled page goes live at once through Wagtail's publish path."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from cms.scheduling import NotScheduled, publish_now
from press.models import CommuniquePage


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chargee", "c@example.org", "pw")


@pytest.fixture
def scheduled(press_room, admin_user):
    page = press_room.add_child(
        instance=CommuniquePage(
            title="Sous embargo", publication_date=datetime.date(2026, 12, 4), live=False
        )
    )
    page.go_live_at = timezone.now() + datetime.timedelta(days=2)
    page.save_revision(user=admin_user).publish(user=admin_user)  # schedules it
    page.refresh_from_db()
    assert not page.live and page.scheduled_revision is not None
    return page


def test_publish_now_publishes_a_scheduled_page(scheduled, admin_user, committed):
    with committed():
        publish_now(scheduled, admin_user)
    page = CommuniquePage.objects.get(pk=scheduled.pk)
    assert page.live and page.go_live_at is None
    assert page.scheduled_revision is None


def test_publish_now_refuses_a_page_not_scheduled(communique, admin_user):
    with pytest.raises(NotScheduled):
        publish_now(communique, admin_user)


def test_publish_now_action_is_offered_on_a_scheduled_page(client, scheduled, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[scheduled.pk])).content.decode()
    assert "Publier maintenant" in html
    response = client.post(reverse("cms_publish_now", args=[scheduled.pk]))
    assert response.status_code == 302
    assert CommuniquePage.objects.get(pk=scheduled.pk).live


def test_publish_now_needs_publish_permission(client, scheduled, django_user_model):
    user = django_user_model.objects.create_user("lectrice", "l@example.org", "pw")
    client.force_login(user)
    client.post(reverse("cms_publish_now", args=[scheduled.pk]))
    assert not CommuniquePage.objects.get(pk=scheduled.pk).live


def test_default_workflow_and_root_have_french_names(db):
    from wagtail.models import Collection, Page

    assert Workflow.objects.filter(name="Validation par les modérateurs").exists()
    assert Page.objects.get(depth=1).title == "Racine"
    assert Collection.objects.get(depth=1).name == "Racine"
