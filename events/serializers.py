"""Documents of congresses: series, editions with their programme, sessions, speakers.

Renderers build plain data from the live pages and shape it through the serializers below,
which also describe these documents in the OpenAPI schema.
"""

from rest_framework import serializers

from cms.api.serializers import (
    BodySerializer,
    FileSerializer,
    ImageSerializer,
    LinkedPageSerializer,
    RichTextSerializer,
    TopicRefSerializer,
)

from .blocks import PARTICIPANT_ROLE_VALUES, SESSION_KIND_VALUES


class SpeakerRefSerializer(LinkedPageSerializer):
    photo = ImageSerializer(allow_null=True)


class ParticipantSerializer(serializers.Serializer):
    speaker = SpeakerRefSerializer()
    role = serializers.ChoiceField(choices=PARTICIPANT_ROLE_VALUES)
    role_label = serializers.CharField()
    function = serializers.CharField(allow_blank=True, help_text="Function held at the time.")


class EditionRefSerializer(LinkedPageSerializer):
    number = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    archived = serializers.BooleanField(
        help_text="Frozen: the edition and its exports never change."
    )


class SessionSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="Stable across edits (calendar UID, schedule GUID).")
    type = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=SESSION_KIND_VALUES)
    kind_label = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    room = serializers.CharField(allow_blank=True)
    description = RichTextSerializer()
    cancelled = serializers.BooleanField()
    topics = TopicRefSerializer(many=True)
    participants = ParticipantSerializer(many=True)
    edition = EditionRefSerializer()
    url = serializers.URLField()
    api_url = serializers.URLField()
    jsonld = serializers.JSONField()


class SessionItemSerializer(SessionSerializer):
    """A session in lists (without JSON-LD)."""

    jsonld = None


class ProgrammeSessionSerializer(SessionSerializer):
    """A session as embedded in its edition (without the edition reference nor JSON-LD)."""

    edition = None
    jsonld = None


class HostTownSerializer(serializers.Serializer):
    name = serializers.CharField()
    insee_code = serializers.CharField(allow_blank=True)
    departement = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class EditionDocumentSerializer(FileSerializer):
    kind = serializers.CharField()


class PageMetaMixin(serializers.Serializer):
    url = serializers.URLField()
    api_url = serializers.URLField()
    locale = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)


class EditionItemSerializer(PageMetaMixin):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.SlugField()
    number = serializers.IntegerField()
    theme = serializers.CharField(allow_blank=True)
    tagline = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    archived = serializers.BooleanField()
    host_town = HostTownSerializer()
    venue = VenueSerializer()
    summary = serializers.CharField(allow_blank=True)
    hero_image = ImageSerializer(allow_null=True)
    series = LinkedPageSerializer(allow_null=True)


class EditionSerializer(EditionItemSerializer):
    timezone = serializers.CharField()
    body = BodySerializer()
    documents = EditionDocumentSerializer(many=True)
    sessions = ProgrammeSessionSerializer(many=True)
    links = serializers.DictField(child=serializers.URLField(), help_text="Calendars, schedules.")
    jsonld = serializers.JSONField()


class SeriesSerializer(PageMetaMixin):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.SlugField()
    short_name = serializers.CharField(allow_blank=True)
    organiser = serializers.CharField(allow_blank=True)
    description = RichTextSerializer()
    editions = EditionRefSerializer(many=True)
    jsonld = serializers.JSONField()


class PastFunctionSerializer(serializers.Serializer):
    function = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class SpeakerLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class ParticipationSerializer(serializers.Serializer):
    edition = EditionRefSerializer()
    session = serializers.DictField(help_text="id, title, kind, start, end, api_url")
    role = serializers.CharField()
    role_label = serializers.CharField()
    function = serializers.CharField(allow_blank=True)


class SpeakerItemSerializer(PageMetaMixin):
    id = serializers.IntegerField()
    type = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    honorific = serializers.CharField(allow_blank=True)
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    current_function = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    photo = ImageSerializer(allow_null=True)


class SpeakerSerializer(SpeakerItemSerializer):
    biography = RichTextSerializer()
    past_functions = PastFunctionSerializer(many=True)
    links = SpeakerLinkSerializer(many=True)
    participations = ParticipationSerializer(many=True)
    jsonld = serializers.JSONField()


class SeriesItemSerializer(SeriesSerializer):
    """A series in lists (without JSON-LD)."""

    jsonld = None
