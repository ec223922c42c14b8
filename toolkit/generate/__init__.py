"""Generating official documents (agreements, supplements, review opinions) from records."""
