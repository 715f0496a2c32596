"""The theme: the generator's templates and stylesheets added to the site's
Material theme, and Material's sidebars rendered once for the pages that
share them (everything Material-specific is in `microsite.site.material`)."""

from __future__ import annotations

from microsite.feature import Feature
from microsite.site import material


class Theme(Feature):
    name = "theme"

    def on_config(self, config) -> None:
        material.integrate(config)
        self.context.tooltips_are_html = material.tooltips_are_html(config)

    def on_env(self, env, files) -> None:
        if self.context.settings.share_sidebars:
            material.share_sidebars(env)
