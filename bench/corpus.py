"""Seeded synthetic corpora for the benchmark, and the mkdocs.yml of each variant.

A corpus is a folder with the same Markdown for every variant:

    <corpus>/docs/               index.md, articles/, briefs/, part-NN/ (<= 50 pages a
                                 section), glossary/<slug>.md (the glossary entries)
    <corpus>/docs-aplus/         the same plus one trivial page per page the project
                                 generates (variant a+)
    <corpus>/bib/sources.bib     the sources
    <corpus>/mkdocs-<variant>.yml

Every part is generated from its own random stream, entry by entry, so that a
larger corpus starts with the smaller one: with 4,000 sources instead of 2,000
the first 2,000 entries are the same and the pages are the same (they cite only
the first `cited_pool` sources and mention only the first `term_pool` terms),
so a doubling run changes one thing only.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
from dataclasses import asdict, dataclass

import yaml

from microsite.model.terms import Term   # the generator's own record of an entry

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOOK = os.path.join(REPO, "hooks", "microsite_events.py")
CSL = os.path.join(REPO, "hooks", "microsite", "model", "styles", "chicago-author-date.csl")
# (cn): a note style, every citation a footnote (pandoc renders first, short and ibid. forms)
NOTE_CSL = os.path.join(REPO, "tests", "data", "styles", "chicago-notes-bibliography.csl")
SECTION_SIZE = 50
GENERATOR_VERSION = 5            # bump when the generated text changes

VARIANTS = ("a", "aplus", "b", "c", "c1", "cn", "d")
LABELS = {
    "a": "(a) Material",
    "aplus": "(a⁺) Material + trivial pages",
    "b": "(b) Material + mkdocs-bibtex",
    "c": "(c) project",
    "c1": "(c) project, sidebars rendered page by page",
    "cn": "(c) project, a note style",
    "d": "(d) project + offline + PDFs",
}


@dataclass(frozen=True)
class Spec:
    pages: int = 200
    sources: int = 2000
    terms: int = 500
    seed: int = 1
    cited_pool: int = 1000      # pages cite only the first `cited_pool` sources
    term_pool: int = 500        # pages mention only the first `term_pool` terms
    print_pages: int = 50       # pages that are articles or briefs (PDFs in variant d)
    words: int = 1500           # words of text a page
    cites: int = 5              # distinct sources cited a page
    mentions: int = 12          # glossary term occurrences a page

    @property
    def name(self) -> str:
        return f"p{self.pages}-s{self.sources}-t{self.terms}"

    def describe(self) -> str:
        return f"{self.pages:,} pages × {self.sources:,} sources × {self.terms:,} terms"

    def fingerprint(self) -> str:
        data = json.dumps([GENERATOR_VERSION, asdict(self)], sort_keys=True)
        return hashlib.sha1(data.encode()).hexdigest()[:10]


# -- vocabulary -----------------------------------------------------------------

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr",
           "st", "tr", "pl", "sk", "ch", "sh", "th"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
_CODAS = ["", "", "", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "rk"]
_FUNCTION_WORDS = ("the of and to in a is that for as with on by this it from be are was at which or an "
                   "not their its has have more but between also these than were other such both can "
                   "into policy state power security economic strategic regional cooperation relations "
                   "government international foreign interests influence partnership order").split()
_TERM_SUFFIXES = ["ism", "ity", "ation", "ance", "ure", "ment", "ship", "ology"]
_TITLE_WORDS = ("Power Strategy Partnership Order Security Rivalry Alliance Economy Sovereignty Influence "
                "Integration Diplomacy Statecraft Borderlands Institutions Ambitions Legitimacy Hegemony "
                "Transition Balance Dependence Alignment Competition Energy Trade Frontier Memory").split()
_SURNAMES = ("Smith Zhang Ivanov Müller García Chen Petrov Wang Kim Nguyen Rossi Kowalski Dubois Sato "
             "Tanaka Novak Horvat Jensen Larsen Silva Santos Costa Kuznetsov Popov Sokolov Lebedev Li Liu "
             "Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Brown Jones Miller "
             "Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson White Harris Clark Lewis "
             "Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell "
             "Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Morris Murphy Cook "
             "Rogers Morgan Cooper Peterson Reed Bailey Bell Gómez Kelly Howard Ward Cox Díaz Richardson "
             "Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster Sanders Ross "
             "Morales Powell Sullivan Russell Ortiz Jenkins Gutiérrez Perry Butler Barnes Fisher Henderson "
             "Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kimura Yamamoto Watanabe Suzuki "
             "Ito Nakamura Kobayashi Saito Kato Yoshida Yamada Sasaki Schmidt Schneider Fischer Weber "
             "Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann "
             "Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann "
             "Morozov Volkov Solovyov Vasiliev Zaitsev Pavlov Semenov Golubev Vinogradov Bogdanov "
             "Vorobyov Fedorov Mikhailov Belyaev Tarasov Belov Komarov Orlov Kiselev Makarov Andreev "
             "Kovalev Ilyin Gusev Titov Kuzmin Kudryavtsev Baranov Kulikov Alekseev Stepanov Yakovlev "
             "Sorokin Sergeev Romanov Zakharov Borisov Korolev Gerasimov Ponomarev Grigoriev Lazarev "
             "Medvedev Ershov Nikitin Sobolev Ryabov Polyakov Tsvetkov Danilov Zhukov Frolov Zhuravlev "
             "Nikolaev Krylov Maksimov Sidorov Osipov Belousov Fedotov Dorofeev Egorov Matveev Bobrov "
             "Dmitriev Kalinin Anisimov Petukhov Antonov Timofeev Nikiforov Veselov Filippov Markov").split()
_GIVEN = ("Anna Boris Chen Daria Elena Feng Georg Hana Igor Jia Katarzyna Lei Maria Nikolai Olga Pavel "
          "Qing Rui Sergei Tatiana Ulla Viktor Wei Xin Yuri Zofia Alexander Bettina Carlos Dmitry "
          "Eun-ji Fatima Gabriel Helen James Karin Laura Mikhail Natalia Oscar Paul Ryan Sophie Thomas").split()
_LATEX = {"ü": '{\\"u}', "ä": '{\\"a}', "ö": '{\\"o}', "é": "{\\'e}", "í": "{\\'i}", "á": "{\\'a}"}
_PUBLISHERS = [("Oxford University Press", "Oxford"), ("Cambridge University Press", "Cambridge"),
               ("Routledge", "London"), ("Palgrave Macmillan", "Basingstoke"), ("Brookings Institution Press",
               "Washington, DC"), ("Columbia University Press", "New York"), ("Polity", "Cambridge"),
               ("Stanford University Press", "Stanford, CA"), ("Springer", "Cham")]
_JOURNALS = ["International Affairs", "Survival", "Europe-Asia Studies", "The Washington Quarterly",
             "International Security", "Post-Soviet Affairs", "Asian Survey", "Foreign Affairs",
             "Journal of Strategic Studies", "Problems of Post-Communism", "The China Quarterly"]
_INSTITUTIONS = ["RAND Corporation", "Carnegie Endowment for International Peace", "Chatham House",
                 "International Crisis Group", "Valdai Discussion Club", "Center for Strategic and "
                 "International Studies", "Congressional Research Service", "SIPRI"]
_SITES = ["The Diplomat", "Foreign Policy", "War on the Rocks", "East Asia Forum", "Riddle", "Carnegie Politika"]
_LOCATORS = ["p. {n}", "pp. {n}–{m}", "chap. {c}", "sec. {c}", "p. {n}", "p. {n}"]


def _vocabulary(rng: random.Random, size: int, exclude: set[str] = frozenset(), suffixes=None) -> list[str]:
    words, seen = [], set(exclude)
    while len(words) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                       for _ in range(rng.choice((1, 1, 2, 2, 2, 3))))
        if suffixes:
            word += rng.choice(suffixes)
        if len(word) > 2 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


# -- sources ------------------------------------------------------------------------

@dataclass
class Entry:
    key: str
    type: str
    fields: dict[str, str]

    def bibtex(self) -> str:
        lines = [f"@{self.type}{{{self.key},"]
        lines += [f"  {name:<11}= {{{value}}}," for name, value in self.fields.items()]
        return "\n".join(lines) + "\n}\n"


def make_sources(spec: Spec, words: list[str]) -> list[Entry]:
    rng = random.Random(f"{spec.seed}-sources")
    surnames = _SURNAMES                   # ~300 surnames for thousands of entries: many share one
    entries, keys = [], set()
    for _ in range(spec.sources):
        kind = rng.choices(["book", "article", "incollection", "report", "online"], [3, 4, 2, 2, 1])[0]
        people = [(rng.choice(surnames), rng.choice(_GIVEN)) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
        year = str(rng.randint(1995, 2023))
        topic = rng.choice(words)
        title = (f"{rng.choice(_TITLE_WORDS)} and {rng.choice(_TITLE_WORDS)} in "
                 f"{topic.capitalize()} {rng.choice(words).capitalize()}")
        if rng.random() < 0.4:
            title += f": {' '.join(rng.choice(words) for _ in range(rng.randint(3, 6))).capitalize()}"
        base = f"{_ascii(people[0][0]).lower()}{year}{topic[:8]}"
        key, suffix = base, 0
        while key in keys:
            suffix += 1
            key = f"{base}{chr(96 + suffix) if suffix < 27 else suffix}"
        keys.add(key)
        authors = " and ".join(f"{_latex(family)}, {given}" for family, given in people)
        fields: dict[str, str] = {}
        if kind == "book":
            publisher, place = rng.choice(_PUBLISHERS)
            fields.update({"author" if rng.random() < 0.85 else "editor": authors, "title": title,
                           "publisher": publisher, "address": place, "year": year})
            if rng.random() < 0.2:
                fields["edition"] = str(rng.randint(2, 4))
        elif kind == "article":
            first = rng.randint(1, 400)
            fields.update({"author": authors, "title": title, "journal": rng.choice(_JOURNALS),
                           "volume": str(rng.randint(1, 90)), "number": str(rng.randint(1, 6)),
                           "pages": f"{first}--{first + rng.randint(8, 30)}", "year": year})
            if rng.random() < 0.6:
                fields["doi"] = f"10.{rng.randint(1000, 9999)}/{key}.{rng.randint(100, 999)}"
        elif kind == "incollection":
            publisher, place = rng.choice(_PUBLISHERS)
            first = rng.randint(1, 300)
            editor = rng.choice(surnames)
            fields.update({"author": authors, "title": title,
                           "booktitle": f"The {rng.choice(_TITLE_WORDS)} of {rng.choice(words).capitalize()}",
                           "editor": f"{_latex(editor)}, {rng.choice(_GIVEN)}", "publisher": publisher,
                           "address": place, "pages": f"{first}--{first + rng.randint(10, 25)}", "year": year})
        elif kind == "report":
            fields.update({"author": authors, "title": title, "institution": rng.choice(_INSTITUTIONS),
                           "number": f"{rng.choice(['RR', 'WP', 'PB'])}-{rng.randint(100, 999)}", "year": year})
            if rng.random() < 0.5:
                fields["url"] = f"https://example.org/reports/{key}"
        else:
            fields.update({"author": authors, "title": title, "organization": rng.choice(_SITES),
                           "url": f"https://example.org/{year}/{key}",
                           "urldate": f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                           "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
        entries.append(Entry(key, kind, fields))
    return entries


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("üäöéíáó", "uaoeiao"))


# -- glossary ----------------------------------------------------------------------

def make_terms(spec: Spec, term_words: list[str], words: list[str]) -> list[Term]:
    rng = random.Random(f"{spec.seed}-terms")
    terms: list[Term] = []
    forms: set[str] = set()
    slugs: set[str] = set()
    for _ in range(spec.terms):
        while True:
            size = rng.choice((1, 2, 2, 2, 3, 3))
            parts = [rng.choice(term_words).capitalize() for _ in range(size)]
            if size > 1 and rng.random() < 0.3:
                parts.insert(-1, rng.choice(("of", "for", "and")))
            name = " ".join(parts)
            aliases = []
            capitals = [part[0] for part in parts if part[0].isupper()]
            if size > 1 and rng.random() < 0.6:
                aliases.append("".join(capitals) + ("" if rng.random() < 0.7 else rng.choice("ABCDEFGHKLMPRST")))
            if size > 2 and rng.random() < 0.5:
                aliases.append(" ".join(parts[1:]))
            folded = [form if form.isupper() else form.casefold() for form in [name] + aliases]
            if len(set(folded)) == len(folded) and not any(form in forms for form in folded) and \
                    all(len(form) > 2 for form in folded):
                break
        forms.update(folded)
        slug = "-".join(part.lower() for part in name.split())
        while slug in slugs:
            slug += "-2"
        slugs.add(slug)
        summary = f"A {rng.choice(words)} {rng.choice(('concept', 'institution', 'doctrine', 'process'))} " \
                  f"of {rng.choice(words)} {rng.choice(words)} in the study of {rng.choice(words)} relations."
        terms.append(Term(slug, name, aliases, [], summary, document=None))
    # see_also within each block of `term_pool` entries, so that the first block does not change
    # when more terms are added
    for index, term in enumerate(terms):
        block = index // spec.term_pool * spec.term_pool
        choices = range(block, min(block + spec.term_pool, len(terms)))
        pick_rng = random.Random(f"{spec.seed}-see-also-{index}")
        picks = pick_rng.sample(list(choices), k=min(len(choices), pick_rng.choice((0, 1, 2, 2, 3))))
        term.see_also = [terms[pick].slug for pick in picks if pick != index]
    return terms


# -- pages -------------------------------------------------------------------------------

class Writer:
    """Pseudo-text with citations and glossary mentions."""

    def __init__(self, rng: random.Random, words: list[str], keys: list[str], terms: list[Term]):
        self.rng, self.words, self.keys, self.terms = rng, words, keys, terms
        self.weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(words))]   # Zipf-like

    def sentence(self, extra: str = "") -> str:
        count = self.rng.randint(8, 24)
        chosen = self.rng.choices(self.words, self.weights, k=count)
        if extra:
            chosen.insert(self.rng.randint(1, count - 1), extra)
        text = " ".join(chosen)
        if self.rng.random() < 0.08:                  # some emphasis
            index = self.rng.randrange(len(chosen))
            chosen[index] = f"*{chosen[index]}*"
            text = " ".join(chosen)
        return text[:1].upper() + text[1:]

    def phrase(self, low: int, high: int) -> str:
        text = " ".join(self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high)))
        return text[:1].upper() + text[1:]

    def mention(self) -> str:
        term = self.rng.choice(self.terms)
        form = self.rng.choice(term.forms)
        if not form.isupper() and self.rng.random() < 0.5:
            form = form.lower()
        suffix = self.rng.choices(("", "s", "'s"), (8, 1, 1))[0]
        return form + suffix

    def citation(self, keys: list[str]) -> str:
        items = []
        for key in keys:
            roll = self.rng.random()
            if roll < 0.35:
                items.append(f"@{key}")
            elif roll < 0.75:
                n = self.rng.randint(3, 300)
                locator = self.rng.choice(_LOCATORS).format(n=n, m=n + self.rng.randint(1, 9),
                                                           c=self.rng.randint(1, 12))
                items.append(f"@{key}, {locator}")
            else:
                items.append(f"{self.rng.choice(('see', 'cf.', 'see also'))} @{key}")
        return "[" + "; ".join(items) + "]"

    def body(self, words: int, cites: int, mentions: int, headings: bool = True) -> str:
        sentences = max(1, words // 16)
        keys = self.rng.sample(self.keys, k=min(cites, len(self.keys))) if self.keys else []
        clusters: list[list[str]] = []
        while keys:
            take = self.rng.choice((1, 1, 2))
            clusters.append(keys[:take])
            keys = keys[take:]
        cite_at = {self.rng.randrange(sentences): cluster for cluster in clusters}
        mention_at: dict[int, list[str]] = {}
        for _ in range(mentions if self.terms else 0):
            mention_at.setdefault(self.rng.randrange(sentences), []).append(self.mention())
        paragraphs, current = [], []
        for index in range(sentences):
            extra = " ".join(mention_at.get(index, []))
            text = self.sentence(extra)
            if index in cite_at:
                text += " " + self.citation(cite_at[index])
            current.append(text + ".")
            if len(current) >= self.rng.randint(4, 7):
                paragraphs.append(" ".join(current))
                current = []
                if headings and len(paragraphs) % 4 == 0:
                    paragraphs.append("## " + self.phrase(3, 7))
                if self.rng.random() < 0.05:
                    paragraphs.append("\n".join(f"- {self.sentence()}." for _ in range(self.rng.randint(2, 5))))
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs) + "\n"


def _front(**values) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


@dataclass
class Page:
    src_uri: str
    title: str
    text: str


def make_pages(spec: Spec, words: list[str], sources: list[Entry], terms: list[Term]) -> tuple[list[Page], list]:
    """Pages and the nav (a list of (section title, [src_uri...]))."""
    rng = random.Random(f"{spec.seed}-pages")
    keys = [entry.key for entry in sources[: spec.cited_pool]]
    writer = Writer(rng, words, keys, terms[: spec.term_pool])
    pages, sections = [], []
    articles = min(spec.print_pages, max(1, spec.print_pages // 5), spec.pages)
    briefs = min(spec.print_pages - articles, spec.pages - articles)
    layout = [("Articles", "articles", articles), ("Briefs", "briefs", briefs)]
    rest, part = spec.pages - articles - briefs, 0
    while rest > 0:
        part += 1
        layout.append((f"Part {part}", f"part-{part:02d}", min(SECTION_SIZE, rest)))
        rest -= SECTION_SIZE
    for section_title, folder, count in layout:
        # an articles/ or briefs/ section larger than 50 would be split the same way
        uris = []
        for number in range(1, count + 1):
            title = writer.phrase(4, 9).title()
            authors = [f"{rng.choice(_GIVEN)} {rng.choice(_SURNAMES)}" for _ in range(rng.choice((1, 1, 2, 3)))]
            text = _front(title=title, authors=authors,
                          date=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                          summary=writer.sentence() + ". " + writer.sentence() + ".")
            text += writer.body(spec.words, spec.cites, spec.mentions)
            uri = f"{folder}/page-{number:03d}.md"
            pages.append(Page(uri, title, text))
            uris.append(uri)
        for start in range(0, len(uris), SECTION_SIZE):
            suffix = f" ({start // SECTION_SIZE + 1})" if len(uris) > SECTION_SIZE else ""
            sections.append((section_title + suffix, uris[start:start + SECTION_SIZE]))
    glossary_writer = Writer(random.Random(f"{spec.seed}-glossary"), words, keys, terms[: spec.term_pool])
    for term in terms:
        text = _front(term=term.term, aliases=term.aliases, see_also=term.see_also, summary=term.summary)
        text += glossary_writer.body(80, glossary_writer.rng.choice((0, 0, 1)), 1, headings=False)
        pages.append(Page(f"glossary/{term.slug}.md", term.term, text))
    home = _front(title="Home") + f"# Synthetic research site\n\n{spec.describe()}, seed {spec.seed}.\n\n" + \
        writer.body(200, 0, 2, headings=False)
    pages.append(Page("index.md", "Home", home))
    return pages, sections


def cited_keys(pages: list[Page], sources: list[Entry]) -> list[str]:
    found = set()
    for page in pages:
        found.update(re.findall(r"@([\w][\w:.#$%&\-+?<>~/]*[\w])", page.text))
    return [entry.key for entry in sources if entry.key in found]


# -- variants -----------------------------------------------------------------------------

def _base_config(site_name: str) -> dict:
    """The real site's theme and Markdown extensions (mkdocs.yml), the same for every variant."""
    with open(os.path.join(REPO, "mkdocs.yml"), encoding="utf-8") as handle:
        real = yaml.load(handle, Loader=_EnvLoader)
    return {
        "site_name": site_name,
        "docs_dir": "docs",
        "theme": real["theme"],
        "markdown_extensions": real["markdown_extensions"],
        "not_in_nav": "/glossary/\n/bibliography/\n/downloads/\n",
    }


class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)


def variant_config(variant: str, spec: Spec, sections, cache_dir: str) -> dict:
    config = _base_config(f"Benchmark {spec.name}")
    nav = [{"Home": "index.md"}] + [{title: uris} for title, uris in sections]
    generated_nav = [{"Glossary": "glossary/index.md"}, {"Bibliography": "bibliography/index.md"}]
    if variant == "a":
        config.update(plugins=["search"], nav=nav)
    elif variant == "aplus":
        config.update(docs_dir="docs-aplus", plugins=["search"], nav=nav + generated_nav)
    elif variant == "b":
        config.update(plugins=["search", {"bibtex": {"bib_file": "bib/sources.bib", "csl_file": CSL,
                                                     "enable_inline_citations": False}}], nav=nav)
    elif variant in ("c", "c1", "cn", "d"):
        config.update(plugins=["search"], hooks=[HOOK], nav=nav + generated_nav)
        config["extra"] = {"microsite": {
            "bib_dir": "bib", "bibliography_include": "cited", "glossary_link": "first",
            "offline": variant == "d", "pdf": variant == "d", "cache_dir": cache_dir,
            # (c1): without the shared sidebars, what Material costs rendering every page itself
            "share_sidebars": variant != "c1",
        }}
        if variant == "cn":
            config["extra"]["microsite"]["csl_file"] = NOTE_CSL
    else:
        raise ValueError(variant)
    return config


TRIVIAL = "---\ntitle: {title}\n---\n\n# {title}\n\nA placeholder page.\n"


def aplus_extra_pages(cited: list[str], terms: list[Term]) -> dict[str, str]:
    """One trivial page for each page the project generates, where it puts it: a page per cited
    source (bibliography/<key>.md, not in the nav), the bibliography and glossary indexes (in the
    nav) and the downloads page. The glossary entries are authored Markdown: every variant has them."""
    pages = {"bibliography/index.md": TRIVIAL.format(title="Bibliography"),
             "glossary/index.md": TRIVIAL.format(title="Glossary"),
             "downloads/index.md": TRIVIAL.format(title="Downloads")}
    for key in cited:
        pages[f"bibliography/{key}.md"] = TRIVIAL.format(title=json.dumps(key))
    return pages


@dataclass
class Corpus:
    spec: Spec
    root: str
    counts: dict

    def config(self, variant: str) -> str:
        return os.path.join(self.root, f"mkdocs-{variant}.yml")

    def cache_dir(self, variant: str) -> str:
        return os.path.join(self.root, f".cache-{variant}")

    def page_path(self, src_uri: str, variant: str = "c") -> str:
        return os.path.join(self.root, "docs-aplus" if variant == "aplus" else "docs", src_uri)


def generate(spec: Spec, workdir: str) -> Corpus:
    """Write the corpus (or reuse it when the same spec was written before)."""
    root = os.path.join(workdir, spec.name + "-" + spec.fingerprint())
    stamp = os.path.join(root, "corpus.json")
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as handle:
            return Corpus(spec, root, json.load(handle)["counts"])
    shutil.rmtree(root, ignore_errors=True)
    vocabulary_rng = random.Random(f"{spec.seed}-vocabulary")
    words = _FUNCTION_WORDS + _vocabulary(vocabulary_rng, 2500, set(_FUNCTION_WORDS))
    term_words = _vocabulary(vocabulary_rng, 1500, set(words), _TERM_SUFFIXES)
    sources = make_sources(spec, words)
    terms = make_terms(spec, term_words, words)
    pages, sections = make_pages(spec, words, sources, terms)
    cited = cited_keys(pages, sources)
    extra = aplus_extra_pages(cited, terms)

    for docs, additions in (("docs", {}), ("docs-aplus", extra)):
        for page in pages:
            _write(os.path.join(root, docs, page.src_uri), page.text)
        for uri, text in additions.items():
            _write(os.path.join(root, docs, uri), text)
    _write(os.path.join(root, "bib", "sources.bib"), "\n".join(entry.bibtex() for entry in sources))
    for variant in VARIANTS:
        cache = ".cache-c" if variant == "c1" else f".cache-{variant}"     # (c1) builds warm, after (c)
        config = variant_config(variant, spec, sections, cache)
        _write(os.path.join(root, f"mkdocs-{variant}.yml"),
               yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000))
    counts = {"pages": spec.pages, "glossary_entries": len(terms), "sources": len(sources),
              "cited_sources": len(cited), "aplus_extra_pages": len(extra),
              "markdown_files": len(pages), "words_per_page": spec.words,
              "sections": len(sections), "print_pages": sum(1 for p in pages if p.src_uri.split("/")[0]
                                                            in ("articles", "briefs"))}
    _write(stamp, json.dumps({"spec": asdict(spec), "counts": counts}, indent=2))
    return Corpus(spec, root, counts)


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
