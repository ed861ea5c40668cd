"""Shared plumbing for importers: reading what associations actually have (PDF, web pages) and
refusing what no one should feed us (oversized files, decompression bombs), whatever the plugin."""
