"""A timeline's data file (docs/timeline.yml): dated events, read and checked
with the file's line numbers.

    title: Timeline                       # optional: the page's title
    intro: One paragraph of Markdown.     # optional: shown above the events
    events:
      - date: 2014-03                     # 2014, 2014-03, 2014-03-18 or 2000s
        end: 2014-05                      # optional: same forms, or `ongoing`
        date_note: date of publication    # optional: what the date is
        title: Plain text
        description: One paragraph of Markdown, which may cite [@key].
        sources: ["[@key, p. 5]", "articles/a.md#a-section"]
        terms: [glossary-slug]            # optional
        pages: [briefs/b.md]              # optional: related pages of the site

Every value is read as text, as written (YAML's `yes` stays "yes", `2014-03-18`
is not turned into a date object). Each event needs a source: a citation (in
`sources` or in its description) or a page of the site that states it.
References to the rest of the site (citation keys, glossary entries, pages) are
checked by `check_references`, once the site's files are known.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Callable, Collection

import yaml
from markdown.extensions.toc import slugify

from microsite.markdown.links import allowed_link
from microsite.model.citations import CLUSTER_PATTERN, Malformed, parse_cluster, scan_clusters
from microsite.model.partial_dates import DATE_FORMS, DateError, When, parse_date
from microsite.model.yaml_errors import mistake_place
from microsite.problems import Problems

TOP_FIELDS = ("title", "intro", "events")
EVENT_FIELDS = ("date", "end", "date_note", "title", "description", "sources", "terms", "pages")
ONGOING = "ongoing"
_NULLS = {"", "~", "null", "Null", "NULL"}
_CLUSTER = re.compile(CLUSTER_PATTERN)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A Markdown inline link: [text](target "title")
_LINK = re.compile(r"\[(?P<text>[^\[\]]*)\]\(\s*<?(?P<target>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXAMPLE = ('Write `sources: ["[@key]"]` with a citation of the bibliography, or the page of this site that '
            'states it (`sources: [articles/a.md#section]`).')


@dataclass(frozen=True)
class Ref:
    """A reference written in the file: a glossary slug, a page (with an optional #anchor), a citation."""

    text: str
    line: int

    @property
    def page(self) -> str:
        return self.text.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.text.partition("#")[2]


@dataclass
class Event:
    number: int                 # order in the file, from 0
    line: int                   # of the event's first field
    when: When | None           # None only in Timeline.left_out
    title: str
    description: str            # the author's Markdown, one paragraph
    date_note: str = ""
    citations: list[Ref] = field(default_factory=list)      # "[@key, p. 5]" in `sources`, as written
    cited_in_text: list[Ref] = field(default_factory=list)  # the citations of the description
    source_pages: list[Ref] = field(default_factory=list)   # pages of the site that state it
    terms: list[Ref] = field(default_factory=list)
    pages: list[Ref] = field(default_factory=list)
    anchor: str = ""            # the id of its heading, from its title: "event-the-title"

    @property
    def source_count(self) -> int:
        """Works cited in `sources`, and pages given as sources."""
        return len([key for ref, key in self.cited() if ref in self.citations]) + len(self.source_pages)

    def cited(self) -> list[tuple[Ref, str]]:
        """Each citation of the event (in `sources` or the description) with each key it cites."""
        return [(ref, item.key) for ref in self.citations + self.cited_in_text
                for item in parse_cluster(_CLUSTER.fullmatch(ref.text).group("body")) or ()]


@dataclass
class Timeline:
    path: str                   # for messages, e.g. "docs/timeline.yml"
    text: str                   # the whole file
    title: str = "Timeline"
    intro: str = ""
    events: list[Event] = field(default_factory=list)          # sorted by date, then file order
    # Events left out for a mistake (no title, date or description): their glossary terms,
    # pages and citation keys are still checked, so that every mistake is reported at once.
    left_out: list[Event] = field(default_factory=list)

    def by_group(self) -> dict[str, list[Event]]:
        """Events under their year (or decade), in date order."""
        groups: dict[str, list[Event]] = {}
        for event in self.events:
            groups.setdefault(event.when.start.group, []).append(event)
        return groups


class _Reader:
    """Reads YAML nodes into values, reporting what is wrong with each at its line."""

    def __init__(self, path: str, text: str, problems: Problems):
        self.path = path
        self.source = text
        self.problems = problems

    def line_in(self, node: yaml.Node, snippet: str) -> int:
        """The file line of `snippet` inside a node's text (its first line when it is not there as written)."""
        index = self.source.find(snippet, node.start_mark.index, node.end_mark.index)
        if index < 0:
            return node.start_mark.line + 1 + (1 if getattr(node, "style", None) in (">", "|") else 0)
        return self.source.count("\n", 0, index) + 1

    def report(self, node_or_line, message: str, hint: str = "") -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.problems.report(self.path, line, message, hint)

    def fields(self, node: yaml.MappingNode, allowed: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.written(key_node)
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                self.report(key_node, f"unknown field '{key}' in {what}",
                            f"Did you mean '{close[0]}'?" if close else f"Fields: {', '.join(allowed)}.")
            elif key in found:
                self.report(key_node, f"`{key}` is written twice in {what} (first on line "
                                      f"{found[key].start_mark.line + 1}); only this one is used", "Keep one of them.")
                found[key] = value_node
            else:
                found[key] = value_node
        return found

    def written(self, node: yaml.Node) -> str:
        """A node as written in the file: a scalar's text, a list or mapping (a complex key
        such as `? [a, b]`) as its source with white space joined."""
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        return " ".join(self.source[node.start_mark.index:node.end_mark.index].split())

    def text(self, node: yaml.Node | None, key: str, hint: str = "") -> str | None:
        """A single line of text (None when absent or empty); a list or mapping is reported."""
        if node is None or _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, f"`{key}` must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
                        hint or f"Write it on one line: `{key}: The text`.")
            return None
        return _plain(node.value) or None

    def texts(self, node: yaml.Node | None, key: str) -> list[Ref]:
        """A list of texts (a single text is a list of one), each with its line."""
        if node is None or _is_null(node):
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        refs = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or _is_null(item):
                self.report(item, f"`{key}` must be a list of texts", f'Write `{key}: ["first", "second"]`.')
                continue
            refs.append(Ref(_plain(item.value), item.start_mark.line + 1))
        return refs


def _plain(value) -> str:
    """One line of text: white space collapsed, control characters (YAML's "\\x02") dropped."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in _NULLS


def load_timeline(text: str, path: str, problems: Problems) -> Timeline | None:
    """The timeline of a data file, its events sorted; None when the file cannot be read as one."""
    timeline = Timeline(path=path, text=text)
    reader = _Reader(path, text, problems)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        problem, mark = mistake_place(error)       # an unclosed quote or bracket: where it opens
        problems.report(path, mark.line + 1 if mark else None, f"the timeline is not valid YAML ({problem})",
                        "Fix the YAML at this line (text with a colon, or starting with [ or @, goes in quotes).")
        return None
    except (yaml.YAMLError, RecursionError) as error:
        problems.report(path, None, f"the timeline cannot be read ({error})", "Check that it is a YAML file.")
        return None
    if root is None:
        problems.report(path, None, "the timeline has no events", "Add `events:` with a list of events, or delete the file.")
        return None
    if isinstance(root, yaml.MappingNode):
        top = reader.fields(root, TOP_FIELDS, "the timeline")
        timeline.title = reader.text(top.get("title"), "title") or timeline.title
        intro = top.get("intro")
        timeline.intro = _markdown(reader, intro, "intro") if intro is not None else ""
        events_node = top.get("events")
    elif isinstance(root, yaml.SequenceNode):
        events_node = root
    else:
        events_node = None
    if not isinstance(events_node, yaml.SequenceNode) or not events_node.value:
        reader.report(root if events_node is None else events_node, "the timeline needs `events:`, a list of events",
                      "Write `events:` and under it one `- date: ...` block per event.")
        return None
    for number, node in enumerate(events_node.value):
        event = _read_event(reader, node, number)
        if event is not None:
            (timeline.events if event.when is not None and event.title and event.description
             else timeline.left_out).append(event)
    timeline.events.sort(key=lambda event: (event.when.sort_key, event.number))
    used: set[str] = set()
    for event in timeline.events:
        event.anchor = _unique(f"event-{slugify(event.title, '-')}".rstrip("-"), used)
    return timeline


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 2
    while candidate in used:
        candidate, number = f"{anchor}-{number}", number + 1
    used.add(candidate)
    return candidate


def _markdown(reader: _Reader, node: yaml.Node, key: str) -> str:
    """The author's Markdown (a folded block keeps its paragraphs), as data: no raw HTML
    (a `<` is text), and links only to the web, the site or an e-mail address - a link
    elsewhere is reported at its line and kept as its text."""
    if not isinstance(node, yaml.ScalarNode):
        reader.report(node, f"`{key}` must be text (Markdown)", f"Write `{key}: >-` followed by an indented paragraph.")
        return ""
    if _is_null(node):
        return ""
    text = _CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else " ", str(node.value)).strip()

    def refuse(match: re.Match) -> str:
        reader.report(reader.line_in(node, match.group(0)),
                      f"the link '{match.group('text')}' in `{key}` leads to '{match.group('target')}', "
                      "which is not a web address",
                      "Link to an http(s) address, a page of the site or an e-mail address (mailto:); "
                      "the link is shown as text meanwhile.")
        return match.group("text")

    text = _LINK.sub(lambda m: m.group(0) if allowed_link(m.group("target")) else refuse(m), text)
    return text.replace("<", "&lt;")


def _read_event(reader: _Reader, node: yaml.Node, number: int) -> Event | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        reader.report(node, f"event #{number + 1} is not a mapping of `field: value` lines",
                      "Start each event with `- date: ...` and indent its other fields under it.")
        return None
    written_title = next((value for key, value in node.value if key.value == "title"
                          and isinstance(value, yaml.ScalarNode) and not _is_null(value)), None)
    what = f"the event '{_plain(written_title.value)}'" if written_title is not None else f"event #{number + 1}"
    found = reader.fields(node, EVENT_FIELDS, what)
    title = reader.text(found.get("title"), "title")
    if not title:
        reader.report(found.get("title", line), f"{what} needs a `title`", "Add `title: What happened` (plain text).")

    when = _read_when(reader, found, line, what)
    description_node = found.get("description")
    description = _markdown(reader, description_node, "description") if description_node is not None else ""
    if not description:
        reader.report(description_node or line, f"{what} needs a `description`",
                      "Add `description:` with one sentence of Markdown saying what happened.")
    elif _paragraphs(description_node, description) > 1:
        reader.report(description_node, f"the description of {what} has more than one paragraph",
                      "Keep it to one paragraph: remove the blank lines.")

    citations, source_pages = [], []
    for ref in reader.texts(found.get("sources"), "sources"):
        (citations if ref.text.startswith("[") else source_pages).append(ref)
    for ref in citations:
        _check_cluster(reader, ref)
    cited_in_text = [Ref(cluster.text, reader.line_in(description_node, cluster.text))
                     for cluster in scan_clusters(description) if not cluster.is_malformed]
    if not citations and not source_pages and not cited_in_text:
        reader.report(found.get("sources", line), f"{what} has no source", _EXAMPLE)

    # Without a title, a date or a description the event is left out (load_timeline), its references checked.
    return Event(number=number, line=line, when=when, title=title or "", description=description,
                 date_note=reader.text(found.get("date_note"), "date_note") or "",
                 citations=[ref for ref in citations if _CLUSTER.fullmatch(ref.text)
                            and parse_cluster(_CLUSTER.fullmatch(ref.text).group("body"))],
                 cited_in_text=cited_in_text, source_pages=source_pages,
                 terms=reader.texts(found.get("terms"), "terms"), pages=reader.texts(found.get("pages"), "pages"))


def _paragraphs(node: yaml.Node, value: str) -> int:
    """YAML folds single line breaks into spaces (except in a `|` block): a line break left
    in the value was a blank line."""
    breaks = r"\n[ \t]*\n" if getattr(node, "style", None) == "|" else r"\n"
    return len(re.split(breaks, value))


def _check_cluster(reader: _Reader, ref: Ref) -> None:
    match = _CLUSTER.fullmatch(ref.text)
    parsed = parse_cluster(match.group("body")) if match else None
    if isinstance(parsed, Malformed):
        reader.report(ref.line, f"sources: {ref.text} is not a citation ({parsed.reason})", parsed.hint)
    elif not parsed:
        reader.report(ref.line, f"sources: {ref.text} is not a citation",
                      'Write one citation as on a page, in quotes: "[@key]" or "[@key, p. 5]".')


def _read_when(reader: _Reader, found: dict, line: int, what: str) -> When | None:
    date_node, end_node = found.get("date"), found.get("end")
    one_date = f"Write one date: {DATE_FORMS}; for a period, the first in `date:` and the last in `end:`."
    written = reader.text(date_node, "date", one_date)
    if written is None:
        if not isinstance(date_node, (yaml.SequenceNode, yaml.MappingNode)):    # those are reported already
            reader.report(date_node or line, f"{what} needs a `date`", f"Add `date:` with {DATE_FORMS}.")
        return None
    try:
        start = parse_date(written)
    except DateError as error:
        reader.report(date_node, f"date: {error}", f"Write {DATE_FORMS}.")
        return None
    end_text = reader.text(end_node, "end", one_date)
    if end_text is None:
        return When(start)
    if end_text == ONGOING:
        return When(start, ongoing=True)
    try:
        end = parse_date(end_text)
    except DateError as error:
        reader.report(end_node, f"end: {error}", f"Write {DATE_FORMS}, or `ongoing`.")
        return None
    if end.last_day < start.first_day:
        reader.report(end_node, f"end: {end_text} is before the date {written}", "Swap them, or correct one of them.")
        return None
    return When(start, end)


def check_references(timeline: Timeline, problems: Problems, *, terms: Collection[str], pages: Collection[str],
                     known_key: Callable[[str], bool],
                     explain_unknown: Callable[[str], tuple[str, str]]) -> set[tuple[int, str]]:
    """Report glossary slugs, pages and citation keys the site does not have.
    Returns the unknown keys as (event number, key), whose citations are shown as written."""
    path = timeline.path
    for event in timeline.events + timeline.left_out:
        for ref in event.terms:
            if ref.text not in terms:
                problems.report(path, ref.line, f"terms: no glossary entry '{ref.text}'",
                                _did_you_mean(ref.text, terms, "Use the file name of a glossary entry, without .md."))
        for key, refs in (("pages", event.pages), ("sources", event.source_pages)):
            for ref in refs:
                if ref.page not in pages:
                    problems.report(path, ref.line, f"{key}: no page '{ref.page}'",
                                    _did_you_mean(ref.page, pages, "Write the page's path inside docs/, "
                                                                   "e.g. articles/a.md."))
    unknown = set()
    for event in timeline.events + timeline.left_out:
        for ref, key in event.cited():
            if not known_key(key):
                unknown.add((event.number, key))
                problems.report(path, ref.line, *explain_unknown(key))
    return unknown


def _did_you_mean(name: str, known: Collection[str], otherwise: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'?" if close else otherwise
