"""Test helpers: build a mini-project (tests/roots/<name>/) into tmp_path with the
real MkDocs, parse its pages with a real HTML parser, and drive Debian Chromium.

Each scenario is one folder under tests/roots/, as in sphinxcontrib-bibtex.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
ROOTS = REPO / "tests" / "roots"
DATA = REPO / "tests" / "data"
HOOK = REPO / "hooks" / "microsite_events.py"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass
class Built:
    project: Path
    site: Path
    ok: bool
    messages: list[str] = field(default_factory=list)    # every log line
    warnings: list[str] = field(default_factory=list)    # WARNING and above
    changed_sources: list[str] = field(default_factory=list)   # files under docs/ or bib/ the build changed

    def page(self, url_path: str) -> BeautifulSoup:
        path = self.site / url_path
        if path.is_dir() or url_path.endswith("/") or url_path == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def article(self, url_path: str):
        return self.page(url_path).select_one("article.md-content__inner")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def prepare(root: str, tmp_path: Path, settings: dict | None = None, config: dict | None = None,
            files: dict[str, str] | None = None) -> Path:
    """Copy a root into tmp_path, register our hook, apply overrides; returns the project folder."""
    project = tmp_path / root
    shutil.copytree(ROOTS / root, project)
    config_path = project / "mkdocs.yml"
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["hooks"] = [str(HOOK)]
    data.setdefault("extra", {}).setdefault("microsite", {})
    data["extra"]["microsite"].setdefault("offline", False)
    data["extra"]["microsite"].setdefault("pdf", False)
    data["extra"]["microsite"].setdefault("cache_dir", str(tmp_path / "cache"))
    data["extra"]["microsite"].update(settings or {})
    data.update(config or {})
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for name, text in (files or {}).items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return project


def _sources(project: Path) -> dict[str, bytes]:
    return {str(path.relative_to(project)): path.read_bytes()
            for folder in ("docs", "bib") for path in sorted((project / folder).rglob("*")) if path.is_file()}


def build_project(project: Path, strict: bool = True) -> Built:
    """Build in this process, as `mkdocs build` does (on_startup, then build)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    before = _sources(project)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    ok = True
    try:
        cfg = load_config(str(project / "mkdocs.yml"), strict=strict, site_dir=str(project / "site"))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, PluginError, SystemExit) as error:
        ok = False
        handler.records.append(logging.makeLogRecord({"msg": f"ABORT: {error}", "levelno": logging.ERROR,
                                                      "levelname": "ERROR"}))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    messages = [record.getMessage() for record in handler.records]
    warnings = [record.getMessage() for record in handler.records if record.levelno >= logging.WARNING]
    after = _sources(project)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    return Built(project, project / "site", ok, messages, warnings, changed)


def expect_problems(built: Built, *messages: str) -> None:
    """The build failed under --strict, reported each message exactly (a whole
    warning line: `path:line: what. What to do.`), and changed no source file."""
    assert not built.ok, "the build should have failed"
    for message in messages:
        assert message in built.warnings, f"not reported: {message!r}\nreported:\n" + "\n".join(built.warnings)
    assert built.changed_sources == []


@pytest.fixture
def build_root(tmp_path):
    """build_root("basic", settings={...}, files={"docs/x.md": "..."}) -> Built"""

    def run(root: str, *, strict: bool = True, settings=None, config=None, files=None) -> Built:
        return build_project(prepare(root, tmp_path, settings, config, files), strict=strict)

    return run


def copy_real_project(folder: Path) -> Path:
    """This repository's site (content and options) in `folder`, with its generator linked."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "bib"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    if (REPO / "CITATION.cff").is_file():       # the build checks it against the main article (`make citation`)
        shutil.copy(REPO / "CITATION.cff", folder / "CITATION.cff")
    (folder / "hooks").symlink_to(REPO / "hooks")
    return folder


def build_real_site(folder: Path, epoch: str = "1600000000") -> Path:
    """Build this repository's site (offline edition and PDFs included) in `folder`."""
    copy_real_project(folder)
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return folder / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    return build_real_site(tmp_path_factory.mktemp("real") / "project")


# -- the browser -------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MICROSITE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " - with CI=true a missing browser is a failure")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, empty profile of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def serve(folder: Path):
    """Serve a folder on 127.0.0.1 (a random free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
