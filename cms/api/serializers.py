"""Shapes shared by every document: rich text, images, files, references to other documents.

These serializers run at publish time only (`Serializer(data).data` keeps exactly the declared
fields, typed) and describe the documents in the OpenAPI schema.
"""

from typing import Any

from rest_framework import serializers

_shapers: dict[type, serializers.Serializer] = {}


def _shaper(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    shaper = _shapers.get(serializer_class)
    if shaper is None:
        shaper = _shapers[serializer_class] = serializer_class()
    return shaper


def field_names(serializer_class: type[serializers.Serializer]) -> tuple[str, ...]:
    """The declared fields of a serializer, in order (for a document's list item)."""
    return tuple(_shaper(serializer_class).fields)


def shape(serializer_class: type[serializers.Serializer], data: Any, many: bool = False) -> Any:
    """Render plain data through a serializer: declared fields only, JSON-ready values.

    One serializer instance per class is kept and reused: building one deep-copies every
    declared field, which cost more than the rendering itself. `to_representation` keeps no
    state between calls.
    """
    shaper = _shaper(serializer_class)
    if many:
        return [shaper.to_representation(item) for item in data]
    return shaper.to_representation(data)


class RichTextSerializer(serializers.Serializer):
    html = serializers.CharField(help_text="HTML; internal links resolved to absolute URLs.")
    text = serializers.CharField(help_text="The same content as plain text.")


class FocalPointSerializer(serializers.Serializer):
    x = serializers.IntegerField()
    y = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ImageSourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.CharField(help_text="webp, png, jpeg…")


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The original file.")
    alt = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size = serializers.IntegerField(allow_null=True, help_text="The original file, in bytes.")
    mime_type = serializers.CharField(help_text="The original file's media type.")
    focal_point = FocalPointSerializer(allow_null=True)
    srcset = ImageSourceSerializer(many=True, help_text="Renditions generated at publish time.")


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    filename = serializers.CharField()
    extension = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    mime_type = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="paragraph, heading, quote, image, document, embed")
    id = serializers.CharField()
    value = serializers.JSONField(allow_null=True)


class BodySerializer(serializers.Serializer):
    html = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    blocks = BlockSerializer(many=True)


class LinkedPageSerializer(serializers.Serializer):
    """A reference to another public document: enough to display a link and fetch it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class TopicRefSerializer(serializers.Serializer):
    id = serializers.SlugField(help_text="The topic's slug, as in its `api_url`.")
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = serializers.URLField()
