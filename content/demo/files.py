"""The pack's files as the readers take them: YAML read, fields checked, and the
``PackError`` that names the file and the field of whatever is not as expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class PackError(Exception):
    """The pack's files are not what the loader expects; the message names file and field."""


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path.name}: not valid YAML: {exc}") from None


def check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    """Refuse ``data`` unless it is a mapping with only ``allowed`` fields, all ``required``."""
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a mapping of fields, got {type(data).__name__}.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PackError(f"{where}: unknown field(s) {', '.join(unknown)}.")
    missing = sorted(required - set(data))
    if missing:
        raise PackError(f"{where}: missing field(s) {', '.join(missing)}.")
