#!/usr/bin/env python3
"""Start a new site: `make new-site DIR=../my-site [NAME="My site"]`.

Writes a new folder with
- the generator, copied from this checkout: hooks/, its tests (tests/generator/,
  tests/roots/, tests/data/, the helpers tests/*.py), Makefile, pyproject.toml,
  package*.json, .ci/, .github/, bench/, tools/ and site-template/ itself (so the
  new site can start sites too and its generator tests run unchanged);
- the example content of site-template/ (mkdocs.yml with the site identity block,
  docs/, bib/, tests/site/, README.md), with the site's name filled in;
- its CITATION.cff, written from the example article and mkdocs.yml by the new
  site's own generator (`make citation`'s code), run with the Python of this
  checkout's .venv (the Makefile sets it up first);
- a git repository with one commit: the build dates the offline edition and the
  PDFs from the last commit (SOURCE_DATE_EPOCH).

Nothing of this checkout's own site is copied: its mkdocs.yml, docs/, bib/,
tests/site/, notes/ and README.md stay here, and so does its seed text in
tests/data/. In a git checkout only the files git knows are copied (no build
output, caches or environments).

Only the standard library: it runs with the system's Python. Only CITATION.cff
needs the generator's packages (`--python`, which `make new-site` gives).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "site-template"
GENERATOR = ["hooks", "tests/generator", "tests/roots", "tests/data", "bench", "tools", TEMPLATE, ".ci", ".github",
             "Makefile", "pyproject.toml", "package.json", "package-lock.json", ".gitignore"]
GENERATOR_TEST_HELPERS = "tests/*.py"          # conftest.py, judges.py ... (not tests/site/)
THIS_SITES_DATA = {"tests/data/authoritarian-axis.txt"}   # the first site's seed text (read by its tests/site/)
SKIPPED_ANYWHERE = {"__pycache__", ".pytest_cache", ".git"}
SKIPPED_AT_TOP = {"site", ".venv", "node_modules", ".cache", ".pytest_tmp"}    # what make and the tests write
EXAMPLE_NAME = "An Example Research Site"      # site_name in site-template/mkdocs.yml
FIRST_COMMIT = "New site from the research microsite generator (make new-site)"
CITATION_FILE = "CITATION.cff"


class Refused(Exception):
    """A reason not to write anything, said to the user as it is."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-site", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the new site's folder: new, or empty (e.g. ../my-site)")
    parser.add_argument("--name", help="the site's name (default: from the folder's name)")
    parser.add_argument("--no-git", action="store_true", help="do not create a git repository")
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python",
                        help="a Python with the generator's packages, to write CITATION.cff (default: .venv's)")
    args = parser.parse_args(argv)
    try:
        target = create_site(Path(args.folder), args.name, git=not args.no_git, python=args.python)
    except Refused as reason:
        print(f"make new-site: {reason}. Nothing was written.", file=sys.stderr)
        return 2
    print(next_steps(target))
    return 0


def create_site(target: Path, name: str | None = None, *, git: bool = True, source: Path = ROOT,
                python: Path | None = None) -> Path:
    """Write the new site; with `python` (one that has the generator's packages), its CITATION.cff too."""
    target = target.expanduser().resolve()
    check_target(target, source)
    name = (name or name_from_folder(target)).strip()
    if not name:
        raise Refused("the site needs a name: add NAME=\"My site\"")
    files = generator_files(source) + template_files(source)
    target.mkdir(parents=True, exist_ok=True)
    for relative, origin in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, destination)
    fill_in_name(target, name)
    if python is not None:
        write_citation(target, python)
    if git:
        make_repository(target)
    return target


def check_target(target: Path, source: Path) -> None:
    if target.exists() and not target.is_dir():
        raise Refused(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise Refused(f"{target} is not empty: give a new or empty folder")
    if (target == source or source in target.parents) and not ignored_by_git(source, target):
        raise Refused(f"{target} is inside the generator's folder {source}, where its files would mix with the "
                      "generator's: give a folder outside it, such as ../my-site")


def ignored_by_git(source: Path, target: Path) -> bool:
    """Whether git ignores `target` in the checkout `source` (e.g. the tests' .pytest_tmp/)."""
    try:
        return subprocess.run(["git", "check-ignore", "-q", str(target)], cwd=source, capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def name_from_folder(target: Path) -> str:
    words = re.sub(r"[-_.]+", " ", target.name).strip()
    return words[:1].upper() + words[1:]


# -- what is copied ---------------------------------------------------------------------------------------

def known_files(source: Path) -> list[str] | None:
    """The files git tracks (or has staged) in `source`, or None outside a git checkout."""
    try:
        result = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=source, capture_output=True,
                                timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    toplevel = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=source, capture_output=True,
                              text=True, timeout=60).stdout.strip()
    if not toplevel or Path(toplevel).resolve() != source.resolve():
        return None                       # a folder inside some other repository
    return [name for name in result.stdout.decode("utf-8").split("\0") if name]


def skipped(name: str) -> bool:
    parts = Path(name).parts
    return bool(SKIPPED_ANYWHERE.intersection(parts)) or parts[0] in SKIPPED_AT_TOP


def all_files(source: Path) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        names += [Path(folder, f).relative_to(source).as_posix() for f in sorted(files)]
    return [name for name in names if not skipped(name)]


def generator_files(source: Path) -> list[tuple[str, Path]]:
    names = known_files(source)
    if names is None:
        names = all_files(source)
    chosen = []
    for name in names:
        if skipped(name) or name in THIS_SITES_DATA or not (source / name).is_file():
            continue
        in_generator = any(name == path or name.startswith(path + "/") for path in GENERATOR)
        if in_generator or Path(name).match(GENERATOR_TEST_HELPERS) and len(Path(name).parts) == 2:
            chosen.append((name, source / name))
    return chosen


def template_files(source: Path) -> list[tuple[str, Path]]:
    """site-template/<path> becomes the new site's <path>."""
    template = source / TEMPLATE
    if not (template / "mkdocs.yml").is_file():
        raise Refused(f"{template} has no mkdocs.yml: this checkout has no site template")
    return [(name, template / name) for name in all_files(template)]


def fill_in_name(target: Path, name: str) -> None:
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    quoted = json.dumps(name, ensure_ascii=False)          # a valid YAML double-quoted string
    text = text.replace(f'site_name: "{EXAMPLE_NAME}"', f"site_name: {quoted}", 1)
    text = text.replace(f"(here {offline_name(EXAMPLE_NAME)}.zip)", f"(here {offline_name(name)}.zip)", 1)
    config.write_text(text, encoding="utf-8")
    readme = target / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("{{site_name}}", name), encoding="utf-8")


def offline_name(site_name: str) -> str:
    """The offline edition's default name, as the generator makes it (publish/editions.py)."""
    slug = "".join(c if c.isalnum() else "-" for c in site_name.lower())
    return "-".join(part for part in slug.split("-") if part) + "-offline"


def write_citation(target: Path, python: Path) -> None:
    """CITATION.cff from the example article and mkdocs.yml, by the new site's generator as `make
    citation` runs it. Without it a new repository's "Cite this repository" is empty until then."""
    command = [str(Path(python).absolute()), "-m", "microsite.scholarly.citation_file", "mkdocs.yml"]
    # The new site's hooks/ ahead of the editable install `python` has: its own copy runs.
    env = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "PYTHONPATH")}
    env.update(PYTHONPATH=str(target / "hooks"), NO_MKDOCS_2_WARNING="1")
    try:
        result = subprocess.run(command, cwd=target, env=env, capture_output=True, text=True, timeout=300)
        said, failed = (result.stdout + result.stderr).strip(), result.returncode != 0
    except OSError as error:
        said, failed = str(error), True
    if failed or not (target / CITATION_FILE).is_file():
        (target / CITATION_FILE).unlink(missing_ok=True)        # an unvalidated file would be committed
        print(f"{CITATION_FILE} was not written ({said}): in the new site, run `make citation` and commit it.",
              file=sys.stderr)


# -- git ------------------------------------------------------------------------------------------------------

def make_repository(target: Path) -> None:
    if shutil.which("git") is None:
        print("git was not found: no repository was made. The offline edition will be dated 2000-01-01 "
              "until the site is in a git repository (or SOURCE_DATE_EPOCH is set).", file=sys.stderr)
        return
    run_git(target, "init", "-q")
    run_git(target, "add", "-A")
    identity: list[str] = []
    if not git_identity(target):
        # A first commit needs an author; this one only records the template.
        identity = ["-c", "user.name=make new-site", "-c", "user.email=new-site@localhost"]
        print("git has no user.name/user.email here: the first commit is signed 'make new-site'. "
              "Set yours with `git config --global user.name …` and `… user.email …`.", file=sys.stderr)
    run_git(target, *identity, "commit", "-q", "--no-verify", "-m", FIRST_COMMIT)


def git_identity(target: Path) -> bool:
    return all(subprocess.run(["git", "config", key], cwd=target, capture_output=True).stdout.strip()
               for key in ("user.name", "user.email"))


def run_git(target: Path, *args: str) -> None:
    result = subprocess.run(["git", *args], cwd=target, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"make new-site: `git {' '.join(args)}` failed in {target}: {result.stderr.strip()}")


def next_steps(target: Path) -> str:
    relative = os.path.relpath(target)
    shown = relative if not relative.startswith(os.path.join("..", "..")) else str(target)
    return f"""New site in {target}: an example article, brief, three glossary entries and two fictional
sources, with the generator, its tests and the GitHub workflows (git: one commit).

Next:
  cd {shown}
  make serve     # preview at http://127.0.0.1:8000/ (the first make sets up .venv/ for this folder)
  then edit the site identity block at the top of mkdocs.yml and replace the example content:
  README.md, "Make it yours"."""


if __name__ == "__main__":
    sys.exit(main())
