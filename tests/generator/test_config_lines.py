"""Problems with the site's options name the line of mkdocs.yml they are on
(`content/config_lines.py`), whatever tags MkDocs and Material allow there."""

from __future__ import annotations

from microsite.content.config_lines import option_place

CONFIG = """\
site_name: !ENV [SITE_NAME, "A site"]
theme:
  name: material
  language: en
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - offline:
      enabled: false
extra:
  microsite:
    csl_file: styles/nowhere.csl
    private_fields:
      keep:
        - annote
        - colour
    pdf: yes please
"""


def test_an_option_is_found_on_its_line_despite_mkdocs_tags(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    place = lambda *path: option_place(str(config), *path)        # noqa: E731
    assert place("extra", "microsite", "csl_file") == ("mkdocs.yml", 14)
    assert place("extra", "microsite", "pdf") == ("mkdocs.yml", 19)
    assert place("theme", "language") == ("mkdocs.yml", 4)
    assert place("extra", "microsite", "private_fields", "keep", "colour") == ("mkdocs.yml", 18)
    assert place("plugins", "offline", "enabled") == ("mkdocs.yml", 11)
    # an option the file does not hold: the deepest part that is there
    assert place("extra", "microsite", "timezone") == ("mkdocs.yml", 13)
    assert place("nothing") == ("mkdocs.yml", None)


def test_the_file_is_read_again_when_it_changes_and_a_broken_one_gives_no_line(tmp_path):
    config = tmp_path / "site.yml"
    config.write_text(CONFIG, encoding="utf-8")
    assert option_place(str(config), "extra", "microsite", "pdf") == ("site.yml", 19)
    config.write_text("extra:\n  microsite:\n\n    pdf: no\n", encoding="utf-8")
    import os
    os.utime(config, ns=(1, 1))          # a new stamp even within the same clock tick
    assert option_place(str(config), "extra", "microsite", "pdf") == ("site.yml", 4)
    config.write_text("extra: [unclosed\n", encoding="utf-8")
    os.utime(config, ns=(2, 2))
    assert option_place(str(config), "extra", "microsite", "pdf") == ("site.yml", None)
    assert option_place(str(tmp_path / "missing.yml"), "extra") == ("missing.yml", None)


def test_an_option_written_twice_is_reported_at_its_later_line(tmp_path):
    """YAML keeps the later of two equal keys without a word: a second `site_url:` or `extra:`
    at the end of mkdocs.yml would drop the first one's options unseen."""
    from conftest import build_project, prepare
    project = prepare("basic", tmp_path)
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8")
    config.write_text(lines + "site_name: Second name\nextra:\n  status: {}\n", encoding="utf-8")
    total = lines.count("\n")
    first_name = next(i for i, line in enumerate(lines.splitlines(), 1) if line.startswith("site_name:"))
    first_extra = next(i for i, line in enumerate(lines.splitlines(), 1) if line.startswith("extra:"))
    built = build_project(project)
    assert not built.ok
    assert [w for w in built.warnings if "written twice" in w] == [
        f"mkdocs.yml:{total + 1}: `site_name` is written twice in mkdocs.yml (first on line {first_name}); only "
        "this later one is used. Keep one of them, with what both should hold.",
        f"mkdocs.yml:{total + 2}: `extra` is written twice in mkdocs.yml (first on line {first_extra}); only "
        "this later one is used. Keep one of them, with what both should hold."]
