"""Errors that name their place: every problem with data is `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file. `line` is 1-based; None when the whole file is at fault."""

    path: str
    line: int | None
    message: str
    col: int | None = None

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
            if self.col is not None:
                place += f":{self.col}"
        return f"{place}: {self.message}"


class CatalogError(Exception):
    """Raised with every problem found, so all of them are reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
