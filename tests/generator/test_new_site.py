"""A new site in one command (`make new-site DIR=…`, tools/new_site.py, site-template/).

The check of issue #15: a new site made in tmp_path builds with its own virtual
environment, then takes other content (a test root's) and builds and passes its
content checks again. The other tests are quick: what is copied and what is not,
and what the command refuses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, ROOTS

sys.path.insert(0, str(REPO / "tools"))
import new_site  # noqa: E402

TEMPLATE = REPO / "site-template"
SITE_CONTENT = ("docs", "bib", "tests/site", "mkdocs.yml", "README.md")   # what a site owns


def make(folder: Path, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    """`make` as a new user runs it: no virtual environment of ours active, no CI switches."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "SITE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(REPO / ".venv")))
    return subprocess.run(["make", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)


def files_of(folder: Path, parts=SITE_CONTENT) -> list[Path]:
    found = []
    for part in parts:
        path = folder / part
        found += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return [p for p in found if "__pycache__" not in p.parts]


# -- the check of #15 --------------------------------------------------------------------------------------

@pytest.mark.browser            # the PDFs and the content checks' build need Chromium
def test_a_new_site_builds_then_takes_other_content_and_passes_its_checks(tmp_path, browser):
    site = tmp_path / "field-notes"
    created = make(REPO, "new-site", f"DIR={site}", "NAME=Field Notes", timeout=120)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "make serve" in created.stdout
    assert_valid_citation_file(site, "Field Notes")
    tracked = subprocess.run(["git", "ls-files", "CITATION.cff"], cwd=site, capture_output=True, text=True)
    assert tracked.stdout.strip() == "CITATION.cff", "in the first commit"

    built = make(site, "site")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert not re.search(r"^WARNING\s+-", built.stderr, re.M), built.stderr[-3000:]     # MkDocs' own warnings
    # its own environment, running its own copy of the generator
    assert (site / ".venv" / "bin" / "python").is_file()
    runs = subprocess.run([site / ".venv" / "bin" / "python", "-c", "import microsite; print(microsite.__file__)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert Path(runs).resolve().is_relative_to(site.resolve()), runs
    # the example: its name, two citations, three glossary entries, the offline edition named after the site
    home = BeautifulSoup((site / "site" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.title.get_text().endswith("Field Notes")
    article = BeautifulSoup((site / "site/articles/example/index.html").read_text(encoding="utf-8"), "lxml")
    assert len(article.select("span.citation")) >= 2
    for entry in (site / "docs" / "glossary").glob("*.md"):
        assert (site / "site" / "glossary" / entry.stem / "index.html").is_file(), entry
    assert len(list((site / "docs" / "glossary").glob("*.md"))) == 3
    assert (site / "site" / "downloads" / "field-notes-offline.zip").is_file()

    # Replace the example content with a test root's, as the README's "Make it yours" says.
    root = ROOTS / "basic"
    for folder in ("docs", "bib"):
        shutil.rmtree(site / folder)
        shutil.copytree(root / folder, site / folder)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text[:text.index("\nnav:")] + ("\nnav:\n  - Home: index.md\n  - Article: articles/one.md\n"
                                          "  - Glossary: glossary/index.md\n  - Bibliography: bibliography/index.md\n")
    config.write_text(text, encoding="utf-8")

    # CITATION.cff still cites the example article: the build says so, and what to run.
    stale = make(site, "site")
    assert stale.returncode != 0
    assert ("CITATION.cff: out of date: it does not say what docs/articles/one.md and mkdocs.yml say. "
            "Run `make citation` to write it again from them, and commit it.") in stale.stderr, stale.stderr[-3000:]
    cited = make(site, "citation")
    assert cited.returncode == 0, cited.stdout + cited.stderr
    assert "Generated from docs/articles/one.md" in (site / "CITATION.cff").read_text(encoding="utf-8")

    rebuilt = make(site, "site")
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    assert "pip install" not in stale.stdout + rebuilt.stdout, "the environment is made once"
    assert (site / "site" / "articles" / "one" / "index.html").is_file()
    checked = make(site, "check", "PYTEST_ARGS=-q -p no:cacheprovider")
    assert checked.returncode == 0, checked.stdout[-5000:] + checked.stderr[-3000:]
    assert re.search(r"\d+ passed", checked.stdout) and " failed" not in checked.stdout, checked.stdout[-2000:]


# -- what a new site gets ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def new(tmp_path_factory) -> Path:
    return new_site.create_site(tmp_path_factory.mktemp("new") / "my-site", git=False, python=Path(sys.executable))


def assert_valid_citation_file(site: Path, name: str) -> None:
    """CITATION.cff, from the example article and the identity block, valid for cffconvert."""
    from microsite.scholarly.cff import validate_cff

    text = (site / "CITATION.cff").read_text(encoding="utf-8")
    assert text.startswith("# Generated from docs/articles/example.md by the site build")
    data = yaml.safe_load(text)
    assert data["title"] == name and data["authors"] == [{"family-names": "Example", "given-names": "Ada"}]
    assert data["preferred-citation"]["title"] == "Coding a Field Survey: An Example Article"
    result = validate_cff(site / "CITATION.cff")
    assert result.valid, result.output


def test_it_has_the_generator_its_tests_and_the_example_content(new):
    for path in ("hooks/microsite_events.py", "hooks/microsite/features/__init__.py", "Makefile", "pyproject.toml",
                 ".ci/run", ".github/workflows/test.yml", ".github/workflows/deploy.yml", "tests/conftest.py",
                 "tests/generator/test_site_checks.py", "tests/roots/basic/mkdocs.yml",
                 "tests/data/biblatex-examples.bib", "tools/new_site.py", "site-template/mkdocs.yml",
                 "mkdocs.yml", "README.md", "docs/index.md", "docs/about.md", "docs/articles/example.md",
                 "docs/briefs/example.md", "bib/example.bib", "tests/site/test_content.py"):
        assert (new / path).is_file(), path
    assert len(list((new / "docs" / "glossary").glob("*.md"))) == 3
    assert os.access(new / ".ci" / "run", os.X_OK)
    assert not (new / ".venv").exists() and not (new / "site").exists()
    # the name, from the folder, in the identity block and the README
    config = yaml.safe_load((new / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["site_name"] == "My site"
    assert (new / "README.md").read_text(encoding="utf-8").startswith("# My site\n")
    assert "(here my-site-offline.zip)" in (new / "mkdocs.yml").read_text(encoding="utf-8")


def test_it_has_a_valid_citation_file_from_its_example_article(new):
    assert_valid_citation_file(new, "My site")


def test_without_the_generators_python_it_says_to_run_make_citation(tmp_path, capsys):
    site = new_site.create_site(tmp_path / "no-python", git=False, python=tmp_path / "no-python-here")
    said = capsys.readouterr().err
    assert not (site / "CITATION.cff").exists()
    assert said.startswith("CITATION.cff was not written (") and said.rstrip().endswith(
        "in the new site, run `make citation` and commit it."), said


def test_the_example_sources_say_they_are_fictional(new):
    bib = (new / "bib" / "example.bib").read_text(encoding="utf-8")
    assert "FICTIONAL" in bib
    assert bib.count("Fictional source of the example site") == len(re.findall(r"^@\w+\{", bib, re.M)) == 2
    assert "fictional" in (new / "docs" / "about.md").read_text(encoding="utf-8")


def test_nothing_of_this_sites_own_content_is_copied(new):
    """Only the template's content: no file of this site's docs/, bib/, README, tests/site/ or seed
    text, and none of its name, author, sources or terms in the new site's content."""
    template_bytes = {p.read_bytes() for p in files_of(TEMPLATE)}
    own = [p for p in files_of(REPO) + [REPO / name for name in new_site.THIS_SITES_DATA]
           if p.is_file() and p.read_bytes() not in template_bytes]
    # (tests/roots/ is the generator's: a site whose content came from a test root matches it there)
    copied = {p.read_bytes(): p for p in files_of(new, SITE_CONTENT + ("tests/data",))}
    assert [str(p.relative_to(REPO)) for p in own if p.read_bytes() in copied] == []

    template_text = "\n".join(p.read_text(encoding="utf-8") for p in files_of(TEMPLATE))
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    marks = {config.get("site_name"), config.get("site_author")}
    for bib in (REPO / "bib").rglob("*.bib"):
        marks |= set(re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), re.M))
    for entry in (REPO / "docs" / "glossary").glob("*.md"):
        marks |= {str(yaml.safe_load(entry.read_text(encoding="utf-8").split("---")[1]).get("term"))}
    marks = {mark for mark in marks if mark and len(mark) > 3 and mark not in template_text}
    content = "\n".join(p.read_text(encoding="utf-8") for p in files_of(new))
    assert sorted(mark for mark in marks if mark in content) == []


def test_it_copies_only_what_git_knows(new):
    known = new_site.known_files(REPO)
    if known is None:
        pytest.skip("not a git checkout")
    generator = {name for name, _ in new_site.generator_files(REPO)}
    assert generator <= set(known)
    for name in generator:
        assert not name.startswith(("docs/", "bib/", "tests/site/", "notes/")), name


def test_a_new_site_is_a_git_repository_with_one_commit(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    site = new_site.create_site(tmp_path / "with-git", "With Git")
    log = subprocess.run(["git", "log", "--format=%s"], cwd=site, capture_output=True, text=True, check=True)
    assert log.stdout.splitlines() == [new_site.FIRST_COMMIT]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=site, capture_output=True, text=True, check=True)
    assert status.stdout == "", "every file is committed"


# -- what it refuses ----------------------------------------------------------------------------------------

def test_it_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = make(REPO, "new-site", f"DIR={target}", timeout=60)
    assert result.returncode != 0
    assert f"make new-site: {target} is not empty: give a new or empty folder. Nothing was written." in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_it_refuses_a_folder_inside_the_generator():
    with pytest.raises(new_site.Refused, match="inside the generator's folder"):
        new_site.create_site(REPO / "tools" / "my-site", git=False)
    assert not (REPO / "tools" / "my-site").exists()


def test_a_folder_git_ignores_inside_the_generator_is_fine(tmp_path):
    """As the tests' own tmp_path (.pytest_tmp/) is, when it is inside the checkout."""
    if new_site.known_files(REPO) is None:
        pytest.skip("not a git checkout")
    inside = REPO / ".pytest_tmp" / "ignored-site"
    assert new_site.ignored_by_git(REPO, inside)
    assert not new_site.ignored_by_git(REPO, REPO / "tools" / "my-site")


def test_without_a_folder_make_says_how_to_call_it():
    result = make(REPO, "new-site", timeout=60)
    assert result.returncode != 0
    assert 'usage: make new-site DIR=../my-site [NAME="My site"]' in result.stderr


def test_a_name_with_quotes_reaches_the_site_as_written(tmp_path):
    """NAME went into the shell command inside double quotes: its own quotes ended them and were lost."""
    name = 'Ada\'s "Field" Notes'
    result = make(REPO, "new-site", f"DIR={tmp_path / 'quoted'}", f"NAME={name}", timeout=120)
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "quoted" / "mkdocs.yml").read_text(encoding="utf-8")
    identity = config.split("# On GitHub Pages")[0]
    assert yaml.safe_load(identity)["site_name"] == name


@pytest.mark.parametrize("folder, name", [("my-site", "My site"), ("field_notes.2025", "Field notes 2025"),
                                          ("Atlas", "Atlas")])
def test_the_name_comes_from_the_folder(folder, name):
    assert new_site.name_from_folder(Path(folder)) == name


def test_the_offline_name_is_the_generators():
    """tools/new_site.py shows the offline edition's name the generator will give it."""
    from types import SimpleNamespace

    from microsite.publish.editions import Publisher

    for site_name in ("Field Notes", "Östra Notes: 2025 & after", new_site.EXAMPLE_NAME):
        context = SimpleNamespace(config=SimpleNamespace(site_name=site_name),
                                  settings=SimpleNamespace(offline_name=None))
        assert new_site.offline_name(site_name) == Publisher(context).name


# -- the environment: a copied .venv, clean and distclean ----------------------------------------------------

def fake_project(folder: Path, venv_runs: str | None) -> Path:
    """The Makefile with a stand-in .venv whose Python says which folder's generator it imports."""
    folder.mkdir()
    shutil.copy(REPO / "Makefile", folder / "Makefile")
    for name in ("pyproject.toml", "package.json", "package-lock.json"):
        (folder / name).write_text("", encoding="utf-8")
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n" + (f"echo {venv_runs}\n" if venv_runs else "exit 1\n"), encoding="utf-8")
    python.chmod(0o755)
    (folder / "node_modules").mkdir()
    os.utime(folder / "pyproject.toml", (1, 1))             # older than the stamps
    for stamp in (folder / ".venv" / ".installed", folder / "node_modules" / ".installed"):
        stamp.write_text("", encoding="utf-8")
    return folder


def test_make_keeps_its_own_venv(tmp_path):
    folder = tmp_path / "own"
    project = fake_project(folder, str(folder.resolve()))
    assert make(project, "-n", "site").stdout.splitlines() == [".venv/bin/mkdocs build --strict"]


@pytest.mark.parametrize("venv_runs, said", [("/elsewhere/checkout", "runs the generator of /elsewhere/checkout"),
                                             (None, "cannot import the generator")])
def test_make_replaces_a_venv_made_for_another_folder(tmp_path, venv_runs, said):
    project = fake_project(tmp_path / "copy", venv_runs)
    planned = make(project, "-n", "site").stdout          # -n: what make would run, nothing run
    assert said in planned and "making a new one" in planned
    assert planned.index("rm -rf .venv") < planned.index("python3 -m venv .venv") < planned.index("mkdocs build")


def test_clean_and_distclean_say_what_they_remove(tmp_path):
    project = fake_project(tmp_path / "p", None)
    for name in ("site", ".cache", ".pytest_tmp"):
        (project / name).mkdir()
    cleaned = make(project, "clean")
    assert cleaned.stdout.splitlines() == ["removing site/", "removing .cache/", "removing .pytest_tmp/",
                                           "kept .venv/ and node_modules/ (make distclean removes them too)"]
    assert (project / ".venv").exists() and not (project / "site").exists()
    assert make(project, "clean").stdout.splitlines()[0] == "nothing to remove"
    assert make(project, "distclean").stdout.splitlines() == ["removing .venv/", "removing node_modules/"]
    assert sorted(p.name for p in project.iterdir()) == ["Makefile", "package-lock.json", "package.json",
                                                          "pyproject.toml"]


def test_fuzzing_the_example_site_finds_nothing(new, tmp_path):
    """tools/fuzz_site.py with a fixed seed: the same random hostile and careless edits each
    run (front matter, Markdown, bib entries, glossary, timeline, options, stray bytes), and
    none may end in a traceback, fail without a located message, or put live script on a page.
    Seed 23's edits include `search: -1` and `search: []` in glossary entries, which ended the
    build in Material's search plugin before content/theme_keys.py (red without it)."""
    out = tmp_path / "fuzz.jsonl"
    result = subprocess.run([sys.executable, str(REPO / "tools" / "fuzz_site.py"), str(new), "--builds", "12",
                             "--seed", "23", "--out", str(out)], capture_output=True, text=True, timeout=1200,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    builds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(builds) == 12 and sum(len(build["edits"]) for build in builds) >= 12
    assert result.returncode == 0, [build for build in builds if build["traceback"] or build["silent"]
                                    or build["live_script"]]
    assert any(build["exit"] == 1 and build["messages"] for build in builds)   # the edits do find problems
