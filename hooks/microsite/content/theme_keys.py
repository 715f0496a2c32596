"""The front-matter keys MkDocs and Material for MkDocs read themselves, checked.

The generator does not read these keys, but MkDocs and Material do, and a value of
another shape ends their build in a traceback (`search: yes` in Material's search
plugin, `template: [a]` in Jinja) or is ignored without a word (`hide: [tco]`).
Each value is checked where it is written; one that cannot be used is reported
and taken out of the page's meta (the file is not touched), so the build goes on,
reports everything else, and fails.

Shapes as Material documents them ("Setting up navigation", "Search",
"Adding tags", "Customization"): `hide` lists parts of the page, `search` is a
mapping of `exclude` (yes/no) and `boost` (a number), `tags` is a list.
"""

from __future__ import annotations

import re

import jinja2

from microsite.scholarly.keys import did_you_mean
from microsite.scholarly.locate import Lines
from microsite.scholarly.values import CONVERTED, as_text_hint, describe, text_as_written

REMOVE = object()                       # take the key out of the page's meta
_STATUS = re.compile(r"[A-Za-z0-9_-]+")

HIDE = ("navigation", "toc", "footer", "tags", "feedback", "path")
SEARCH = {"exclude": "yes or no (`exclude: true`)", "boost": "a number (`boost: 2`)"}
TEXT_KEYS = ("title", "description", "subtitle", "icon", "status", "author", "template")
# Articles' and briefs' titles are checked with the rest of their front matter (scholarly.work).
CHECKED_ELSEWHERE = {"article": {"title"}, "brief": {"title"}}


def theme_values(document, problems) -> dict[str, object]:
    """Check the theme's keys in one document's front matter (content.documents.Document).
    Returns what to change in the page's meta: key -> the value to use, or REMOVE."""
    changes: dict[str, object] = {}
    meta, front = document.meta, document.front

    def report(key: str, message: str, hint: str, index: int | None = None) -> None:
        problems.report(document.path, front.line_of(key, index), message, hint)

    lines: list[Lines] = []                 # composed again only when a message or a tag needs it

    def located() -> Lines:
        lines[:] = lines or [Lines(document)]
        return lines[0]

    def written(*path) -> str | None:
        """The value at `path` as written in the file (`012`, not 10)."""
        return located().written(*path)

    skip = CHECKED_ELSEWHERE.get(document.kind, set())
    for key in TEXT_KEYS:
        if key in meta and key not in skip and meta[key] is not None:
            value = meta[key]
            if not isinstance(value, str) or not value.strip():
                shown = written(key)
                what = "empty" if isinstance(value, str) else describe(value, shown)
                report(key, f"`{key}` must be text, not {what}; it is ignored", as_text_hint(key, value, shown))
                changes[key] = REMOVE
    status = meta.get("status")
    if isinstance(status, str) and status.strip() and not _STATUS.fullmatch(status):
        # Material writes it into a class attribute as it is (md-status--<status>), unescaped.
        report("status", f"`status: {status}` is not a status name; it is ignored",
               "Write one word, as Material's statuses are: `status: new` or `status: deprecated` (or a name "
               "from `extra.status` in mkdocs.yml).")
        changes["status"] = REMOVE
    for key in ("hide", "search", "tags", "comments", "social"):
        if key in meta and meta[key] is None:          # written empty: nothing to use, nothing lost
            changes[key] = REMOVE
    if meta.get("hide") is not None:
        _hide(meta["hide"], report, changes)
    if meta.get("search") is not None:
        _search(meta["search"], report, changes)
    if meta.get("tags") is not None:
        _tags(meta["tags"], report, changes, lambda index: located().node("tags", index))
    if meta.get("comments") is not None and not isinstance(meta["comments"], bool):
        report("comments", f"`comments` must be yes or no, not {describe(meta['comments'])}; it is ignored",
               "Write `comments: true` or `comments: false`.")
        changes["comments"] = REMOVE
    if meta.get("social") is not None and not isinstance(meta["social"], dict):
        report("social", f"`social` must be a mapping of `key: value` lines, not {describe(meta['social'])}; "
                         "it is ignored", "See Material for MkDocs, \"Setting up social cards\", e.g. "
                                          "`social: {cards: false}`.")
        changes["social"] = REMOVE
    return changes


def _hide(value, report, changes) -> None:
    hint = f"List the parts to hide, e.g. `hide: [toc]` (any of {', '.join(HIDE)})."
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        report("hide", f"`hide` must be a list, not {describe(value)}; it is ignored", hint)
        changes["hide"] = REMOVE
        return
    kept = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item in HIDE:
            kept.append(item)
        else:
            shown = item if isinstance(item, str) else describe(item)
            report("hide", f"`hide` cannot hide `{shown}`; it is ignored",
                   did_you_mean(str(item), HIDE, "this part") if isinstance(item, str) else hint,
                   None if isinstance(value, str) else index)
    if kept != value:
        changes["hide"] = kept


def _search(value, report, changes) -> None:
    if not isinstance(value, dict):
        report("search", f"`search` must be a mapping such as `search: {{exclude: true}}` or "
                         f"`search: {{boost: 2}}`, not {describe(value)}; it is ignored",
               "Write `search: {exclude: true}` to leave the page out of the search, or "
               "`search: {boost: 2}` to rank it higher.")
        changes["search"] = REMOVE
        return
    kept = {}
    for key, item in value.items():
        if key == "exclude" and isinstance(item, bool) or \
                key == "boost" and isinstance(item, (int, float)) and not isinstance(item, bool):
            kept[key] = item
        elif key in SEARCH:
            report("search", f"`search: {{{key}: ...}}` must be {SEARCH[key]}, not {describe(item)}; it is ignored",
                   f"Write `search: {{{key}: {'true' if key == 'exclude' else '2'}}}`.")
        else:
            report("search", f"`search` has no option `{key}`; it is ignored", did_you_mean(str(key), SEARCH, "it"))
    if kept != value:
        changes["search"] = kept


def _tags(value, report, changes, node_of) -> None:
    if not isinstance(value, list):
        report("tags", f"`tags` must be a list, not {describe(value)}; it is ignored",
               "Write `tags: [one tag, another]`.")
        changes["tags"] = REMOVE
        return
    kept = []
    for index, item in enumerate(value):
        # A tag YAML read as a number (`012`, `1.10`) is the text as written, not "10", "1.1".
        text = text_as_written(item, node_of(index)) if isinstance(item, CONVERTED) else item
        if isinstance(text, str) and text.strip():
            kept.append(text)
        else:
            report("tags", f"a tag must be text, not {describe(item)}; it is ignored",
                   "Write each tag as text: `tags: [one tag, another]`.", index)
    if kept != value:
        changes["tags"] = kept


def apply(meta: dict, changes: dict[str, object]) -> None:
    """Make the page's meta (MkDocs' own reading of the front matter) use the checked values."""
    for key, value in changes.items():
        if value is REMOVE:
            meta.pop(key, None)
        else:
            meta[key] = value


def check_templates(document, meta: dict, env, problems) -> None:
    """A page's `template` and `icon` must name a file the theme (or the site's `custom_dir`)
    has: Material includes `.icons/<icon>.svg`, and either missing ends its build."""
    wanted = {"template": (meta.get("template"), "{}"), "icon": (meta.get("icon"), ".icons/{}.svg")}
    for key, (name, pattern) in wanted.items():
        if not isinstance(name, str):
            continue
        try:
            env.get_template(pattern.format(name))
        except jinja2.TemplateNotFound:
            if key == "template":
                message = (f"`template: {name}` is not a template of the theme or of the site's `custom_dir`; "
                           "the page is rendered with the default template")
                hint = "Remove the line, or add the template to the folder `theme.custom_dir` names in mkdocs.yml."
            else:
                message = f"`icon: {name}` is not an icon of the theme or of the site's `custom_dir`; it is ignored"
                hint = ("Use an icon name as Material writes it, e.g. `icon: material/book-open-variant` "
                        "(Material's \"Icons, Emojis\" page lists them), or add the SVG under "
                        "`custom_dir`/.icons/.")
            problems.report(document.path, document.front.line_of(key), message, hint)
            meta.pop(key, None)
        except jinja2.TemplateError as error:
            problems.report(document.path, document.front.line_of(key),
                            f"`{key}: {name}` cannot be used ({error}); it is ignored", "Fix the file, or remove the line.")
            meta.pop(key, None)
