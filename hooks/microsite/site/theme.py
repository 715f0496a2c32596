"""Adds the generator's templates and stylesheet to the site's theme.

Our folder goes after the site's own `custom_dir` (so a site can still
override anything) and before Material's. MkDocs copies the static files of
every theme folder, so our assets need no extra copying.
"""

from __future__ import annotations

import os

THEME_DIR = os.path.join(os.path.dirname(__file__), "theme")
STYLESHEET = "assets/microsite/microsite.css"


def integrate(config) -> None:
    theme = config.theme
    if theme.name != "material":
        from mkdocs.exceptions import PluginError

        raise PluginError("mkdocs.yml: the microsite generator needs `theme: name: material`")
    if THEME_DIR not in theme.dirs:
        position = 1 if theme.custom_dir else 0
        theme.dirs.insert(position, THEME_DIR)
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
