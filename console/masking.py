"""Masking of phone and ID numbers in lists (138****5678)."""

from __future__ import annotations


def mask(value: str | None) -> str:
    """Keep the first 3 and last 4 characters, star the rest; short values are fully starred."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
