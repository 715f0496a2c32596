"""The theme: the generator's templates and stylesheets added to the site's
Material theme, and Material's sidebars rendered once for the pages that
share them (everything Material-specific is in `microsite.site.material`);
compiled templates kept between builds (`templates.tune`).
A `theme.language` Material has no translation for is reported at its line
(Material would end the build in a traceback); English is used meanwhile."""

from __future__ import annotations

from microsite import templates
from microsite.feature import Feature
from microsite.site import material


class Theme(Feature):
    name = "theme"

    def on_config(self, config) -> None:
        material.integrate(config)
        language = material.fall_back_to_english(config)
        if language is not None:
            self.context.problems.report(
                *self.context.option_place("theme", "language"),
                f"`theme.language: {language}` is not a language Material for MkDocs has",
                "Use one of the codes Material lists under 'Site language' (e.g. `en`, `de`, `zh-Hant`); "
                "English is used meanwhile")
        self.context.tooltips_are_html = material.tooltips_are_html(config)

    def on_env(self, env, files) -> None:
        templates.tune(env, self.context.cache_dir)
        if self.context.settings.share_sidebars:
            material.share_sidebars(env)
