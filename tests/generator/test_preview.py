"""The preview (`mkdocs serve`, as `make serve` runs it): a content problem does
not block the server; the page shows it, with file, line and fix, and reloads
once the file is fixed."""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import prepare

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the preview server did not answer at {url}")


def _stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def test_a_problem_shows_in_the_page_and_the_fix_reloads_it(browser, tmp_path):
    project = prepare("basic", tmp_path)
    article = project / "docs/articles/one.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("[@doe2020book, p. 5]", "[@doe2020bok, p. 5]"), encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--livereload",
         "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base)
        page = browser.new_page()
        page.goto(base + "articles/one/")
        banner = page.wait_for_selector("section.mx-problems", timeout=10000)
        text = banner.inner_text()
        assert "docs/articles/one.md:8: unknown citation key 'doe2020bok'. Did you mean 'doe2020book'?" in text
        page.goto(base)
        assert "1 problem in the site's content" in page.inner_text("section.mx-problems")
        page.goto(base + "articles/one/")
        page.wait_for_selector("section.mx-problems")
        article.write_text(good, encoding="utf-8")           # the author fixes the key
        page.wait_for_selector("section.mx-problems", state="detached", timeout=60000)
        assert "(Doe 2020, 5)" in page.inner_text("article")
    finally:
        _stop(server)


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode("utf-8")


def test_a_mistaken_option_shows_on_the_home_page_instead_of_stopping_the_preview(tmp_path):
    """A wrong value under `extra: microsite:` stops `mkdocs build`; in the preview it used to stop
    the server too (or, once it was running, leave the browser waiting: "the server will appear
    stuck until build errors are resolved"). Now the home page lists it, the default is used,
    and the banner goes once mkdocs.yml is fixed."""
    project = prepare("basic", tmp_path, settings={"glossary_link": "every", "offlne": True})
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    assert "glossary_link: every" in good and "offlne: true" in good
    lines = good.splitlines()
    link_line = next(n for n, line in enumerate(lines, 1) if "glossary_link: every" in line)
    typo_line = next(n for n, line in enumerate(lines, 1) if "offlne: true" in line)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}",
         "-f", str(config)],
        cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_for(base, seconds=60)
        except AssertionError:
            server.terminate()
            raise AssertionError("the preview did not start: " + server.communicate(timeout=20)[0][-1500:]) from None
        home = html.unescape(_page(base))
        assert "2 problems in the site's content" in home
        assert (f"mkdocs.yml:{link_line}</code>: extra.microsite.glossary_link must be one of `first`, "
                "`first-per-section`, `all`, not 'every'") in home
        assert f"mkdocs.yml:{typo_line}</code>: extra.microsite.offlne: Unrecognised configuration name" in home
        assert "the default is used meanwhile" in home and "ignored meanwhile" in home
        fixed = [line.replace("glossary_link: every", "glossary_link: all") for line in lines if "offlne" not in line]
        config.write_text("\n".join(fixed) + "\n", encoding="utf-8")          # the author fixes mkdocs.yml
        deadline = time.monotonic() + 60
        while "mx-problems" in _page(base):
            assert time.monotonic() < deadline, "the banner stayed after mkdocs.yml was fixed"
            time.sleep(0.5)
    finally:
        _stop(server)


def test_mkdocs_own_warnings_show_in_the_banner_at_the_links_line(tmp_path):
    """A link to a missing page fails `make site` (MkDocs' warning, under --strict); the preview
    showed it only in the terminal. Now the page with the link and the home page list it."""
    project = prepare("basic", tmp_path, config={"validation": {"links": {"anchors": "warn"}}})
    article = project / "docs/articles/one.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nSee [the missing page](nope.md).\n\n"
                       "And [a heading](../glossary/nato.md#no-such-heading).\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}",
         "-f", str(project / "mkdocs.yml")],
        cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base)
        expected = (f"docs/articles/one.md:{line}</code>: Doc file 'articles/one.md' contains a link 'nope.md', but "
                    "the target 'articles/nope.md' is not found among documentation files. Correct the link")
        anchor = (f"docs/articles/one.md:{line + 2}</code>: Doc file 'articles/one.md' contains a link "
                  "'../glossary/nato.md#no-such-heading', but the doc 'glossary/nato.md' does not contain an anchor "
                  "'#no-such-heading'")
        page = html.unescape(_page(base + "articles/one/"))
        assert expected in page and anchor in page
        home = html.unescape(_page(base))
        assert "2 problems in the site's content" in home and expected in home and anchor in home
    finally:
        _stop(server)
