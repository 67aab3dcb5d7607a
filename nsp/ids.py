"""Row ids in input: 64-bit; a larger number names nothing (and must not reach the database, which would fail)."""

from __future__ import annotations

MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The id ``value`` names (an int or a string of digits within 64 bits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, int) and -MAX_ID <= value <= MAX_ID:
        return value
    return None
