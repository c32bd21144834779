"""`mtaabot worker` commands (filled in by the issue that owns them)."""

from __future__ import annotations

COMMANDS: list = []
