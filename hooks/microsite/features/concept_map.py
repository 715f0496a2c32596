"""The concept map: a page at glossary/map/ that draws how the glossary's terms
relate (`microsite.model.concept_graph`), as an SVG written at build time, with
the same graph as lists for screen readers and for readers who prefer text.
A glossary with fewer than three entries has no map.

Files: add the page (out of the navigation; the glossary index links it).
Env: every page is rendered, so every mention is known: build the graph and
lay it out, once.
Late: `concept-map` - the picture (`map`), the lists (`list`), and the link
on the glossary index (`link`, written by glossary-intro.html; empty when there
is no map).
"""

from __future__ import annotations

from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_relative_url

from microsite.content.documents import ARTICLE, BRIEF
from microsite.context import PageState
from microsite.feature import Feature
from microsite.generated import add_file, front_matter, late, not_generated
from microsite.late import Marker
from microsite.model import concept_graph
from microsite.model.concept_graph import ConceptGraph, Relation

MIN_TERMS = 3
PAGE = "glossary/map/index.md"
PAGE_IF_TAKEN = "glossary/concept-map/index.md"     # when a glossary entry is called "map"
LATE_KIND = "concept-map"


class ConceptMap(Feature):
    name = "concept-map"

    def __init__(self, context):
        super().__init__(context)
        self.page_url: str | None = None
        self.graph: ConceptGraph | None = None
        self.labels: dict[str, list[str]] = {}

    def late_kinds(self):
        return {LATE_KIND: self._late_html}

    def on_files(self, files) -> None:
        glossary = self.context.glossary
        if glossary is None or len(glossary.terms) < MIN_TERMS:
            count = len(glossary.terms) if glossary is not None else 0
            not_generated(self.context, files, PAGE, f"the glossary has {count} entr{'y' if count == 1 else 'ies'} "
                          f"and the concept map is drawn from {MIN_TERMS}", "add entries (README, 'A glossary entry')")
            return
        uri = PAGE if "map" not in glossary.terms else PAGE_IF_TAKEN
        content = (front_matter(title="Concept map",
                                description="How the terms of the glossary relate: a map and the same as lists.")
                   + late(LATE_KIND, "map")
                   + "## The map as a list\n\n" + late(LATE_KIND, "list"))
        self.page_url = add_file(self.context, files, uri, content, InclusionLevel.NOT_IN_NAV).url

    def on_env(self, env, files) -> None:
        if self.page_url is None:
            return
        with self.context.timings.timed("concept map"):
            terms = self.context.glossary.terms
            self.graph = concept_graph.build_graph({slug: term.see_also for slug, term in terms.items()},
                                                   self._sections())
            self.labels = {slug: concept_graph.wrap_label(term.term) for slug, term in terms.items()}
            concept_graph.lay_out_cached(self.graph, self.labels, self.context.cache_dir)

    def _sections(self) -> dict[str, set[tuple[str, str]]]:
        """slug -> (page URL, heading id) of the sections of articles and briefs that mention it."""
        counted = {self.context.url_of(src_uri) for src_uri, document in self.context.documents.items()
                   if document.kind in (ARTICLE, BRIEF)}
        return {slug: {(place.page_url, place.anchor) for place in places if place.page_url in counted}
                for slug, places in self.context.mentioned_in.places.items()}

    # -- late ------------------------------------------------------------------------
    def _late_html(self, marker: Marker, state: PageState):
        templates = self.context.templates
        if marker.target == "link":
            if self.page_url is None:
                return ""
            return templates.render("microsite/concept-map-link.html", url=get_relative_url(self.page_url, state.url))
        if self.graph is None or marker.target not in ("map", "list"):
            return None
        if marker.target == "map":
            return templates.render("microsite/concept-map.html", nodes=self._nodes(state), edges=self._edges(),
                                    width=self.graph.size[0], height=self.graph.size[1],
                                    radius=concept_graph.NODE_RADIUS, line_height=concept_graph.LINE_HEIGHT,
                                    font_size=concept_graph.FONT_SIZE)
        entries = [{"url": self._entry_url(slug, state), "term": self.context.glossary.terms[slug],
                    "related": [{"url": self._entry_url(other, state), "term": self.context.glossary.terms[other],
                                 "why": _why(relation)} for other, relation in self.graph.related(slug)]}
                   for slug in self.graph.nodes]
        return templates.render("microsite/concept-map-list.html", entries=entries,
                                relations=len(self.graph.relations))

    def _entry_url(self, slug: str, state: PageState) -> str:
        return get_relative_url(self.context.url_of(self.context.glossary.terms[slug].document.src_uri), state.url)

    def _nodes(self, state: PageState) -> list[dict]:
        terms = self.context.glossary.terms
        return [{"slug": slug, "url": self._entry_url(slug, state), "term": terms[slug],
                 "x": _number(self.graph.positions[slug][0]), "y": _number(self.graph.positions[slug][1]),
                 "lines": self.labels[slug], "tip": self._tip(slug)} for slug in self.graph.nodes]

    def _tip(self, slug: str) -> dict:
        """The definition a term shows while it has the keyboard's focus (hover shows its title)."""
        lines = concept_graph.wrap_label(self.context.glossary.terms[slug].tooltip, concept_graph.TIP_WRAP)
        box = concept_graph.tip_box(*self.graph.positions[slug], self.labels[slug], lines, self.graph.size)
        return {"lines": lines, **{name: _number(value) for name, value in box.items()}}

    def _edges(self) -> list[dict]:
        terms, positions = self.context.glossary.terms, self.graph.positions
        strongest = max((relation.sections for relation in self.graph.relations), default=0) or 1
        edges = []
        # Weakest first, so that strong lines are drawn over weak ones.
        for relation in sorted(self.graph.relations, key=lambda rel: (rel.sections, rel.see_also, rel.a, rel.b)):
            (x1, y1), (x2, y2) = positions[relation.a], positions[relation.b]
            strength = relation.sections / strongest          # 0 for "see also" only
            edges.append({"x1": _number(x1), "y1": _number(y1), "x2": _number(x2), "y2": _number(y2),
                          "see_also": relation.see_also, "sections": relation.sections,
                          "width": _number(0.75 + 4.25 * strength), "opacity": _number(0.08 + 0.82 * strength ** 1.5, 2)
                          if relation.sections else "0.8",
                          "title": f"{terms[relation.a].term} – {terms[relation.b].term}: {_why(relation)}"})
        return edges


def _why(relation: Relation) -> str:
    reasons = []
    if relation.see_also:
        reasons.append("see also")
    if relation.sections:
        reasons.append(f"together in {relation.sections} section{'s' if relation.sections != 1 else ''}")
    return "; ".join(reasons)


def _number(value: float, decimals: int = 1) -> str:
    """A number as the SVG shows it: rounded, no trailing zeros, the same text on every machine."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text or "0"
