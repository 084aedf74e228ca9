"""Turning source documents into provisions, and provisions into a search index."""
