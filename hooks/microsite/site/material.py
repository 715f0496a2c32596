"""Everything the generator does with Material for MkDocs, in one module, so
that the theme (in maintenance mode upstream) could be replaced:

- our templates and stylesheet, added as a theme folder;
- the offline edition: Material's own `offline` plugin, with our
  iframe-worker shim instead of the CDN one, and instant navigation off;
- sidebars rendered once for the pages outside the navigation (sidebars.py).
"""

from __future__ import annotations

import os

from markupsafe import escape
from mkdocs.exceptions import PluginError

from microsite.content.config_lines import option_where
from microsite.site.sidebars import SharedSidebars

THEME_DIR = os.path.join(os.path.dirname(__file__), "theme")
STYLESHEET = "assets/microsite/microsite.css"
DOCUMENT_STYLESHEET = "assets/microsite/document.css"
# Material's offline plugin skips its CDN shim when a polyfill's URL contains "iframe-worker".
WORKER_SHIM = "assets/microsite/iframe-worker-shim.js"
ONLINE_ONLY_FEATURES = ("navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress",
                        "navigation.instant.preview")


def fall_back_to_english(config) -> str | None:
    """When Material has no translation for `theme.language` (Material itself would end
    the build in a TemplateNotFound traceback): switch the theme to English and return
    the code it could not use ("" when the key is written empty); else None."""
    theme = config.theme
    language = theme.get("language")
    if language is None or (isinstance(language, str) and not language.strip()):
        theme["language"] = "en"           # written empty: Material would look for languages/None.html
        return ""
    for folder in theme.dirs:
        if os.path.isfile(os.path.join(folder, "partials", "languages", f"{language}.html")):
            return None
    theme["language"] = "en"
    return language


def integrate(config) -> None:
    theme = config.theme
    if theme.name != "material":
        where = option_where(config.config_file_path, "theme", "name")
        raise PluginError(f"{where}: the microsite generator needs `theme: name: material`")
    if THEME_DIR not in theme.dirs:
        position = 1 if theme.custom_dir else 0
        theme.dirs.insert(position, THEME_DIR)
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    config.extra_css.extend([css for css in ("assets/microsite/editorial.css", "assets/microsite/visuals.css") if css not in config.extra_css])
    if DOCUMENT_STYLESHEET not in config.extra_css:       # title block, cite box, print and the PDFs
        config.extra_css.append(DOCUMENT_STYLESHEET)


def share_sidebars(env) -> None:
    """Give our main.html the cache of rendered sidebars (new for each build's env)."""
    env.globals["microsite_sidebars"] = SharedSidebars()


def enable_offline(config) -> None:
    """Configure this build as the offline edition (called early in on_config)."""
    from material.plugins.offline.plugin import OfflinePlugin

    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if f not in ONLINE_ONLY_FEATURES]
    config.extra["polyfills"] = [WORKER_SHIM]
    if not any(isinstance(plugin, OfflinePlugin) for plugin in config.plugins.values()):
        plugin = OfflinePlugin()
        errors, warnings = plugin.load_config({}, config.config_file_path)
        if errors:
            raise PluginError(f"Material's offline plugin: {errors}")
        # Registered during the config event: it runs after us (lower priority).
        config.plugins["material/offline"] = plugin


def rank_first_for(page, words: list[str]) -> None:
    """Make Material's search rank this page first for these words: its index
    gives the `tags` field a boost of 10^6 (tags are not shown on pages unless
    the site uses Material's tags plugin)."""
    tags = page.meta.get("tags")
    page.meta["tags"] = (list(tags) if isinstance(tags, list) else []) + [w for w in words if w]


def list_features(config) -> object:
    """`theme.features` must be a list (Material asks `"x" in features`): a single name
    becomes a list of it, anything else no features. Returns the value it could not use,
    or None when it is a list (or not written)."""
    features = config.theme.get("features")
    if features is None or isinstance(features, list):
        return None
    config.theme["features"] = [features] if isinstance(features, str) else []
    return features


def tooltips_are_html(config) -> bool:
    """Material's `content.tooltips` shows every `title` in the content as a tooltip
    whose text it inserts as HTML (innerHTML)."""
    return "content.tooltips" in (config.theme.get("features") or [])


def tooltip_text(text: str, html: bool) -> str:
    """A `title` attribute's value: as text, escaped once more when Material will read
    it as HTML, so that what shows in the tooltip is the text, never markup."""
    return str(escape(text)) if html else text


def tree_tooltip(text: str, html: bool) -> str:
    """The same, for an attribute of Python-Markdown's element tree: its serializer leaves
    anything that looks like an entity as it is, so the value is given escaped already."""
    return str(escape(tooltip_text(text, html)))
