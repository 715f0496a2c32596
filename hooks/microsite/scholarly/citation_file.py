"""The repository's CITATION.cff: written by `make citation`, checked by every build.

The file is made from the site's main article (its only article, or the first
by file name) and the site's options, by `cff.citation_cff`; the build makes
the same text, publishes it at the root of the site and, when the repository
has a committed CITATION.cff beside mkdocs.yml, reports it as out of date if it
says anything else. Only the site's address (`url`) may differ: it comes from
`site_url`, which the deployment sets (SITE_URL) and a local build may not.

    .venv/bin/python -m microsite.scholarly.citation_file [mkdocs.yml]
"""

from __future__ import annotations

import glob
import os
import sys

import yaml

from microsite.scholarly.cff import CffconvertMissing, citation_cff, validate_cff, write_cff
from microsite.scholarly.site import SiteInfo
from microsite.scholarly.work import ARTICLE, Work

FILE_NAME = "CITATION.cff"
ADDRESS_KEYS = ("url",)          # depend on where the site is deployed


def site_info(config, settings) -> SiteInfo:
    """What the scholarly layer needs from mkdocs.yml (the config) and extra.microsite (settings)."""
    language = config.theme.get("language") if hasattr(config.theme, "get") else None
    return SiteInfo(name=config.site_name, url=config.site_url or None, language=language or None,
                    publisher=settings.publisher, institution=settings.institution, license=settings.license,
                    timezone=settings.timezone or "UTC", description=config.site_description,
                    repository_url=config.repo_url or None)


def main_article(works: dict[str, Work]) -> Work | None:
    articles = sorted((work for work in works.values() if work.kind == ARTICLE), key=lambda work: work.src_uri)
    return articles[0] if articles else None


def citation_text(work: Work, site: SiteInfo, page_url: str | None) -> str:
    return write_cff(citation_cff(work, site, page_url), generated_from=work.path)


def out_of_date(committed: str, expected: str) -> bool:
    """Whether the committed file says something else than the build would (its address aside)."""
    try:
        ours, theirs = yaml.safe_load(expected), yaml.safe_load(committed)
    except yaml.YAMLError:
        return True
    return _without_address(ours) != _without_address(theirs)


def _without_address(data):
    if not isinstance(data, dict):
        return data
    data = {key: value for key, value in data.items() if key not in ADDRESS_KEYS}
    if isinstance(data.get("preferred-citation"), dict):
        data["preferred-citation"] = {key: value for key, value in data["preferred-citation"].items()
                                      if key not in ADDRESS_KEYS}
    return data


# -- make citation ------------------------------------------------------------------

def expected_file(config_file: str) -> tuple[str | None, list[str]]:
    """(the CITATION.cff text of the site of `config_file`, the problems that prevent it)."""
    from mkdocs.config import load_config

    from microsite.content.documents import Document
    from microsite.content.frontmatter import FrontMatterError, parse_front_matter
    from microsite.problems import Problems
    from microsite.publish.editions import online_url
    from microsite.scholarly.work import read_work
    from microsite.settings import load_settings

    config = load_config(config_file)
    site = site_info(config, load_settings(config))
    project = os.path.dirname(os.path.abspath(config_file))
    problems, works = Problems(), {}
    for path in sorted(glob.glob(os.path.join(config.docs_dir, "articles", "*.md"))):
        src_uri = "articles/" + os.path.basename(path)
        shown = os.path.relpath(path, project).replace(os.sep, "/")
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        try:
            front = parse_front_matter(text)
        except FrontMatterError as error:
            problems.report(shown, error.line, str(error), error.hint)
            continue
        work = read_work(Document(src_uri, shown, ARTICLE, text, front), ARTICLE, site, problems)
        if work is not None:
            works[src_uri] = work
    work = main_article(works)
    if problems or work is None:
        return None, [str(problem) for problem in problems.found] or [f"{config.docs_dir}/articles/ has no article"]
    page_url = site.base_url + online_url(work.src_uri, config.use_directory_urls) if site.base_url else None
    return citation_text(work, site, page_url), []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    config_file = args[0] if args else "mkdocs.yml"
    text, problems = expected_file(config_file)
    if text is None:
        print("CITATION.cff not written:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    target = os.path.join(os.path.dirname(os.path.abspath(config_file)), FILE_NAME)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)
    try:
        result = validate_cff(target)
    except CffconvertMissing as error:
        print(f"{target} written; not validated: {error}", file=sys.stderr)
        return 1
    print(f"{target} written. cffconvert --validate: {result.output}")
    return 0 if result.valid else 1


if __name__ == "__main__":
    sys.exit(main())
