from cms.cache import content_version


def test_content_version_changes_on_publish(amboise, django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        amboise.save_revision().publish()
    assert content_version() != before


def test_content_version_changes_on_topic_save(db, django_capture_on_commit_callbacks):
    from cms.models import Topic

    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(name="Mobilités", slug="mobilites")
    assert content_version() != before


def test_content_version_stable_without_changes(db):
    assert content_version() == content_version()
