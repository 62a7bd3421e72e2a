"""Ingest: reading article files, cleaning text, splitting sentences and passages."""
