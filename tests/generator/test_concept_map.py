"""The concept map (glossary/map/): an SVG written at build time with one link
per glossary term and one line per relation (see_also, or mentioned in the same
section of an article or a brief, with its weight), the same graph as lists,
linked from the glossary index; no map under three entries; nothing from an
entry makes markup; the same bytes from two builds."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import build_project, prepare

MAP = "glossary/map/"
SVG = "{http://www.w3.org/2000/svg}"

# tests/roots/concept-map, counted by hand: article one has its opening (alpha, beta), "First
# section" (alpha, beta, gamma), "Second section" (beta, gamma), "A subsection" (delta); brief two
# has "Only section" (alpha, beta). The landing page and the entries mention terms too: not counted.
# see_also: alpha -> delta, gamma -> beta.
EXPECTED = {
    ("alpha", "beta"): "together in 3 sections",
    ("alpha", "delta"): "see also",
    ("alpha", "gamma"): "together in 1 section",
    ("beta", "gamma"): "see also; together in 2 sections",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_project(prepare("concept-map", tmp_path_factory.mktemp("concept-map")))
    assert result.ok, result.warnings
    return result


def svg_of(site, path=MAP) -> etree._Element:
    """The map's SVG, parsed as XML: it must be well-formed on its own."""
    raw = (site / path / "index.html").read_text(encoding="utf-8")
    start = raw.rindex("<svg", 0, raw.index('class="mx-concept-map__svg"'))
    end = raw.index("</svg>", start) + len("</svg>")
    return etree.fromstring(raw[start:end].encode("utf-8"))


def slug_of(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]


def test_one_link_per_term_to_its_entry_with_its_summary(built):
    svg = svg_of(built.site)
    links = svg.findall(f".//{SVG}a")
    assert sorted(slug_of(a.get("href")) for a in links) == ["alpha", "beta", "delta", "gamma"]
    for link in links:
        slug = slug_of(link.get("href"))
        assert (built.site / "glossary" / slug / "index.html").is_file()
        assert link.get("href") == f"../{slug}/"
        summary = {"alpha": "first", "beta": "second", "gamma": "third", "delta": "fourth"}[slug]
        assert link.find(f"{SVG}title").text == f"{slug}: The {summary} term."
        assert "".join(link.find(f"{SVG}text").itertext()) == slug


def test_each_term_has_its_definition_box_whose_text_reads_as_its_title(build_root):
    """The box a focused term shows (drawn after every term) says what its title says, with
    spaces between its lines: text extraction, such as the search index, reads it as words."""
    long = ("---\nterm: alpha\nsee_also: [delta]\nsummary: The first term, with a definition long enough "
            "to take more than one line of the box.\n---\n\nThe first term.\n")
    result = build_root("concept-map", files={"docs/glossary/alpha.md": long})
    assert result.ok, result.warnings
    svg = svg_of(result.site)
    links = svg.findall(f".//{SVG}a")
    for link in links:
        tip = svg.find(f".//{SVG}g[@id='{link.get('id').replace('mx-node-', 'mx-tip-')}']")
        assert tip is not None and tip.get("class") == "mx-node__tip", link.get("id")
        assert "".join(tip.find(f"{SVG}text").itertext()) == link.find(f"{SVG}title").text
    style = svg.find(f"{SVG}style").text
    assert all(f"#{link.get('id')}:focus-visible" in style for link in links)
    alpha = svg.find(f".//{SVG}g[@id='mx-tip-1']/{SVG}text")
    assert len(alpha) >= 2 and "".join(alpha.itertext()).startswith("alpha: The first term, with a definition")


def test_one_line_per_relation_with_its_weight(built):
    svg = svg_of(built.site)
    lines = svg.findall(f".//{SVG}line")
    found = {}
    for line in lines:
        pair, why = line.find(f"{SVG}title").text.split(": ", 1)
        found[tuple(sorted(pair.split(" – ")))] = why
    assert len(lines) == len(EXPECTED) and found == EXPECTED
    widths = {tuple(sorted(line.find(f"{SVG}title").text.split(": ")[0].split(" – "))): float(line.get("stroke-width"))
              for line in lines}
    assert widths[("alpha", "beta")] > widths[("beta", "gamma")] > widths[("alpha", "gamma")]
    dashed = {line.get("class") for line in lines}
    assert dashed == {"mx-edge mx-edge--together", "mx-edge mx-edge--see-also",
                      "mx-edge mx-edge--see-also mx-edge--together"}
    # Every line ends on the dot of its two terms.
    dots = {slug_of(a.get("href")): (a.find(f"{SVG}circle").get("cx"), a.find(f"{SVG}circle").get("cy"))
            for a in svg.findall(f".//{SVG}a")}
    for line in lines:
        a, b = line.find(f"{SVG}title").text.split(": ")[0].split(" – ")
        assert {(line.get("x1"), line.get("y1")), (line.get("x2"), line.get("y2"))} == {dots[a], dots[b]}


def test_the_lists_say_the_same_as_the_picture(built):
    article = built.article(MAP)
    said = {}
    for item in article.select("ul.mx-concept-list > li"):
        term = slug_of(item.a["href"])
        for related in item.select("ul > li"):
            why = re.fullmatch(r".+ \((.+)\)", related.get_text()).group(1)
            said.setdefault(tuple(sorted((term, slug_of(related.a["href"])))), set()).add(why)
    assert {pair: whys.pop() for pair, whys in said.items() if len(whys) == 1} == EXPECTED
    assert article.select_one("h2#the-map-as-a-list")
    assert article.select_one("figure.mx-concept-map figcaption")


def test_the_glossary_index_links_the_map(built):
    link = built.article("glossary/").select_one(".mx-concept-map-link a")
    assert link["href"] == "map/"


def test_positions_fit_the_picture(built):
    svg = svg_of(built.site)
    _, _, width, height = (float(v) for v in svg.get("viewBox").split())
    for circle in svg.iter(f"{SVG}circle"):
        assert 0 < float(circle.get("cx")) < width and 0 < float(circle.get("cy")) < height
        assert re.fullmatch(r"-?\d+(\.\d)?", circle.get("cx"))          # rounded: stable text


def test_two_builds_give_the_same_bytes(built, tmp_path):
    again = build_project(prepare("concept-map", tmp_path))
    assert again.ok
    assert (again.site / MAP / "index.html").read_bytes() == (built.site / MAP / "index.html").read_bytes()


def test_fewer_than_three_entries_no_map_and_no_link(build_root):
    result = build_root("timeline")            # two glossary entries
    assert result.ok, result.warnings
    assert not (result.site / "glossary/map").exists()
    index = result.article("glossary/")
    assert index.select_one(".mx-concept-map-link") is None and "mx-late" not in str(index)


def test_an_entry_called_map_moves_the_map(build_root):
    result = build_root("concept-map", files={"docs/glossary/map.md": "---\nterm: map\nsummary: A map.\n---\n\nA map.\n"})
    assert result.ok, result.warnings
    assert (result.site / "glossary/map/index.html").is_file()
    assert svg_of(result.site, "glossary/concept-map/") is not None
    assert result.article("glossary/").select_one(".mx-concept-map-link a")["href"] == "concept-map/"


def test_terms_and_summaries_are_text_never_markup(build_root):
    hostile = ('---\nterm: \'beta <script>alert(1)</script> & "q"\'\n'
               'summary: \'</title><svg onload=alert(2)> & "quoted" it\'\'s\'\n---\n\nThe second term.\n')
    result = build_root("concept-map", strict=False, files={"docs/glossary/beta.md": hostile})
    # The only message: a term holding HTML is never linked in a page's text (the site's Markdown reads the tag).
    assert [w.split(" is never linked: ")[0] for w in result.warnings] == [
        "docs/glossary/beta.md:2: the term 'beta <script>alert(1)</script> & \"q\"'"], result.warnings
    svg = svg_of(result.site)
    assert not [e for e in svg.iter() if isinstance(e.tag, str) and e.tag.endswith(("script", "foreignObject"))]
    assert not [name for e in svg.iter() if isinstance(e.tag, str) for name in e.attrib if name.startswith("on")]
    assert len(svg.findall(f".//{SVG}svg")) == 0
    beta = next(a for a in svg.iter(f"{SVG}a") if slug_of(a.get("href")) == "beta")
    assert beta.find(f"{SVG}title").text == 'beta <script>alert(1)</script> & "q": </title><svg onload=alert(2)> & "quoted" it\'s'
    page = BeautifulSoup((result.site / MAP / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.select("article script") == [] and len(page.select("article svg")) == 1


def test_a_large_glossary_gets_a_larger_picture_with_every_label_inside_and_apart():
    """Beyond 60 terms the layout repels only near neighbours (a grid): it must stay deterministic,
    keep every label inside the (grown) picture, and keep labels from sitting on top of each other."""
    from microsite.model.concept_graph import WIDTH, HEIGHT, build_graph, label_box, lay_out, wrap_label

    def laid_out():
        names = [f"term-{i:03d}" for i in range(150)]
        see_also = {name: [names[(i + 1) % 150], names[(i * 7) % 150]] for i, name in enumerate(names)}
        sections = {name: {("page", f"s{i % 20}")} for i, name in enumerate(names)}
        graph = build_graph(see_also, sections)
        labels = {name: wrap_label(f"Term number {name[-3:]}") for name in names}
        lay_out(graph, labels)
        return graph, labels

    graph, labels = laid_out()
    width, height = graph.size
    assert width > WIDTH and height > HEIGHT
    assert graph.positions == laid_out()[0].positions
    boxes = {slug: label_box(labels[slug]) for slug in graph.nodes}
    for slug, (x, y) in graph.positions.items():
        half_width, label_height = boxes[slug]
        assert half_width <= x <= width - half_width and 0 <= y <= height - label_height, slug
    overlapping = sum(
        1 for a, b in combinations(graph.nodes, 2)
        if abs(graph.positions[a][0] - graph.positions[b][0]) < boxes[a][0] + boxes[b][0] - 1
        and abs(graph.positions[a][1] - graph.positions[b][1]) < max(boxes[a][1], boxes[b][1]) - 1)
    assert overlapping <= len(graph.nodes) // 20, overlapping


def test_the_layout_is_cached_for_the_same_graph_and_recomputed_for_another(tmp_path, monkeypatch):
    from microsite.model import concept_graph

    def graph(extra=()):
        see_also = {"alpha": ["beta"], "beta": ["gamma"], "gamma": [], **{name: ["alpha"] for name in extra}}
        return concept_graph.build_graph(see_also, {}), {slug: [slug] for slug in see_also}

    first, labels = graph()
    concept_graph.lay_out_cached(first, labels, str(tmp_path))
    assert (tmp_path / "concept-map.json").exists()
    calls = []
    monkeypatch.setattr(concept_graph, "lay_out", lambda g, l: calls.append(g) or setattr(g, "positions", {}))
    again, labels = graph()
    concept_graph.lay_out_cached(again, labels, str(tmp_path))
    assert calls == [] and again.positions == first.positions
    other, labels = graph(extra=("delta",))
    concept_graph.lay_out_cached(other, labels, str(tmp_path))
    assert calls == [other]
    (tmp_path / "concept-map.json").write_text('{"digest": 1, "positions": [', encoding="utf-8")
    broken, labels = graph()
    concept_graph.lay_out_cached(broken, labels, str(tmp_path))          # unreadable cache: laid out again
    assert calls[-1] is broken


def _textbook_force_layout(nodes, weights, k, iterations, seed, near):
    """Fruchterman-Reingold as the module's docstring states it, written plainly (every pair,
    or the pairs of neighbouring grid cells, in a fixed order): the reference the module's
    faster loop must match to the last bit."""
    import math
    import random

    generator = random.Random(seed)
    points = [[generator.random(), generator.random()] for _ in nodes]
    index = {slug: number for number, slug in enumerate(nodes)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b]), w) for (a, b), w in weights.items())
    cell = near * k if len(nodes) > 60 else None

    def pairs():
        if cell is None:
            yield from combinations(range(len(points)), 2)
            return
        grid = {}
        for number, (x, y) in enumerate(points):
            grid.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append(number)
        for (column, row), members in sorted(grid.items()):
            for i in members:
                for d_column in (-1, 0, 1):
                    for d_row in (-1, 0, 1):
                        for j in grid.get((column + d_column, row + d_row), ()):
                            if j > i:
                                yield i, j

    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        moves = [[0.0, 0.0] for _ in points]
        for i, j in pairs():
            dx, dy = points[i][0] - points[j][0], points[i][1] - points[j][1]
            distance = max(math.hypot(dx, dy), 0.01)
            force = k * k / (distance * distance)
            moves[i][0] += dx * force
            moves[i][1] += dy * force
            moves[j][0] -= dx * force
            moves[j][1] -= dy * force
        for i, j, w in edges:
            dx, dy = points[i][0] - points[j][0], points[i][1] - points[j][1]
            distance = max(math.hypot(dx, dy), 0.01)
            force = w * distance / k
            moves[i][0] -= dx * force
            moves[i][1] -= dy * force
            moves[j][0] += dx * force
            moves[j][1] += dy * force
        for point, (move_x, move_y) in zip(points, moves):
            length = max(math.hypot(move_x, move_y), 0.01)
            point[0] += move_x * temperature / length
            point[1] += move_y * temperature / length
        temperature -= cooling
    return {slug: (point[0], point[1]) for slug, point in zip(nodes, points)}


@pytest.mark.parametrize("count, iterations", [(25, 300), (140, 30)])   # every pair; the grid
def test_the_fast_layout_loop_gives_the_textbook_positions_to_the_bit(count, iterations):
    """The layout's loop is written for speed (a cold build of a large glossary runs it);
    it must give exactly the positions of the plain form, or the picture's bytes change."""
    import math
    import random

    from microsite.model.concept_graph import NEAR, SEED, force_layout

    generator = random.Random(count)
    nodes = [f"term-{number:03d}" for number in range(count)]
    weights = {}
    while len(weights) < count * 4:
        a, b = sorted(generator.sample(nodes, 2))
        weights[(a, b)] = float(generator.randint(1, 5))
    k = 5 / math.sqrt(count)
    expected = _textbook_force_layout(nodes, weights, k, iterations, SEED, NEAR)
    assert force_layout(nodes, weights, k, iterations) == expected
