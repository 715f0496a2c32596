"""The concept map's graph: glossary terms, and how they relate.

Two terms are related when one lists the other in `see_also`, or when both are
mentioned in the same section (the text under one heading) of an article or a
brief; the weight of a relation is the number of such sections. One edge per
related pair, whatever its direction.

The layout is Fruchterman and Reingold's force layout (as networkx computes it,
here in plain Python: no dependency, and the same floating-point results on
every machine) with a fixed seed, on nodes and edges in a fixed order, its
coordinates rounded: the same content
gives the same picture, to the byte. The positions are then blended with their
ranks (a dense core opens up), and labels that would overlap are pushed apart,
in the same fixed order.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from dataclasses import dataclass, field
from itertools import combinations

SEED = 20240601
LAYOUT_VERSION = 1          # change with the layout, so that cached positions are not reused
# The picture's coordinate system (an SVG viewBox); the CSS scales it.
WIDTH, HEIGHT, MARGIN = 840, 700, 16
FONT_SIZE, LINE_HEIGHT, CHAR_WIDTH = 14, 16, 0.56      # label metrics, in viewBox units (a sans-serif average)
NODE_RADIUS = 6
WRAP = 18                                              # characters per label line
PAIR_STEPS = 190_000                                   # the force layout's budget: iterations x terms²
TERMS_PER_CANVAS = 30       # the picture grows beyond WIDTH x HEIGHT so that each term keeps its room
NEAR = 3                    # a large glossary's terms repel only within NEAR x k (Fruchterman-Reingold's grid)


@dataclass(frozen=True)
class Relation:
    a: str                  # slugs, a < b
    b: str
    see_also: bool          # one of the two lists the other
    sections: int           # sections of articles and briefs that mention both

    @property
    def weight(self) -> int:
        return self.sections + (1 if self.see_also else 0)


@dataclass
class ConceptGraph:
    nodes: list[str]                                    # slugs, in a fixed order
    relations: list[Relation]                           # sorted by (a, b)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    _related: dict[str, list[tuple[str, Relation]]] | None = field(default=None, init=False, repr=False,
                                                                   compare=False)

    @property
    def size(self) -> tuple[float, float]:
        """The picture's width and height (viewBox units): larger for a large glossary."""
        scale = max(1.0, math.sqrt(len(self.nodes) / TERMS_PER_CANVAS))
        return round(WIDTH * scale), round(HEIGHT * scale)

    def related(self, slug: str) -> list[tuple[str, Relation]]:
        """The terms related to one, strongest first, then A-Z by slug."""
        if self._related is None:
            # One pass over the relations for all terms: the map's list asks for every term.
            by_slug: dict[str, list[tuple[str, Relation]]] = {}
            for rel in self.relations:
                by_slug.setdefault(rel.a, []).append((rel.b, rel))
                by_slug.setdefault(rel.b, []).append((rel.a, rel))
            self._related = {term: sorted(pairs, key=lambda pair: (-pair[1].weight, pair[0]))
                             for term, pairs in by_slug.items()}
        return self._related.get(slug, [])


def build_graph(see_also: dict[str, list[str]], sections: dict[str, set[tuple[str, str]]]) -> ConceptGraph:
    """see_also: slug -> related slugs (unknown ones ignored: the glossary reports them);
    sections: slug -> the (page, heading id) places of articles and briefs that mention it."""
    nodes = sorted(see_also)
    linked = {tuple(sorted((slug, other))) for slug, others in see_also.items()
              for other in others if other in see_also and other != slug}
    relations = []
    for a, b in combinations(nodes, 2):
        shared = len(sections.get(a, set()) & sections.get(b, set()))
        if shared or (a, b) in linked:
            relations.append(Relation(a, b, (a, b) in linked, shared))
    return ConceptGraph(nodes, relations)


def wrap_label(label: str, width: int = WRAP) -> list[str]:
    """A label in lines of about `width` characters, broken between words."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [label]


def label_box(lines: list[str]) -> tuple[float, float]:
    """Half width and height of a label (below its node) in viewBox units."""
    return max(len(line) for line in lines) * FONT_SIZE * CHAR_WIDTH / 2, len(lines) * LINE_HEIGHT + NODE_RADIUS


TIP_WRAP, TIP_PAD = 44, 6          # a focused term's definition box: characters per line, padding


def tip_box(x: float, y: float, label: list[str], tip: list[str], size: tuple[float, float]) -> dict[str, float]:
    """Where a focused term shows its definition (`tip`, in lines): a box under its label, or
    above the node when there is no room below, kept inside the picture (`size`). Returns the
    box (left, top, width, height) and its first line's baseline (text_x, text_y)."""
    width = max(len(line) for line in tip) * FONT_SIZE * CHAR_WIDTH + 2 * TIP_PAD
    height = len(tip) * LINE_HEIGHT + 2 * TIP_PAD
    top = y + label_box(label)[1] + TIP_PAD
    if top + height > size[1]:
        top = y - NODE_RADIUS - TIP_PAD - height
    top = min(max(top, 0.0), max(size[1] - height, 0.0))
    left = min(max(x - width / 2, 0.0), max(size[0] - width, 0.0))
    return {"left": left, "top": top, "width": width, "height": height,
            "text_x": left + TIP_PAD, "text_y": top + TIP_PAD + FONT_SIZE * 0.8}


def lay_out(graph: ConceptGraph, labels: dict[str, list[str]]) -> None:
    """Positions in the viewBox for every node (see the module's docstring)."""
    weights = {(rel.a, rel.b): float(rel.weight) for rel in graph.relations}
    # A wide natural spacing: a glossary's terms are related to most others, and labels need room.
    count = max(len(graph.nodes), 1)
    # Each iteration costs up to n² steps in plain Python: a large glossary gets fewer.
    iterations = max(30, min(300, PAIR_STEPS // (count * count)))
    raw = force_layout(graph.nodes, weights, k=5 / math.sqrt(count), iterations=iterations)
    boxes = {slug: label_box(labels[slug]) for slug in graph.nodes}
    spread = _spread(raw, graph.nodes)
    bounds = _bounds(boxes, graph.size)
    positions = _fit(spread, bounds)
    graph.positions = _separate(graph.nodes, positions, boxes, bounds)


def lay_out_cached(graph: ConceptGraph, labels: dict[str, list[str]], cache_dir: str | None) -> None:
    """`lay_out`, or the positions the last build computed for the same graph and labels:
    the layout of a large glossary takes seconds, and most builds change neither."""
    digest = hashlib.sha1(json.dumps([LAYOUT_VERSION, graph.nodes, [(r.a, r.b, r.weight) for r in graph.relations],
                                      [labels[slug] for slug in graph.nodes]]).encode("utf-8")).hexdigest()
    path = os.path.join(cache_dir, "concept-map.json") if cache_dir else None
    try:
        with open(path, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached["digest"] == digest:
            graph.positions = {slug: tuple(cached["positions"][slug]) for slug in graph.nodes}
            return
    except (TypeError, OSError, ValueError, KeyError):
        pass                                    # no cache, another graph, or unreadable: lay out
    lay_out(graph, labels)
    if path:
        try:
            os.makedirs(cache_dir, exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"digest": digest, "positions": graph.positions}, handle)
        except OSError:
            pass                                # the cache only saves time


def force_layout(nodes: list[str], weights: dict[tuple[str, str], float], k: float, iterations: int = 300,
                 seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Fruchterman and Reingold's force-directed layout ("Graph drawing by force-directed
    placement", 1991), as networkx's `spring_layout` computes it: every pair repels with
    k²/d, every edge attracts with w·d²/k, moves are capped by a temperature that cools
    linearly. Plain Python floats from a seeded generator: the same positions on every
    machine (no vectorised arithmetic whose rounding could differ), and no dependency.
    In a large glossary a term is repelled only by those within NEAR·k, found through a
    grid, as the paper proposes: each iteration then costs about n, not n²."""
    generator = random.Random(seed)
    points = [(generator.random(), generator.random()) for _ in nodes]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    index = {slug: number for number, slug in enumerate(nodes)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b]), weight) for (a, b), weight in weights.items())
    cell = NEAR * k if len(nodes) > 60 else None
    k_squared = k * k
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    hypot = math.hypot
    # The hot loop of a cold build: flat lists and local names, each step the same
    # arithmetic in the same order as the textbook form (the picture is unchanged to the byte).
    for _ in range(iterations):
        move_xs, move_ys = [0.0] * len(xs), [0.0] * len(xs)     # every move from the same positions
        for i, near in _neighbours(xs, ys, cell):
            x_i, y_i = xs[i], ys[i]
            for j in near:
                dx, dy = x_i - xs[j], y_i - ys[j]
                distance = hypot(dx, dy)
                if distance < 0.01:
                    distance = 0.01
                force = k_squared / (distance * distance)
                push_x, push_y = dx * force, dy * force
                move_xs[i] += push_x
                move_ys[i] += push_y
                move_xs[j] -= push_x
                move_ys[j] -= push_y
        for i, j, weight in edges:
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            distance = max(hypot(dx, dy), 0.01)
            force = weight * distance / k
            move_xs[i] -= dx * force
            move_ys[i] -= dy * force
            move_xs[j] += dx * force
            move_ys[j] += dy * force
        for i, (move_x, move_y) in enumerate(zip(move_xs, move_ys)):
            length = max(hypot(move_x, move_y), 0.01)
            xs[i] += move_x * temperature / length
            ys[i] += move_y * temperature / length
        temperature -= cooling
    return {slug: (x, y) for slug, x, y in zip(nodes, xs, ys)}


def _neighbours(xs: list[float], ys: list[float], cell: float | None):
    """(i, the j > i it repels, in order): every other node, or with a cell size only
    those in neighbouring grid cells."""
    count = len(xs)
    if cell is None:
        for i in range(count):
            yield i, range(i + 1, count)
        return
    floor = math.floor
    grid: dict[tuple[int, int], list[int]] = {}
    for number in range(count):
        grid.setdefault((floor(xs[number] / cell), floor(ys[number] / cell)), []).append(number)
    for (column, row), members in sorted(grid.items()):
        around = [grid.get((column + d_column, row + d_row), ()) for d_column in (-1, 0, 1) for d_row in (-1, 0, 1)]
        for i in members:
            yield i, [j for others in around for j in others if j > i]


def _spread(positions: dict[str, tuple[float, float]], order: list[str], amount: float = 0.7):
    """Blend each coordinate with its rank among the nodes': a dense core opens up, while the
    left-right and top-bottom order of the terms stays as the force layout found it."""
    spread = {slug: list(point) for slug, point in positions.items()}
    last = max(len(order) - 1, 1)
    for axis in (0, 1):
        values = [point[axis] for point in positions.values()]
        low, high = min(values), max(values)
        ranked = sorted(order, key=lambda slug: (positions[slug][axis], slug))
        for rank, slug in enumerate(ranked):
            spread[slug][axis] = (1 - amount) * positions[slug][axis] + amount * (low + (high - low) * rank / last)
    return {slug: (x, y) for slug, (x, y) in spread.items()}


def _bounds(boxes, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where dots may go: inside the margins, with room for the widest and tallest label."""
    width, height = size
    widest = max(half for half, _ in boxes.values())
    tallest = max(height for _, height in boxes.values())
    return MARGIN + widest, width - MARGIN - widest, MARGIN + NODE_RADIUS, height - MARGIN - tallest


def _fit(positions: dict[str, tuple[float, float]], bounds) -> dict[str, tuple[float, float]]:
    """Scale into the viewBox, inside the margins and leaving room for the labels; rounded."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    left, right, top, bottom = bounds
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def scale(value, low, span, start, end):
        return round(start + (value - low) / span * (end - start), 1)

    return {slug: (scale(x, min(xs), span_x, left, right), scale(y, min(ys), span_y, top, bottom))
            for slug, (x, y) in positions.items()}


def _separate(order: list[str], positions, boxes, bounds, rounds: int = 200) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose label boxes (or dots) overlap, a little at a time. Only nodes
    in neighbouring cells of a grid as large as the largest label can overlap."""
    points = {slug: list(positions[slug]) for slug in order}
    left, right, top, bottom = bounds
    cell_x = 2 * max(half for half, _ in boxes.values()) + 8
    cell_y = max(height for _, height in boxes.values()) + NODE_RADIUS + 6
    rank = {slug: number for number, slug in enumerate(order)}
    for _ in range(rounds):
        moved = False
        grid: dict[tuple[int, int], list[str]] = {}
        for slug in order:
            x, y = points[slug]
            grid.setdefault((math.floor(x / cell_x), math.floor(y / cell_y)), []).append(slug)
        for a in order:
            column, row = math.floor(points[a][0] / cell_x), math.floor(points[a][1] / cell_y)
            near = sorted((b for d_column in (-1, 0, 1) for d_row in (-1, 0, 1)
                           for b in grid.get((column + d_column, row + d_row), ()) if rank[b] > rank[a]),
                          key=rank.get)
            for b in near:
                moved |= _push_apart(points[a], points[b], boxes[a], boxes[b], bounds)
        if not moved:
            break
    return {slug: (round(x, 1), round(y, 1)) for slug, (x, y) in points.items()}


def _push_apart(a: list[float], b: list[float], box_a, box_b, bounds) -> bool:
    """Move two overlapping nodes apart along the axis that needs the smaller shift, half each."""
    left, right, top, bottom = bounds
    (ax, ay), (bx, by) = a, b
    overlap_x = box_a[0] + box_b[0] + 6 - abs(ax - bx)
    # A label hangs below its dot: the boxes span [y - r, y + height].
    overlap_y = (max(ay, by) - NODE_RADIUS) - (min(ay, by) + (box_a[1] if ay <= by else box_b[1])) - 4
    if overlap_x <= 0 or overlap_y >= 0:
        return False
    if overlap_x < -overlap_y:
        shift = overlap_x / 2 + 0.5
        sign = 1 if ax >= bx else -1
        a[0] += sign * shift
        b[0] -= sign * shift
    else:
        shift = -overlap_y / 2 + 0.5
        sign = 1 if ay >= by else -1
        a[1] += sign * shift
        b[1] -= sign * shift
    for point in (a, b):
        point[0] = min(max(point[0], left), right)
        point[1] = min(max(point[1], top), bottom)
    return True
