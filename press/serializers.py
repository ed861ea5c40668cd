"""Shapes of the press office's documents: communiqués and press contacts."""

from rest_framework import serializers

from cms.api.serializers import (
    BodySerializer,
    FileSerializer,
    ImageSerializer,
    LinkedPageSerializer,
    RichTextSerializer,
    TopicRefSerializer,
)
from events.serializers import EditionRefSerializer

PHONE_KINDS = ["fixe", "mobile", "autre"]


class PhoneSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="E.164, e.g. +33145440083.")
    national = serializers.CharField(help_text="As written in France: 01 45 44 00 83.")
    kind = serializers.ChoiceField(choices=PHONE_KINDS)


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phones = PhoneSerializer(many=True)
    api_url = serializers.URLField()


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateField()
    note = serializers.CharField()


class CommuniqueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.SlugField()
    dateline_place = serializers.CharField()
    publication_date = serializers.DateField()
    published_at = serializers.DateTimeField(
        help_text="The moment of first publication when it was the printed date's day, "
        "else that date at midnight (Paris time)."
    )
    date_modified = serializers.DateTimeField(
        help_text="The latest dated correction (midnight, Paris time), else `published_at`."
    )
    lead = serializers.CharField(allow_blank=True)
    hero_image = ImageSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    related_editions = EditionRefSerializer(many=True)
    url = serializers.URLField()
    api_url = serializers.URLField()
    locale = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)


class CommuniqueSerializer(CommuniqueItemSerializer):
    translation_key = serializers.UUIDField(help_text="Shared by a communiqué's translations.")
    body = BodySerializer()
    speakers = LinkedPageSerializer(many=True)
    contacts = ContactSerializer(many=True)
    attachments = FileSerializer(many=True)
    corrections = CorrectionSerializer(many=True)
    boilerplate = RichTextSerializer()
    jsonld = serializers.JSONField()
