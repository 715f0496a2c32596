"""The site's options for the generator, read from `extra.microsite` in mkdocs.yml.

Hooks have no configuration schema of their own, so the options live under
`extra:` and are validated here with MkDocs' own config machinery, the way
Material's plugins declare theirs in a small config.py.
"""

from __future__ import annotations

import difflib
import os

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from microsite.content.config_lines import option_where

SETTINGS_KEY = "microsite"

# Set by the online build for the offline edition it runs in a subprocess.
EDITION_ENV = "MICROSITE_EDITION"


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
    cache_dir = c.Type(str, default=".cache/microsite")
    # Scholarly metadata: defaults of every article and brief (notes/scholarly.md)
    publisher = c.Optional(c.Type(str))          # who publishes the pieces (default: the site's name)
    institution = c.Optional(c.Type(str))        # the institution that issues them as reports
    license = c.Optional(c.Type(str))            # an SPDX licence id, e.g. CC-BY-4.0
    timezone = c.Type(str, default="UTC")        # IANA zone of the edition dates


def load_settings(config) -> MicrositeSettings:
    settings = MicrositeSettings(config_file_path=config.config_file_path)
    raw = (config.extra or {}).get(SETTINGS_KEY) or {}

    def where(*key: str) -> str:
        return option_where(config.config_file_path, "extra", SETTINGS_KEY, *key)

    if not isinstance(raw, dict):
        raise PluginError(f"{where()}: extra.{SETTINGS_KEY} must be a mapping of options, one `name: value` a line "
                          f"indented under `{SETTINGS_KEY}:` (e.g. `pdf: false`). See README, 'Site options'.")
    settings.load_dict(raw)
    errors, warnings = settings.validate()
    problems = [f"{where(key)}: {_in_words(key, raw.get(key), error)}" for key, error in errors + warnings]
    if problems:
        text = "; ".join(problem.rstrip(".") for problem in problems)
        raise PluginError(text + ("" if text.endswith("?") else ".") + " See README, 'Site options'.")
    return settings


def _in_words(key: str, value, error) -> str:
    """An option's mistake as an author reads it (MkDocs says "Expected type: <class 'bool'>")."""
    option = dict(MicrositeSettings._schema).get(key)
    expected = getattr(getattr(option, "option_type", option), "_type", None)
    if expected is bool and not isinstance(value, bool):
        return (f"extra.{SETTINGS_KEY}.{key} must be true or false, not {value!r}. "
                f"Write `{key}: true` or `{key}: false`")
    if expected is str and not isinstance(value, str):
        return f"extra.{SETTINGS_KEY}.{key} must be text, not {value!r}. Put it in quotes: `{key}: \"…\"`"
    choices = getattr(option, "choices", None)
    if choices:                         # MkDocs says "Expected one of: ('a', 'b') but received: 'c'"
        names = ", ".join(f"`{choice}`" for choice in choices)
        close = difflib.get_close_matches(str(value), [str(choice) for choice in choices], n=1) \
            if isinstance(value, str) else []
        hint = f"Did you mean `{key}: {close[0]}`?" if close else f"Write e.g. `{key}: {choices[0]}`"
        return f"extra.{SETTINGS_KEY}.{key} must be one of {names}, not {value!r}. {hint}"
    if key == "private_fields":         # MkDocs speaks of sub-options and <class 'int'>
        return (f"extra.{SETTINGS_KEY}.private_fields must be a mapping of `add` and `keep`, each a list of field "
                f"names, not {value!r}. Write e.g. `private_fields: {{add: [x-internal], keep: [annote]}}`")
    return f"extra.{SETTINGS_KEY}.{key}: {error}"


def edition() -> str:
    """'online' for the normal build, 'offline' inside the offline edition's build."""
    return os.environ.get(EDITION_ENV, "online")


def project_dir(config) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path))
