"""Broadsheet: a self-hosted news-blog engine."""

__version__ = "0.1.0"
