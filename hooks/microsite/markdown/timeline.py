"""The timeline page: its Markdown, and the walk that gives it its structure.

Only the authors' Markdown (the intro, each event's description and its
citations) goes into the page's Markdown, so that citations are formatted like
everywhere else. Everything else - year headings, event titles, dates - is
written into the element tree by `TimelineTreeprocessor` (escaped by the
serializer), in place of placeholder headings the generator writes: a title
never passes through Markdown, so it cannot make structure. Related terms,
related pages and pages given as sources are late markers (templates).

The walk runs after inline processing (citations are spans by then) and before
the citations' and glossary's walks (6.9, 6.8), so that a citation is recorded
under its event's heading, and before the table of contents (5), which takes
the headings with the ids set here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.etree import ElementTree as etree

from markdown.util import AtomicString

from microsite.generated import front_matter, late
from microsite.late import marker_element
from microsite.markdown.processors import FeatureExtension, FeatureTreeprocessor
from microsite.model.citations import CLUSTER_PATTERN

if TYPE_CHECKING:
    from microsite.model.timeline import Event, Timeline

PRIORITY = 7.0
LATE_KIND = "timeline"
_PLACEHOLDER = re.compile(r"mx-timeline-(?P<what>year|event)-(?P<number>\d+)")
_CLUSTER = re.compile(CLUSTER_PATTERN)


def year_anchor(group: str) -> str:
    return f"year-{group}"


def page_markdown(timeline: Timeline, unknown_keys: set[tuple[int, str]]) -> str:
    """The page's Markdown. A citation naming an unknown key (reported where the data file
    gives it) is shown as written, with escaped brackets, not formatted."""
    count = len(timeline.events)
    parts = [front_matter(title=timeline.title,
                          description=f"{count} dated event{'s' if count != 1 else ''}, with their sources.")]
    if timeline.intro:
        parts.append(timeline.intro + "\n\n")
    parts.append(late(LATE_KIND, "years"))
    for number, (group, events) in enumerate(timeline.by_group().items()):
        parts.append(f"## mx-timeline-year-{number}\n\n")
        for event in events:
            bad = {key for n, key in unknown_keys if n == event.number}
            parts.append(f"### mx-timeline-event-{event.number}\n\n")
            parts.append(_description(event, bad) + "\n\n")
            cited = _cited(event, bad)
            if cited:
                parts.append(cited + "\n\n")
    return "".join(parts)


def unreadable_page_markdown(path: str) -> str:
    """The page while its data file cannot be read: the page stays where readers and the
    navigation expect it, and the preview shows the file's problem on it."""
    return (front_matter(title="Timeline", description="The timeline cannot be shown yet.")
            + f"The timeline is made from `{path}`, which cannot be read: the build names the problem and its "
              "line. Fix the file, and the events appear here.\n")


def _shown_as_written(cluster: str) -> str:
    return "\\[" + cluster[1:-1] + "\\]"


def _names_unknown_key(cluster: str, bad: set[str]) -> bool:
    return any(f"@{key}" in cluster or f"@{{{key}}}" in cluster for key in bad)


def _description(event: Event, bad: set[str]) -> str:
    """One line: a description is one paragraph, and no later line can start a block."""
    text = " ".join(event.description.split())
    for ref in event.cited_in_text:
        written = " ".join(ref.text.split())
        if _names_unknown_key(written, bad):
            text = text.replace(written, _shown_as_written(written))
    return text


def _cited(event: Event, bad: set[str]) -> str:
    """The `sources` citations as one cluster, `[@a, p. 5; see @b]`."""
    good = [ref.text for ref in event.citations if not _names_unknown_key(ref.text, bad)]
    shown = [_shown_as_written(ref.text) for ref in event.citations if _names_unknown_key(ref.text, bad)]
    merged = ["[" + "; ".join(_CLUSTER.fullmatch(text).group("body").strip() for text in good) + "]"] if good else []
    return " ".join(merged + shown)


class TimelineTreeprocessor(FeatureTreeprocessor):
    """Turns the placeholders of the timeline page into its structure:

        <h2 id="year-2014">2014</h2>
        <ol class="mx-timeline">
          <li class="mx-event">
            <h3 id="event-…">Title</h3>
            <p class="mx-event__when"><time datetime="2014-03">March 2014</time> …</p>
            <p>The description …</p>
            <p class="mx-event__sources">Sources: (citations) <mx-late …/></p>
            <mx-late kind="timeline" ref="related:N"/>
          </li>
        </ol>
    """

    def run_on(self, root: etree.Element, state) -> None:
        timeline = self.feature.timeline_for(state)
        if timeline is None:
            return
        events = {event.number: event for event in timeline.events}
        groups = list(timeline.by_group())
        kept: list[etree.Element] = []
        current_list: etree.Element | None = None
        current: tuple[Event, etree.Element, list] | None = None
        finished = []
        for child in list(root):
            placeholder = _placeholder(child)
            if placeholder is None:
                (current[2] if current is not None else kept).append(child)
                continue
            what, number = placeholder
            if what == "year" and number < len(groups):
                _set_text(child, groups[number])
                child.set("id", year_anchor(groups[number]))
                current_list = etree.Element("ol", {"class": "mx-timeline"})
                current_list.text = current_list.tail = "\n"
                kept += [child, current_list]
                current = None
            elif what == "event" and number in events and current_list is not None:
                event = events[number]
                item = etree.SubElement(current_list, "li", {"class": "mx-event"})
                item.text = item.tail = "\n"
                current = (event, item, [])
                finished.append(current)
                _set_text(child, event.title)
                child.set("id", event.anchor)
                item.append(child)
            else:
                (current[2] if current is not None else kept).append(child)
        for event, item, content in finished:
            self._fill(event, item, content)
        root[:] = kept

    def _fill(self, event: Event, item: etree.Element, content: list[etree.Element]) -> None:
        item.append(_when(event))
        has_cited = bool(_cited(event, set()))
        expected = 2 if has_cited else 1
        if len(content) != expected or any(element.tag != "p" for element in content):
            self.feature.context.problems.report(
                self.feature.context.page.path, event.line,
                f"the description of the event '{event.title}' is not one paragraph of text",
                "Write it as one paragraph: a sentence or two, without headings, lists or blank lines.")
        description, cited = (content[:-1], content[-1]) if has_cited and content else (content, None)
        for element in description:
            item.append(element)
        if cited is not None or event.source_pages:
            item.append(_sources(event, cited))
        item.append(marker_element(LATE_KIND, f"related:{event.number}", event.line))


def _placeholder(element: etree.Element) -> tuple[str, int] | None:
    if element.tag not in ("h2", "h3"):
        return None
    match = _PLACEHOLDER.fullmatch("".join(element.itertext()).strip())
    if not match or (element.tag == "h2") != (match["what"] == "year"):
        return None
    return match["what"], int(match["number"])


def _set_text(element: etree.Element, text: str) -> None:
    for child in list(element):
        element.remove(child)
    element.text = AtomicString(text)


def _when(event: Event) -> etree.Element:
    paragraph = etree.Element("p", {"class": "mx-event__when"})
    last = None
    for iso, text in event.when.segments():
        if iso is None:
            if last is None:
                paragraph.text = (paragraph.text or "") + text
            else:
                last.tail = (last.tail or "") + text
            continue
        last = etree.SubElement(paragraph, "time", {"datetime": iso})
        last.text = AtomicString(text)
    if event.date_note:
        if last is not None:
            last.tail = (last.tail or "") + " "
        else:
            paragraph.text = (paragraph.text or "") + " "
        note = etree.SubElement(paragraph, "span", {"class": "mx-event__note"})
        note.text = AtomicString(f"({event.date_note})")
    paragraph.tail = "\n"
    return paragraph


def _sources(event: Event, cited: etree.Element | None) -> etree.Element:
    """"Sources:" then the formatted citations, then the pages that state the event."""
    paragraph = cited if cited is not None else etree.Element("p")
    paragraph.set("class", "mx-event__sources")
    label = etree.Element("span", {"class": "mx-event__label"})
    label.text = AtomicString("Sources:" if event.source_count > 1 else "Source:")
    label.tail = " " + (paragraph.text or "")
    paragraph.text = None
    paragraph.insert(0, label)
    if event.source_pages:
        last = paragraph[-1]
        if len(paragraph) > 1:
            last.tail = (last.tail or "").rstrip() + "; "
        paragraph.append(marker_element(LATE_KIND, f"sources:{event.number}", event.line))
    paragraph.tail = "\n"
    return paragraph


def timeline_extension(feature) -> FeatureExtension:
    return FeatureExtension(feature, ("treeprocessors", TimelineTreeprocessor, "microsite-timeline", PRIORITY))
