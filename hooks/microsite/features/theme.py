"""The theme: the generator's templates and stylesheets added to the site's
Material theme, and Material's sidebars rendered once for the pages that
share them (everything Material-specific is in `microsite.site.material`);
compiled templates kept between builds (`templates.tune`).
A `theme.language` Material has no translation for is reported at its line
(Material would end the build in a traceback); English is used meanwhile.
`site_name`, `site_description`, `site_author`, `repo_name` and the navigation's titles
are text, but Material's own templates write them into pages as HTML: angle brackets in
them are reported at their line (the site-wide values are shown with ‹ › meanwhile, the
titles escaped, features/page_head.py). Material writes `repo_url` and the links of
`extra.social` into `href` as they are: one that is not a web address (a quote in it,
`javascript:`) is reported and left out."""

from __future__ import annotations

from microsite import templates
from microsite.feature import Feature
from microsite.markdown.links import allowed_link
from microsite.model.urls import web_url
from microsite.scholarly.values import as_written
from microsite.site import material


class Theme(Feature):
    name = "theme"

    def on_config(self, config) -> None:
        material.integrate(config)
        features = material.list_features(config)
        if features is not None:
            self.context.problems.report(
                *self.context.option_place("theme", "features"),
                f"`theme.features` must be a list of Material's feature names, not `{as_written(features)}`",
                f"Write it as a list: `features: [{features}]`; it is read so meanwhile"
                if isinstance(features, str) else
                "Write e.g. `features: [content.tooltips]`, or leave the key out; it is ignored meanwhile")
        language = material.fall_back_to_english(config)
        if language == "":
            self.context.problems.report(
                *self.context.option_place("theme", "language"), "`theme.language` is empty",
                "Write one of the codes Material lists under 'Site language' (e.g. `en`, `de`, `zh-Hant`), or "
                "leave the key out; English is used meanwhile")
        elif language is not None:
            self.context.problems.report(
                *self.context.option_place("theme", "language"),
                f"`theme.language: {language}` is not a language Material for MkDocs has",
                "Use one of the codes Material lists under 'Site language' (e.g. `en`, `de`, `zh-Hant`); "
                "English is used meanwhile")
        self.context.tooltips_are_html = material.tooltips_are_html(config)
        self._check_markup(config)

    def _check_markup(self, config) -> None:
        report, place = self.context.problems.report, self.context.option_place
        for key in ("site_name", "site_description", "site_author", "repo_name"):
            value = config.get(key)
            if isinstance(value, str) and ("<" in value or ">" in value):
                report(*place(key), f"`{key}` contains '<' or '>', which Material for MkDocs writes into every "
                       "page as HTML", "Write it without angle brackets; they are shown as ‹ › meanwhile")
                config[key] = value.replace("<", "‹").replace(">", "›")
        repository = config.get("repo_url")
        if isinstance(repository, str) and repository and (web_url(repository) is None or _breaks_out(repository)):
            report(*place("repo_url"), f"`repo_url: {repository}` is not a web address Material for MkDocs can link to",
                   "Write the repository's address as its site shows it (https://…, no quotes, spaces or angle "
                   "brackets); the repository link is left out meanwhile")
            config["repo_url"] = None
        social = (config.get("extra") or {}).get("social")
        for item in list(social) if isinstance(social, list) else []:
            link = item.get("link") if isinstance(item, dict) else None
            if isinstance(link, str) and (not allowed_link(link) or _breaks_out(link)):
                report(*place("extra", "social"), f"`extra.social`: the link `{link}` is not a web or e-mail address",
                       "Write an https:// (or mailto:) address; this icon is left out meanwhile")
                social.remove(item)
        for path, title in _nav_titles(config.get("nav") or [], ()):
            if "<" in title or ">" in title:
                report(*place("nav", *path), f"the navigation title {title!r} contains '<' or '>', which Material "
                       "for MkDocs writes into pages as HTML", "Write it without angle brackets; it is shown as "
                       "text meanwhile")

    def on_env(self, env, files) -> None:
        templates.tune(env, self.context.cache_dir)
        if self.context.settings.share_sidebars:
            material.share_sidebars(env)


def _breaks_out(address: str) -> bool:
    """What ends Material's unquoted-by-us `href="…"` or starts a tag."""
    return any(character in address for character in '"<>`') or any(character.isspace() for character in address)


def _nav_titles(items, path: tuple[str, ...]):
    """(the steps to a title in mkdocs.yml's `nav`, the title) for every title written there."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(title, str):
                    yield path + (title,), title
                    yield from _nav_titles(value, path + (title,))
