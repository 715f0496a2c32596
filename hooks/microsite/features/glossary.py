"""The glossary: one entry per file in docs/glossary/, terms linked on every
page, an A-Z index at glossary/, and on each entry its related entries and
the pages that mention it.

Files: read and validate the entries (the context's `glossary`), add the
index, keep the entries out of the navigation (the index lists them).
Page Markdown: an entry's page gets its headword as title and its summary
as description, and ranks first in search for its own forms; on every page
terms are linked and mentions recorded (`microsite.markdown.glossary`); an
entry gets "See also" and "Mentioned in".
Page content: where each term is mentioned goes to the context's `mentioned_in`.
Late: `see-also`, `mentioned-in`, `glossary-index`.
"""

from __future__ import annotations

from markupsafe import Markup
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_relative_url

from microsite.backlinks import Place, toc_titles
from microsite.content.documents import GLOSSARY_ENTRY
from microsite.context import AppendixSection, PageState
from microsite.feature import Feature
from microsite.generated import add_file, front_matter, late, not_generated
from microsite.late import Marker
from microsite.markdown.glossary import glossary_extension, never_found
from microsite.model.terms import Term, form_line, load_glossary
from microsite.site import material

INDEX = "glossary/index.md"
PAGE_ONLY = {"material.extensions.preview"}      # Markdown extensions that work only in a page


class Glossary(Feature):
    name = "glossary"

    def __init__(self, context):
        super().__init__(context)
        self._mentions: dict[str, list] = {}            # src_uri -> (slug, heading) in reading order
        self._letter_ids: dict[str, str] = {}           # index heading text -> its id
        self._index_url = ""

    def markdown_extensions(self) -> list:
        return [glossary_extension(self)]

    def late_kinds(self):
        return {"see-also": self._see_also_html, "mentioned-in": self._mentioned_in_html,
                "glossary-index": self._index_html}

    # -- files -----------------------------------------------------------------
    def on_files(self, files) -> None:
        context = self.context
        with context.timings.timed("load glossary"):
            context.glossary = load_glossary(context.documents, context.problems)
            self._report_forms_never_found()
        if not any(document.kind == GLOSSARY_ENTRY for document in context.documents.values()):
            # As a site without a timeline file has no timeline: no entries, no glossary page.
            not_generated(context, files, INDEX, "there are no glossary entries (docs/glossary/<slug>.md)",
                          "add an entry (README, 'A glossary entry')")
            return
        with context.timings.timed("generate pages"):
            letters = self._by_letter()
            skeleton = (front_matter(title="Glossary",
                                     description="Terms and acronyms used on this site, with short definitions.")
                        + late("glossary-index", "intro")
                        + "".join(f"## {_heading(letter)}\n\n" + late("glossary-index", letter) for letter in letters))
            self._index_url = add_file(context, files, INDEX, skeleton).url
            for term in context.glossary.terms.values():
                file = files.get_file_from_path(term.document.src_uri)
                if file.inclusion.is_in_nav():
                    file.inclusion = InclusionLevel.NOT_IN_NAV

    def _report_forms_never_found(self) -> None:
        """A term or alias the site's Markdown turns into something else is linked nowhere."""
        config, terms = self.context.config, self.context.glossary.terms.values()
        # The site's extensions, not the generator's: they would act on a page of their own.
        # Nor those that only mark a page's links and need MkDocs' page to do it (Material's
        # link previews end in a ValueError outside a page); they change no text.
        extensions = [extension for extension in config.markdown_extensions
                      if not type(extension).__module__.startswith("microsite.") and extension not in PAGE_ONLY]
        # (A form left empty by its invisible characters is reported as such already.)
        shown = never_found([form for term in terms for form in term.forms if form.strip()], extensions,
                            config.mdx_configs)
        for term in terms:
            for index, form in enumerate(term.forms):
                if form not in shown:
                    continue
                seen = f"a reader sees '{shown[form].strip()}'" if shown[form].strip() else "a reader sees nothing of it"
                self.context.problems.report(
                    term.document.path, form_line(term, index),
                    f"the {'alias' if index else 'term'} '{form}' is never linked: Markdown reads it as markup, "
                    f"not as text, wherever a page writes it ({seen})",
                    "Write it as readers see it, without Markdown marks, HTML tags, character references "
                    "(`&amp;`) or backslash escapes; or remove it.")

    def _by_letter(self) -> dict[str, list[Term]]:
        letters: dict[str, list[Term]] = {}
        for term in self.context.glossary.terms.values():
            letter = term.term[:1].upper()
            letters.setdefault(letter if letter.isalpha() else "#", []).append(term)
        return dict(sorted(letters.items()))

    # -- one page --------------------------------------------------------------------
    def own_term(self, state: PageState) -> Term | None:
        return self.context.glossary.by_src_uri(state.src_uri) if state.kind == "glossary-entry" else None

    def on_page_markdown(self, markdown, page, state):
        term = self.own_term(state)
        if term is not None:
            page.meta.setdefault("description", term.summary)
            material.rank_first_for(page, term.forms)
        return markdown

    def page_scanned(self, state: PageState, own: Term | None, mentions: list) -> None:
        """Called by the term linker once it has walked the page."""
        self._mentions[state.src_uri] = mentions
        if own is not None:
            if any(slug in self.context.glossary.terms for slug in own.see_also):
                state.appendix.append(AppendixSection(10, "See also", "see-also", own.slug))
            state.appendix.append(AppendixSection(30, "Mentioned in", "mentioned-in", own.slug))

    def on_page_content(self, html, page, state):
        mentions = self._mentions.pop(state.src_uri, [])
        if state.src_uri == INDEX:
            self._letter_ids = {str(item.title): item.id for item in page.toc}
        if mentions:
            titles = toc_titles(page.toc)
            title = Markup(page.title or page.file.name)
            for slug, heading in mentions:
                anchor = heading.get("id", "") if heading is not None else ""
                self.context.mentioned_in.add(slug, Place(page.url, title, anchor, titles.get(anchor, "")))
        return html

    # -- late ------------------------------------------------------------------------
    def _entry_url(self, term: Term, state: PageState) -> str:
        return get_relative_url(self.context.url_of(term.document.src_uri), state.url)

    def _see_also_html(self, marker: Marker, state: PageState):
        terms = self.context.glossary.terms
        if marker.target not in terms:
            return None
        related = [terms[slug] for slug in terms[marker.target].see_also if slug in terms and slug != marker.target]
        entries = [{"url": self._entry_url(term, state), "term": term} for term in related]
        return self.context.templates.render("microsite/see-also.html", entries=entries)

    def _mentioned_in_html(self, marker: Marker, state: PageState):
        if marker.target not in self.context.glossary.terms:
            return None
        pages = [{"url": get_relative_url(page.url, state.url), "title": page.title, "sections": page.sections}
                 for page in self.context.mentioned_in.by_page(marker.target)]
        return self.context.templates.render("microsite/backlinks.html", pages=pages,
                                             empty="Not mentioned on other pages yet.")

    def _index_html(self, marker: Marker, state: PageState):
        letters = self._by_letter()
        if marker.target == "intro":
            jump = [{"letter": _heading(letter), "anchor": self._letter_ids.get(_heading(letter), "")}
                    for letter in letters]
            return self.context.templates.render("microsite/glossary-intro.html",
                                                 count=len(self.context.glossary.terms), letters=jump)
        if marker.target not in letters:
            return None
        entries = [{"url": self._entry_url(term, state), "term": term} for term in letters[marker.target]]
        return self.context.templates.render("microsite/glossary-letter.html", entries=entries)


def _heading(letter: str) -> str:
    return letter if letter != "#" else "Other"
