"""Where a YAML mistake is, as an author would point at it.

PyYAML finds an unclosed quote or bracket only where the text that follows stops
making sense, often lines later (the next key, the block's end): the mistake is
where the quote or bracket opens, which YAML gives as its context.
"""

from __future__ import annotations

import yaml


def mistake_place(error: yaml.MarkedYAMLError) -> tuple[str, yaml.Mark | None]:
    """(what is wrong, where) for a YAML error: the opening of an unclosed quote or bracket
    when YAML noticed it on a later line, otherwise where YAML stopped."""
    problem, mark, opened = error.problem or "", error.problem_mark, error.context_mark
    context = error.context or ""
    if opened is not None and mark is not None and mark.line > opened.line:
        if "end of stream" in problem and "quoted" in context:
            return "the quoted text that starts on this line is never closed", opened
        if context.startswith("while parsing a flow"):
            bracket = "[" if "sequence" in context else "{"
            return f"the {bracket} opened on this line is never closed", opened
    return problem, mark or opened
