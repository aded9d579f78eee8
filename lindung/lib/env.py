"""Read settings from environment variables, and remember which ones exist.

Every tunable goes through these functions so `TUNABLES` lists them all; a test checks
that each one is documented in README.md (datasette's tests/test_docs.py idea).
"""

from __future__ import annotations

import os

TUNABLES: dict[str, str] = {}


class EnvError(ValueError):
    pass


def env_str(name: str, default: str, doc: str) -> str:
    TUNABLES[name] = doc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool, doc: str) -> bool:
    TUNABLES[name] = doc
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "ya", "on"}:
        return True
    if value in {"0", "false", "no", "tidak", "off"}:
        return False
    raise EnvError(f"Variabel lingkungan {name}={raw!r} tidak dikenal: pakai 1/0, true/false, ya/tidak.")


def env_int(name: str, default: int, doc: str) -> int:
    TUNABLES[name] = doc
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"Variabel lingkungan {name}={raw!r} harus bilangan bulat.") from None


def env_list(name: str, default: list[str], doc: str) -> list[str]:
    TUNABLES[name] = doc
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
