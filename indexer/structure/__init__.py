"""Structural parsing: a RawSection's body becomes a tree of Provisions (see :mod:`.parser`)."""

from __future__ import annotations

from .parser import parse_provisions, parse_section

__all__ = ["parse_provisions", "parse_section"]
