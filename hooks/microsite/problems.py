"""Problems in the authors' input, reported with a location and what to do.

Every problem is logged as a warning on the moment it is found (so `mkdocs
serve` shows it next to the page being edited) and counted, so that
`mkdocs build --strict` fails. Nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microsite import log


@dataclass(frozen=True)
class Problem:
    path: str            # relative to the folder of mkdocs.yml, e.g. "docs/articles/a.md"
    line: int | None     # 1-based, None when the whole file is concerned
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}. {self.hint}" if self.hint else text


@dataclass
class Problems:
    """The problems of one build (rebuilt in on_config)."""

    found: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set)

    def report(self, path: str, line: int | None, message: str, hint: str = "") -> Problem:
        problem = Problem(path, line, message, hint)
        if problem not in self._seen:
            self._seen.add(problem)
            self.found.append(problem)
            log.warning(str(problem))
        return problem

    def __len__(self) -> int:
        return len(self.found)
