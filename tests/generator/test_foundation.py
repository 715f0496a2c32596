"""The foundation: the two commands' build, the content contract, the hook, no network."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

from conftest import REPO, build_project, copy_real_project, prepare


def test_basic_root_builds_strict_with_no_warnings(build_root):
    built = build_root("basic")
    assert built.ok, built.messages
    assert built.warnings == []
    assert (built.site / "index.html").is_file()
    article = built.article("articles/one/")
    assert article.h1.get_text(strip=True).startswith("One article")
    byline = article.select_one("p.mx-byline").get_text(" ", strip=True)
    assert byline == "By Ada Author and Ben Writer · This edition: 4 March 2021"
    # Material's template received the summary as the page description
    assert built.page("articles/one/").select_one('meta[name="description"]')["content"] == \
        "A test article that cites sources and uses glossary terms."


def test_contract_violations_name_file_line_and_fix(build_root):
    built = build_root("bad-contract")
    assert not built.ok
    text = "\n".join(built.warnings)
    assert "docs/articles/no-title.md:1: an article needs a `title`" in text
    assert "docs/articles/no-title.md:2: an article needs `authors`, a list of names" in text
    assert "docs/articles/no-title.md:3: `date: 5 November 2020` is not an ISO date" in text
    assert "docs/articles/no-title.md:4: `summary` must be a single paragraph" in text
    assert re.search(r"docs/briefs/bad-yaml.md:\d+: front matter is not valid YAML", text)
    assert all(". " in warning for warning in built.warnings if "docs/" in warning), "each names a fix"


def test_a_build_does_not_modify_sources(build_root, tmp_path):
    project = prepare("basic", tmp_path)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    built = build_project(project)
    assert built.ok
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and "site" not in p.parts}
    assert before == after
    assert built.changed_sources == []


def test_the_generator_knows_no_site_content():
    words = re.compile(r"\b(russia|russian|china|chinese|csto|eurasia|bri|sco|eeu|crimea|putin|stent|nato)\b",
                       re.IGNORECASE)
    hits = []
    # Every text file under hooks/, committed or not: also what an install may write there
    # (setuptools used to put the README, with this site's examples, in an egg-info folder).
    for path in (REPO / "hooks").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if words.search(line):
                    hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hits == []


def test_real_site_builds_with_the_network_unavailable(tmp_path):
    """`mkdocs build --strict` of the real site (offline edition included) with every
    socket connection refused: it must succeed and attempt no connection."""
    guard = tmp_path / "guard"
    guard.mkdir()
    attempts = tmp_path / "attempts.log"
    (guard / "sitecustomize.py").write_text(textwrap.dedent(f"""
        import socket
        _connect = socket.socket.connect
        def refuse(self, address, *args):
            if self.family in (socket.AF_INET, socket.AF_INET6):
                with open({str(attempts)!r}, "a") as log:
                    log.write(repr(address) + "\\n")
                raise OSError("network disabled by the test")
            return _connect(self, address, *args)
        socket.socket.connect = refuse
    """))
    # A copy of the project, so that the build's cache and output stay out of the repository.
    project = copy_real_project(tmp_path / "project")
    python_path = os.pathsep.join(filter(None, [str(guard), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=python_path, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not attempts.exists(), attempts.read_text()
    assert "WARNING" not in result.stderr
    assert (site / "index.html").is_file()


def test_a_link_back_up_its_own_way_stops_the_build_before_mkdocs_walks_it(tmp_path):
    """MkDocs follows folder links without noticing a loop: `docs/loop -> .` was listed 40 levels
    deep (the site published 40 times over), and two such links (`docs/sub/up -> ..` and
    `docs/sub/up2 -> ../..`) made it list 2^40 folders, a build that never ended. A loop through
    two links (`docs/shared -> ../shared`, `shared/back -> ../docs`) was called a link to nothing
    at its 41st level. Each is reported at its own path (`shared/back`, where it is) before MkDocs lists docs/."""
    project = prepare("basic", tmp_path)
    docs = project / "docs"
    (docs / "loop").symlink_to(".")
    (docs / "sub").mkdir()
    (docs / "sub" / "up").symlink_to("..")
    (docs / "sub" / "up2").symlink_to("../..")
    (project / "shared").mkdir()
    (project / "shared" / "back").symlink_to("../docs")
    (docs / "shared").symlink_to("../shared")
    (docs / "img").symlink_to("../shared")                    # the same folder twice: no loop of its own
    built = build_project(project, strict=False)
    assert not built.ok
    reported = [message for message in built.warnings if "symbolic link" in message]
    assert reported == ["\n".join(
        f"{path}: a symbolic link to {target}, a folder on its own way from docs/: MkDocs would list the folder "
        "inside itself again and again (with two such links, without end), so the site is not built. Remove the link."
        for path, target in [("docs/loop", "."), ("docs/sub/up", ".."), ("docs/sub/up2", "../.."),
                             ("shared/back", "../docs")])], built.warnings
    assert not (project / "site").exists() and built.changed_sources == []


def test_a_link_out_of_the_project_is_reported_and_not_published(tmp_path):
    """MkDocs follows symbolic links in docs/: a file or folder linked from outside the project
    (a private key, a home folder) was copied into the site and the offline edition. A link
    inside the project still works; a link to nothing ended the build in a traceback."""
    import zipfile

    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    (outside / "folder" / "secret.txt").write_text("SECRET", encoding="utf-8")
    (outside / "folder" / "page.md").write_text("# SECRET PAGE\n", encoding="utf-8")
    project = prepare("basic", tmp_path, settings={"offline": True})
    (project / "assets" / "img").mkdir(parents=True)
    (project / "assets" / "img" / "shared.txt").write_text("shared", encoding="utf-8")
    docs = project / "docs"
    (docs / "notes.txt").symlink_to(outside / "id_rsa")
    (docs / "elsewhere").symlink_to(outside / "folder")
    (docs / "img").symlink_to("../assets/img")                       # inside the project: published
    (docs / "img-gone.txt").symlink_to("../assets/nothing.txt")      # to nothing
    built = build_project(project)
    assert sorted(built.warnings) == [
        "ABORT: Aborted with 3 warnings in strict mode!",
        f"docs/elsewhere: a symbolic link to the folder {outside / 'folder'}, outside the project folder: its 2 "
        "file(s) are not published. MkDocs would copy what it points to into the public site. If it belongs to "
        "the site, copy it into the project (or link to a place inside it); else remove the link.",
        "docs/img-gone.txt: a symbolic link to ../assets/nothing.txt, which does not exist: it is left out of the "
        "site. Correct the link, or remove it.",
        f"docs/notes.txt: a symbolic link to {outside / 'id_rsa'}, outside the project folder: it is not "
        "published. MkDocs would copy what it points to into the public site. If it belongs to the site, copy it "
        "into the project (or link to a place inside it); else remove the link."], built.warnings
    # withheld from the site and from the offline edition (built without --strict, to see what it holds)
    built = build_project(project, strict=False)
    published = [path.relative_to(built.site).as_posix() for path in built.site.rglob("*") if path.is_file()]
    with zipfile.ZipFile(next((built.site / "downloads").glob("*.zip"))) as offline:
        published += offline.namelist()
    assert "img/shared.txt" in published and any(name.endswith("/img/shared.txt") for name in published)
    assert [name for name in published if re.search(r"notes|elsewhere|secret|img-gone", name)] == []
    texts = [path.read_bytes() for path in built.site.rglob("*") if path.is_file() and path.suffix != ".zip"]
    assert not any(b"PRIVATE KEY" in text or b"SECRET" in text for text in texts)
