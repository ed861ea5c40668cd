"""Generic API plumbing: stored documents out over HTTP. It knows no page type by name."""
