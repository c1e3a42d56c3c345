"""What an import tells its reviewer: counts, unsure places, damage, refusals, the role of each source line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """What a reviewer needs: counts per section, every place the importer was unsure,
    and the errors that refuse the import (`errors`: (source line, message))."""

    sections: dict[str, int] = field(default_factory=dict)
    unsure: list[tuple[int, str]] = field(default_factory=list)
    furniture_lines: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    damage: list[tuple[int, str]] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # source line -> what it became (review page)
    traditional: bool = False

    def note(self, line: int, message: str) -> None:
        self.unsure.append((line, message))

    def refuse(self, line: int, message: str) -> None:
        self.errors.append((line, message))
