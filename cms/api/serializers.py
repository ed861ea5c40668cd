"""Shapes shared by every document: rich text, images, files, references to other documents.

These serializers run at publish time only (`Serializer(data).data` keeps exactly the declared
fields, typed) and describe the documents in the OpenAPI schema.
"""

from typing import Any

from rest_framework import serializers


def shape(serializer_class: type[serializers.Serializer], data: Any, many: bool = False) -> Any:
    """Render plain data through a serializer: declared fields only, JSON-ready values."""
    return serializer_class(data, many=many).data


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
    focal_point = FocalPointSerializer(allow_null=True)
    srcset = ImageSourceSerializer(many=True, help_text="Renditions generated at publish time.")


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    filename = serializers.CharField()
    extension = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)


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
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = serializers.URLField()
