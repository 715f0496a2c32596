"""The site's options for the generator, read from `extra.microsite` in mkdocs.yml.

Hooks have no configuration schema of their own, so the options live under
`extra:` and are validated here with MkDocs' own config machinery, the way
Material's plugins declare theirs in a small config.py.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from microsite.content.config_lines import option_place, option_where, repeated_options
from microsite.scholarly.values import as_written

SETTINGS_KEY = "microsite"

# Set by the online build for the offline edition it runs in a subprocess.
EDITION_ENV = "MICROSITE_EDITION"
# The cache folder the online build uses (after checking it), for the offline edition's build.
CACHE_ENV = "MICROSITE_CACHE_DIR"
DEFAULT_CACHE_DIR = ".cache/microsite"


class PrivateFields(base.Config):
    """Bib fields left out of everything published (model/privacy.py has the default list)."""

    add = c.ListOfItems(c.Type(str), default=[])     # more names or shell patterns (`x-*`)
    keep = c.ListOfItems(c.Type(str), default=[])    # names private by default that this site publishes


class MicrositeSettings(base.Config):
    # Sources
    bib_dir = c.Type(str, default="bib")
    csl_file = c.Optional(c.Type(str))
    bibliography_include = c.Choice(("cited", "all"), default="cited")
    references_title = c.Type(str, default="References")
    private_fields = c.SubConfig(PrivateFields)
    # Glossary
    glossary_link = c.Choice(("first", "first-per-section", "all"), default="first")
    # Publishing
    offline = c.Type(bool, default=True)
    offline_name = c.Optional(c.Type(str))
    pdf = c.Type(bool, default=True)
    # Render Material's sidebars once for the pages outside the navigation that share
    # them (site/sidebars.py); turn off if your own templates make them depend on the page.
    share_sidebars = c.Type(bool, default=True)
    # Persistent cache of formatted references, relative to mkdocs.yml
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    # Scholarly metadata: defaults of every article and brief (notes/scholarly.md)
    publisher = c.Optional(c.Type(str))          # who publishes the pieces (default: the site's name)
    institution = c.Optional(c.Type(str))        # the institution that issues them as reports
    license = c.Optional(c.Type(str))            # an SPDX licence id, e.g. CC-BY-4.0
    timezone = c.Type(str, default="UTC")        # IANA zone of the edition dates
    # the label of the summary shown under the title of a piece that has no `abstract`
    summary_label = c.Type(str, default="Summary")


def load_settings(config, report=None) -> MicrositeSettings:
    """The options, checked. A mistake stops the build; with `report(path, line, message, hint)`
    (the preview, `mkdocs serve`) each mistaken option is reported there instead and its
    default used, so that the preview keeps answering and its pages show the problem."""
    settings = MicrositeSettings(config_file_path=config.config_file_path)
    raw = (config.extra or {}).get(SETTINGS_KEY) or {}

    def where(*key: str) -> str:
        return option_where(config.config_file_path, "extra", SETTINGS_KEY, *key)

    if not isinstance(raw, dict):
        message = (f"extra.{SETTINGS_KEY} must be a mapping of options, one `name: value` a line "
                   f"indented under `{SETTINGS_KEY}:` (e.g. `pdf: false`)")
        if report is None:
            raise PluginError(f"{where()}: {message}. See README, 'Site options'.")
        report(*option_place(config.config_file_path, "extra", SETTINGS_KEY), message,
               "See README, 'Site options'; the defaults are used meanwhile")
        raw = {}
    settings.load_dict(raw)
    errors, warnings = settings.validate()
    if (errors or warnings) and report is not None:
        for key, error in errors + warnings:
            report(*option_place(config.config_file_path, "extra", SETTINGS_KEY, key),
                   _in_words(key, raw.get(key), error),
                   "See README, 'Site options'; " + ("the default is used meanwhile" if key in
                                                     dict(MicrositeSettings._schema) else "ignored meanwhile"))
        settings = MicrositeSettings(config_file_path=config.config_file_path)
        wrong = {key for key, _ in errors + warnings}
        settings.load_dict({key: value for key, value in raw.items() if key not in wrong})
        errors, warnings = settings.validate()
    problems = [f"{where(key)}: {_in_words(key, raw.get(key), error)}" for key, error in errors + warnings]
    if problems:
        text = "; ".join(problem.rstrip(".") for problem in problems)
        raise PluginError(text + ("" if text.endswith("?") else ".") + " See README, 'Site options'.")
    return settings


def _in_words(key: str, value, error) -> str:
    """An option's mistake as an author reads it (MkDocs says "Expected type: <class 'bool'>")."""
    option = dict(MicrositeSettings._schema).get(key)
    shown = repr(value) if isinstance(value, str) else as_written(value)    # as written in YAML, not Python
    expected = getattr(getattr(option, "option_type", option), "_type", None)
    if expected is bool and not isinstance(value, bool):
        return (f"extra.{SETTINGS_KEY}.{key} must be true or false, not {shown}. "
                f"Write `{key}: true` or `{key}: false`")
    if expected is str and not isinstance(value, str):
        return f"extra.{SETTINGS_KEY}.{key} must be text, not {shown}. Put it in quotes: `{key}: \"…\"`"
    choices = getattr(option, "choices", None)
    if choices:                         # MkDocs says "Expected one of: ('a', 'b') but received: 'c'"
        names = ", ".join(f"`{choice}`" for choice in choices)
        close = difflib.get_close_matches(str(value), [str(choice) for choice in choices], n=1) \
            if isinstance(value, str) else []
        hint = f"Did you mean `{key}: {close[0]}`?" if close else f"Write e.g. `{key}: {choices[0]}`"
        return f"extra.{SETTINGS_KEY}.{key} must be one of {names}, not {shown}. {hint}"
    if key == "private_fields":         # MkDocs speaks of sub-options and <class 'int'>
        return (f"extra.{SETTINGS_KEY}.private_fields must be a mapping of `add` and `keep`, each a list of field "
                f"names, not {shown}. Write e.g. `private_fields: {{add: [x-internal], keep: [annote]}}`")
    return f"extra.{SETTINGS_KEY}.{key}: {error}"


def written_options(config) -> dict:
    """The options written under `extra: microsite:` (not their defaults)."""
    options = (config.extra or {}).get(SETTINGS_KEY)
    return options if isinstance(options, dict) else {}


def edition() -> str:
    """'online' for the normal build, 'offline' inside the offline edition's build."""
    return os.environ.get(EDITION_ENV, "online")


def project_dir(config) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path))


def check_cache_dir(config, settings: MicrositeSettings, report) -> None:
    """`cache_dir` must be a folder of the generator's own: the build writes its caches there
    and clears the offline edition's folder in it. A folder that is the project's, or that is
    inside or holds docs_dir, the bib folder or site_dir, would publish the caches or have
    authored files deleted: it is reported at its line (`report(path, line, message, hint)`)
    and a safe folder is used instead (the default, else one in the system's temporary folder).
    The offline edition's build uses the folder the online build chose."""
    if edition() == "offline" and os.environ.get(CACHE_ENV):
        settings.cache_dir = os.environ[CACHE_ENV]
        return
    written = settings.cache_dir or DEFAULT_CACHE_DIR
    relation = _cache_dir_conflict(config, settings, written)
    if relation is None:
        return
    fallback = DEFAULT_CACHE_DIR
    if _cache_dir_conflict(config, settings, fallback) is not None:
        digest = hashlib.sha256(project_dir(config).encode("utf-8")).hexdigest()[:12]
        fallback = os.path.join(tempfile.gettempdir(), f"microsite-cache-{digest}")
    settings.cache_dir = fallback
    report(*option_place(config.config_file_path, "extra", SETTINGS_KEY, "cache_dir"),
           f"extra.{SETTINGS_KEY}.cache_dir: '{written}' {relation}: the build would write its caches there "
           "and clear a folder in it",
           f"Give a folder of its own, outside docs_dir, the bib folder and site_dir, e.g. "
           f"`cache_dir: {DEFAULT_CACHE_DIR}`; `{fallback}` is used meanwhile")


def _cache_dir_conflict(config, settings: MicrositeSettings, written: str) -> str | None:
    """How the cache folder `written` (relative to mkdocs.yml) meets the project's folders, or None."""
    root = project_dir(config)
    cache = _real(os.path.join(root, written))
    if cache == _real(root):
        return "is the project's folder (that of mkdocs.yml)"
    folders = [("docs_dir", config.docs_dir, config.docs_dir),
               ("the bib folder", os.path.join(root, settings.bib_dir), settings.bib_dir)]
    if edition() != "offline":         # (the offline edition's own site_dir is in the cache, by design)
        folders.append(("site_dir", config.site_dir, config.site_dir))
    for name, path, shown in folders:
        if not path:
            continue
        folder = _real(os.path.join(root, path))
        shown = os.path.relpath(folder, _real(root)) if folder.startswith(_real(root) + os.sep) else shown
        if cache == folder:
            return f"is {name} (`{shown}`)"
        if cache.startswith(folder + os.sep):
            return f"is inside {name} (`{shown}`)"
        if folder.startswith(cache + os.sep) or cache == os.sep:
            return f"holds {name} (`{shown}`)"
    return None


def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def check_repeated_options(config, report) -> None:
    """An option written twice in mkdocs.yml: YAML (and so MkDocs) keeps the later value
    without a word, so an author who adds `site_url:` at the end of the file, or a second
    `extra:`, loses the first without knowing. Reported at the later line."""
    name = os.path.basename(config.config_file_path or "mkdocs.yml")
    for path, first, later in repeated_options(config.config_file_path):
        report(name, later, f"`{'.'.join(path)}` is written twice in {name} (first on line {first}); "
               "only this later one is used",
               "Keep one of them, with what both should hold.")


def check_label(config, settings: MicrositeSettings, report, key: str, shows: str, example: str) -> None:
    """A heading or label option written empty (`references_title: ""`): the page would show an
    empty heading, which screen readers announce as nothing. Reported at its line
    (`report(path, line, message, hint)`) and the default used."""
    if getattr(settings, key).strip():
        return
    default = dict(MicrositeSettings._schema)[key].default
    report(*option_place(config.config_file_path, "extra", SETTINGS_KEY, key),
           f"extra.{SETTINGS_KEY}.{key} is empty: {shows}",
           f"Write the text you want, e.g. `{key}: {example}`, or leave the key out; `{default}` is used meanwhile.")
    setattr(settings, key, default)
