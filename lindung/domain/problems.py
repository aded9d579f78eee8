"""Typed, collectable problems (architecture.md rule 9).

Messy-data checks return a list of Problem so an import can report every problem at once.
`code` is for machines and stays stable; `message` is an Indonesian sentence for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def has_error(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.is_error for p in problems)
