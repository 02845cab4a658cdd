"""Test streams that behave like the ones readers meet outside a local disk."""
from __future__ import annotations

import io


class OneWay(io.RawIOBase):
    """A stream that can only be read forward, like a network download."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
