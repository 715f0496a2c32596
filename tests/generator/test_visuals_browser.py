"""The timeline and the concept map in Chromium: in the offline edition from
file:// with no outside request, readable in the light and the dark palette,
the map's terms reachable by keyboard with their definitions, the timeline
without sideways scrolling on a phone."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import build_project, prepare

pytestmark = pytest.mark.browser

THIRD_ENTRY = {"docs/glossary/river-bank.md": "---\nterm: river bank\nsee_also: [river-treaty]\n"
                                              "summary: The land along the river.\n---\n\nThe land along the river.\n"}


# Material's two schemes, chosen by the reader's system setting.
THEME = {"name": "material", "font": False, "palette": [
    {"media": "(prefers-color-scheme: light)", "scheme": "default",
     "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
     "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}}]}


@pytest.fixture(scope="module")
def offline_edition(tmp_path_factory):
    """The timeline root with a third glossary entry (so it has a map), built with its offline edition."""
    folder = tmp_path_factory.mktemp("visuals-offline")
    built = build_project(prepare("timeline", folder, settings={"offline": True}, files=THIRD_ENTRY,
                                  config={"theme": THEME}))
    assert built.ok, built.warnings
    archive = next((built.site / "downloads").glob("*.zip"))
    target = folder / "unzipped"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    return next(path.parent for path in target.rglob("index.html") if path.parent.parent == target)


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def open_offline(browser, folder, path, **context):
    page = browser.new_context(**context).new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("file:", "data:", "blob:")) else None)
    page.goto((folder / path / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page, outside


def test_offline_edition_shows_both_from_file_urls(browser, offline_edition):
    page, outside = open_offline(browser, offline_edition, "timeline")
    assert page.locator("li.mx-event").count() == 5
    assert page.locator("li.mx-event span.citation a").first.is_visible()
    page.locator("nav.mx-timeline-years a", has_text="2015").click()
    assert page.url.endswith("#year-2015")
    page.close()
    page, more = open_offline(browser, offline_edition, "glossary/map")
    nodes = page.locator("svg.mx-concept-map__svg a.mx-node")
    assert nodes.count() == 3
    box = page.locator("svg.mx-concept-map__svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    nodes.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("glossary/river-authority/index.html") or "glossary/" in page.url
    assert outside + more == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_labels_and_text_are_readable_in_both_palettes(browser, offline_edition, scheme):
    page, _ = open_offline(browser, offline_edition, "glossary/map", color_scheme=scheme)
    expected = {"light": "default", "dark": "slate"}[scheme]
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    label = page.evaluate("getComputedStyle(document.querySelector('.mx-node text')).fill")
    assert contrast(label, background) >= 4.5, (label, background)
    page.close()
    page, _ = open_offline(browser, offline_edition, "timeline", color_scheme=scheme)
    when = page.evaluate("getComputedStyle(document.querySelector('.mx-event__when')).color")
    assert contrast(when, background) >= 4.5, (when, background)


def test_a_term_is_reachable_by_keyboard_with_its_definition(browser, offline_edition):
    page, _ = open_offline(browser, offline_edition, "glossary/map")
    page.locator(".mx-concept-map__frame").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.getAttribute('href'),"
                            " document.activeElement.querySelector('title').textContent]")
    assert focused[0] == "a" and focused[1].endswith(".html")       # the offline edition's links
    assert focused[2] in ("river authority: The body that manages the river.", "river bank: The land along the river.",
                          "river treaty: The treaty on the shared river.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_focused_term_shows_its_definition_inside_the_picture(browser, offline_edition, scheme):
    """The caption says "hover over or focus it for its definition": hovering shows the link's
    <title>, which browsers never show for keyboard focus; the focused term shows it in a box,
    inside the picture and over every other term."""
    page, _ = open_offline(browser, offline_edition, "glossary/map", color_scheme=scheme)
    shown = "Array.from(document.querySelectorAll('.mx-node__tip')).filter(t => getComputedStyle(t).display != 'none')"
    assert page.evaluate(f"{shown}.length") == 0                 # nothing before a term has the focus
    page.locator(".mx-concept-map__frame").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
        tip = page.evaluate(f"""(() => {{
            const node = document.activeElement, shown = {shown};
            const tip = document.getElementById(node.id.replace('mx-node-', 'mx-tip-'));
            const svg = node.ownerSVGElement.getBoundingClientRect(), box = tip.getBoundingClientRect();
            const text = tip.querySelector('text'), line = text.querySelector('tspan').getBoundingClientRect();
            const top = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
            return {{count: shown.length, mine: shown[0] === tip, title: node.querySelector('title').textContent,
                     above: top !== null && top.closest('.mx-node__tip') === tip,        // no term covers it
                     words: Array.from(text.querySelectorAll('tspan')).map(t => t.textContent).join(' '),
                     inside: box.left >= svg.left - 1 && box.right <= svg.right + 1 && box.top >= svg.top - 1
                             && box.bottom <= svg.bottom + 1 && box.width > 0,
                     fill: getComputedStyle(tip.querySelector('rect')).fill, colour: getComputedStyle(text).fill}};
        }})()""")
        assert tip["count"] == 1 and tip["mine"], tip
        assert tip["words"] == tip["title"], tip
        assert tip["inside"] and tip["above"], tip
        assert contrast(tip["colour"], tip["fill"]) >= 4.5, tip
    page.close()


def test_the_timeline_fits_a_phone(browser, offline_edition):
    page, _ = open_offline(browser, offline_edition, "timeline", viewport={"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.close()
    page, _ = open_offline(browser, offline_edition, "glossary/map", viewport={"width": 390, "height": 844})
    # The picture scrolls inside its own frame; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["timeline", "glossary/map"])
def test_axe_finds_no_violation(browser, offline_edition, path, scheme):
    """axe-core (tests/judges.py), every impact, on both pages in both palettes."""
    import judges

    page, _ = open_offline(browser, offline_edition, path, color_scheme=scheme)
    violations = judges.run_axe(page)
    assert violations == [], "\n".join(judges.describe_axe(violation) for violation in violations)
