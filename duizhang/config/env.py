"""Reading configuration from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

# The repository (or install) root; runtime files live under var/ unless DUIZHANG_VAR says otherwise.
ROOT_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("DUIZHANG_VAR", ROOT_DIR / "var")).resolve()


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'duizhang.sqlite3'}"
