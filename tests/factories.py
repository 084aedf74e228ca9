"""Small builders of test inputs, shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

NOTE_TEMPLATE = """---
title: {title}
author: Test
organisation: Test Commission
date: 2025-01-15
jurisdictions: [MH]
topics: [two-child-norm]
agenda_item: candidate-disqualifications
provisions:
  - MH-VPA-1959 s.14(1)(j-1)
---
{body}
"""


def note_markdown(
    title: str, body: str = "Clause [[MH-VPA-1959 s.14(1)(j-1)]] disqualifies a member with more than two children."
) -> str:
    """A valid discussion note citing MH-VPA-1959 s.14(1)(j-1)."""
    return NOTE_TEMPLATE.format(title=title, body=body)


def refusal(call: Callable[[], object]) -> str:
    """The message of the ReferenceDataError ``call`` raises, as the CLI prints it (one line)."""
    from kb.errors import ReferenceDataError

    with pytest.raises(ReferenceDataError) as info:
        call()
    line = info.value.one_line()
    assert "\n" not in line
    return line
