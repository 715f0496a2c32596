"""LaTeX in bib field values, as Unicode text or as sanitised rich-text HTML.

pylatexenc parses the LaTeX (accents, `\\ss`, `--`, `~`, math, unknown
commands: their arguments keep their text, `\\foo{bar}` gives `bar`); nh3 (the
Rust sanitiser ammonia) makes sure the HTML has no tag or attribute outside an
allow-list. Rich text an author may legitimately write in a title survives:
`\\emph`/`\\textit`, `\\textbf`, `\\textsuperscript`, `\\textsubscript` and the
HTML tags Zotero exports (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">`,
small-caps spans). Everything else is text, escaped.

How: allowed markup (LaTeX or HTML) becomes private-use marker characters,
pylatexenc turns the rest into text, the text is escaped and the markers are
turned back into tags; `text()` drops them instead.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, SpecialsTextSpec, get_default_latex_context_db

# Marker characters (Unicode private use area) for the allowed markup.
_OPEN = {"i": "\ue000", "b": "\ue001", "sup": "\ue002", "sub": "\ue003",
         "nocase": "\ue004", "smallcaps": "\ue005"}
_CLOSE = {"i": "\ue010", "b": "\ue011", "sup": "\ue012", "sub": "\ue013", "span": "\ue014"}
_MARKER_HTML = {
    _OPEN["i"]: "<i>", _OPEN["b"]: "<b>", _OPEN["sup"]: "<sup>", _OPEN["sub"]: "<sub>",
    _OPEN["nocase"]: '<span class="nocase">', _OPEN["smallcaps"]: '<span class="smallcaps">',
    _CLOSE["i"]: "</i>", _CLOSE["b"]: "</b>", _CLOSE["sup"]: "</sup>", _CLOSE["sub"]: "</sub>",
    _CLOSE["span"]: "</span>",
}
_MARKERS = re.compile("[\ue000-\ue01f]")

# LaTeX commands that carry rich text, and the tag each becomes.
_RICH_COMMANDS = {
    "emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
    "textbf": "b", "mkbibbold": "b",
    "textsuperscript": "sup", "mkbibsuperscript": "sup",
    "textsubscript": "sub", "mkbibsubscript": "sub",
    "textsc": "smallcaps",
}
# Commands whose first argument is the text (pylatexenc's walker must know their arity).
_ONE_ARGUMENT = ["mkbibemph", "mkbibitalic", "mkbibbold", "mkbibsuperscript", "mkbibsubscript",
                 "mkbibquote", "textsuperscript", "textsubscript", "texttt", "textsf", "textup", "textmd",
                 "textnormal", "mbox", "hbox", "nocite", "noopsort", "sortnoop", "url", "nolinkurl", "path",
                 "textsc", "textsl"]
_NAMED = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
          "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "BibLaTeX": "BibLaTeX", "biblatex": "biblatex"}

# Allowed HTML in field values, as Zotero and Better BibTeX write it.
_HTML_TAG = re.compile(
    r"""<(?P<close>/)?(?P<name>i|b|em|strong|sup|sub|span)
        (?P<attributes>(?:\s+class\s*=\s*["']nocase["']
                         |\s+style\s*=\s*["']\s*font-variant\s*:\s*small-caps\s*;?\s*["'])?)\s*>""",
    re.IGNORECASE | re.VERBOSE)

# Only values with a command or math go through pylatexenc (about 2% of a large
# export); protective braces, ties, dashes and quotes are replaced directly.
_NEEDS_PARSER = re.compile(r"[\\$]")
_SIMPLE = [("{", ""), ("}", ""), ("~", "\u00a0"), ("---", "\u2014"), ("--", "\u2013"),
           ("``", "\u201c"), ("''", "\u201d")]


def _walker_context():
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "microsite-bib", prepend=True,
        macros=[macrospec.MacroSpec(name, "{") for name in _ONE_ARGUMENT]
        + [macrospec.MacroSpec("href", "{{")] + [macrospec.MacroSpec(name, "") for name in _NAMED])
    return context


def _wrap(tag: str):
    close = _CLOSE["span" if tag in ("nocase", "smallcaps") else tag]
    return lambda n, l2tobj: _OPEN[tag] + _argument(-1)(n, l2tobj) + close


def _argument(index: int):
    def text(n, l2tobj):
        arguments = n.nodeargd.argnlist if n.nodeargd else []
        return l2tobj.nodelist_to_text([arguments[index]]) if -len(arguments) <= index < len(arguments) else ""
    return text


def _text_context():
    context = get_default_latex_context_db()
    context.add_context_category(
        "microsite-bib", prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=_wrap(tag)) for name, tag in _RICH_COMMANDS.items()]
        + [MacroTextSpec(name, simplify_repl=_argument(-1)) for name in _ONE_ARGUMENT
           if name not in _RICH_COMMANDS and name not in ("noopsort", "sortnoop")]
        + [MacroTextSpec("href", simplify_repl=_argument(1)),   # the link text, not its target
           MacroTextSpec("noopsort", discard=True), MacroTextSpec("sortnoop", discard=True),  # sorting only
           MacroTextSpec("mkbibquote", simplify_repl=lambda n, l2tobj: "“" + _argument(-1)(n, l2tobj) + "”")]
        + [MacroTextSpec(name, simplify_repl=text) for name, text in _NAMED.items()],
        # In a bib field `&` is an ampersand (pylatexenc reads it as a table column).
        specials=[SpecialsTextSpec("&", "&")],
    )
    # A command pylatexenc does not know keeps the text of its arguments.
    context.set_unknown_macro_spec(MacroTextSpec("", discard=False))
    return context


_WALKER_CONTEXT = _walker_context()
_CONVERTER = LatexNodes2Text(latex_context=_text_context(), math_mode="text", strict_latex_spaces=False)
_CLEANER = nh3.Cleaner(tags={"i", "b", "sup", "sub", "span"}, attributes={},
                       allowed_classes={"span": {"nocase", "smallcaps"}}, link_rel=None)


@lru_cache(maxsize=65536)
def text(latex: str) -> str:
    """A field value as Unicode text: accents decoded, braces and commands dropped, text kept."""
    marked = _marked(latex)
    return _spaces(_MARKERS.sub("", marked)) if _MARKERS.search(marked) else marked


def rich_html(latex: str) -> str:
    """A field value as HTML: allowed rich text kept as tags, everything else escaped."""
    marked = _marked(latex)
    if not _MARKERS.search(marked):
        return html.escape(marked, quote=False)
    escaped = html.escape(marked, quote=False)
    return _CLEANER.clean(_MARKERS.sub(lambda m: _MARKER_HTML.get(m.group(0), ""), escaped))


@lru_cache(maxsize=65536)
def _marked(latex: str) -> str:
    """The text of a value with markers where allowed markup was (cached: shared by both forms)."""
    latex = _html_to_markers(_MARKERS.sub("", latex))
    if not _NEEDS_PARSER.search(latex):
        for old, new in _SIMPLE:
            if old in latex:
                latex = latex.replace(old, new)
        return _spaces(latex)
    # `%` is a comment in LaTeX but a percent sign in a bib field (`50%`, URLs).
    latex = re.sub(r"(?<!\\)%", r"\\%", latex)
    try:
        nodes = latexwalker.LatexWalker(latex, latex_context=_WALKER_CONTEXT, tolerant_parsing=True).get_latex_nodes()[0]
        result = _CONVERTER.nodelist_to_text(nodes)
    except Exception:  # noqa: BLE001 - pylatexenc gives up on some malformed markup; keep the words
        result = re.sub(r"\\[A-Za-z]+\s*|[{}]", "", latex).replace("\\", "")
    return _spaces(result)


def _html_to_markers(value: str) -> str:
    if "<" not in value:
        return value
    open_spans = 0

    def replace(match: re.Match) -> str:
        nonlocal open_spans
        name = match.group("name").lower()
        name = {"em": "i", "strong": "b"}.get(name, name)
        if match.group("close"):
            if name == "span":
                if not open_spans:
                    return match.group(0)
                open_spans -= 1
            return _CLOSE[name]
        if name == "span":
            attributes = match.group("attributes").lower()
            if not attributes:
                return match.group(0)      # a bare <span> carries nothing: text
            open_spans += 1
            return _OPEN["nocase" if "nocase" in attributes else "smallcaps"]
        if match.group("attributes"):
            return match.group(0)
        return _OPEN[name]

    return _HTML_TAG.sub(replace, value)


def _spaces(value: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", value).strip(" ")


# -- the record pandoc formats ------------------------------------------------------

# Commands of biblatex's own that pandoc's BibTeX reader understands, beside those of
# LaTeX that pylatexenc knows.
_BIBLATEX_COMMANDS = {"mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibparens", "mkbibbrackets",
                      "enquote", "nolinkurl", "textsuperscript", "textsubscript", "autocap", "bibstring"}
_COMMAND = re.compile(r"\\([A-Za-z]+)(?=\s*\{)")


@lru_cache(maxsize=1)
def _known_commands() -> frozenset[str]:
    database = get_default_latex_context_db()
    names = {spec.macroname for category in database.categories() for spec in database.iter_macro_specs([category])}
    return frozenset(names | _BIBLATEX_COMMANDS)


def unknown_commands_as_groups(record: str) -> str:
    """A record with each command neither LaTeX nor biblatex knows (`\\foo{Kept}`) made a
    plain group (`{Kept}`): pandoc's BibTeX reader drops such a command with its text,
    where our pages keep the text (as `text()` does)."""
    if "\\" not in record:
        return record
    known = _known_commands()
    return _COMMAND.sub(lambda match: match.group(0) if match.group(1) in known else "", record)
