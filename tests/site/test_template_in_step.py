"""This site's mkdocs.yml and the new-site template's (site-template/mkdocs.yml) share
everything but the site identity and the navigation: a new site starts with the same
setup as this one. When this fails, make the same change in the other file.

(A check of this repository only: a new site may change its own setup freely, so it
lives in tests/site/, which a new site replaces.)
"""

from __future__ import annotations

import yaml

from conftest import REPO

IDENTITY = ("site_name", "site_description", "site_author", "copyright")
OWN_TO_EACH_SITE = IDENTITY + ("nav",)


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: f"!{suffix} {loader.construct_sequence(node)}")


def setup(path) -> dict:
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    for key in OWN_TO_EACH_SITE:
        config.pop(key, None)
    config["extra"]["microsite"].pop("offline_name", None)       # the template derives it from site_name
    config["extra"]["microsite"].pop("summary_label", None)      # who wrote the summaries: each site's own
    return config


def test_the_template_has_this_sites_setup():
    assert setup(REPO / "site-template" / "mkdocs.yml") == setup(REPO / "mkdocs.yml")


def test_both_start_with_the_identity_block():
    for path in (REPO / "mkdocs.yml", REPO / "site-template" / "mkdocs.yml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if "Site identity" in line)
        end = next(i for i, line in enumerate(lines) if i > start and line.startswith("# ─"))
        keys = [line.split(":")[0] for line in lines[start:end] if line and not line.startswith((" ", "#"))]
        assert keys == list(IDENTITY), f"{path.name}: the identity block holds {keys}"
        assert not any(line and not line.startswith("#") for line in lines[:start]), "the block comes first"
