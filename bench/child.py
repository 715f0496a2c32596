"""What the benchmark runs in its child processes.

    python bench/child.py build -q -f mkdocs.yml -d out      `mkdocs build`, unchanged, plus the
                                                             timing of our Markdown extension
    python bench/child.py profile OUT.prof build ...         the same under cProfile
    python bench/child.py serve CONFIG PAGE EDITS OUT.json   `mkdocs serve`'s rebuild after an edit
                                                             (with BENCH_PHASES: the last rebuild's)

`build` runs MkDocs' own command line (mkdocs.__main__.cli). When BENCH_PHASES
names a file, it first wraps a few functions of the generator with a timer (one
perf_counter pair a call: the Markdown extension runs inside MkDocs' page
rendering, where no build event can time it) and writes their totals to that
file when the process exits. The build's own phase timings come from the
generator (MICROSITE_TIMINGS, written by on_post_build).
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from collections import defaultdict

PHASES_ENV = "BENCH_PHASES"

# (module, class or None for a module-level function, function, phase name)
WRAPPED = [
    ("microsite.features.documents", None, "load_documents", "read documents"),
    ("microsite.markdown.citations", "CitationProcessor", "handleMatch", "citations (inline)"),
    ("microsite.markdown.citations", "CitationTreeprocessor", "run", "citations (tree)"),
    ("microsite.markdown.glossary", "TermLinker", "run", "glossary links (tree)"),
    ("microsite.markdown.appendix", "AppendixTreeprocessor", "run", "appended sections"),
    ("microsite.publish.editions", "Publisher", "wait", "waiting for the offline build"),
    ("microsite.publish.editions", "Publisher", "finish", "copying the offline edition"),
]
EVENTS = ["on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content", "on_env",
          "on_page_context", "on_post_page", "on_post_build"]


def instrument(path: str) -> dict[str, float]:
    """Wrap the functions; their totals go to `path` at exit. Returns the totals (live)."""
    import importlib

    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def wrap(owner, method: str, phase: str) -> None:
        original = getattr(owner, method)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[phase] += time.perf_counter() - start
                calls[phase] += 1

        timed.__wrapped__ = original
        setattr(owner, method, timed)

    # Importing our package and the libraries only it needs (pybtex, pypandoc, mkdocs-bibtex,
    # pyahocorasick ...) happens when MkDocs loads the hook; time it here, after importing what
    # MkDocs imports for any build anyway.
    for module in ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults", "mkdocs.plugins",
                   "mkdocs.structure.files", "mkdocs.structure.pages", "mkdocs.utils", "markdown", "jinja2",
                   "yaml"):
        importlib.import_module(module)
    start = time.perf_counter()
    importlib.import_module("microsite.events")
    totals["import"] = time.perf_counter() - start

    for module, cls, method, phase in WRAPPED:
        try:
            owner = importlib.import_module(module)
            owner = getattr(owner, cls) if cls else owner
            getattr(owner, method)
        except (ImportError, AttributeError):      # the generator changed: that phase is not measured
            calls[f"missing: {phase}"] = 0
            continue
        wrap(owner, method, phase)
    build = importlib.import_module("microsite.build")
    for event in EVENTS:
        if hasattr(build.Build, event):
            wrap(build.Build, event, f"event {event}")

    def write() -> None:
        import resource

        own_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"seconds": dict(totals), "calls": dict(calls), "own_peak_rss_kb": own_peak_kb}, handle)

    atexit.register(write)
    return totals


def build(argv: list[str]) -> None:
    if os.environ.get(PHASES_ENV):
        instrument(os.environ[PHASES_ENV])
    from mkdocs.__main__ import cli

    cli.main(args=argv, prog_name="mkdocs")


def profile(out: str, argv: list[str]) -> None:
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        build(argv)
    except SystemExit as done:
        if done.code not in (0, None):
            raise
    finally:
        profiler.disable()
        profiler.dump_stats(out)


def serve_rebuild(config_file: str, page: str, edits: int, out: str) -> None:
    """mkdocs serve's builder, without the HTTP server: the first build, then `edits` rebuilds, each
    after appending a sentence to `page` (restored at the end). Times every build."""
    import logging
    import shutil
    import tempfile

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    totals = instrument(os.environ[PHASES_ENV]) if os.environ.get(PHASES_ENV) else {}
    site_dir = tempfile.mkdtemp(prefix="bench-serve-")
    serve_url = "http://127.0.0.1:8000/"
    with open(page, encoding="utf-8") as handle:
        original = handle.read()

    def builder(config=None) -> float:          # as mkdocs.commands.serve.serve's builder
        start = time.perf_counter()
        if config is None:
            config = load_config(config_file=config_file, site_dir=site_dir)
            config.site_url = serve_url
        mkdocs_build(config, serve_url=serve_url, dirty=False)
        return time.perf_counter() - start

    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = serve_url
    try:
        first = builder(config)
        rebuilds = []
        for number in range(1, edits + 1):
            with open(page, "w", encoding="utf-8") as handle:
                handle.write(original + f"\nAn edited sentence, number {number}, in a new paragraph.\n")
            for phase in list(totals):      # the phases file gets the last rebuild's totals
                if phase != "import":
                    del totals[phase]
            rebuilds.append(builder())
    finally:
        with open(page, "w", encoding="utf-8") as handle:
            handle.write(original)
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"first": first, "rebuilds": rebuilds}, handle)


def main(argv: list[str]) -> None:
    command, rest = argv[0], argv[1:]
    if command == "build":
        build(argv)
    elif command == "profile":
        profile(rest[0], rest[1:])
    elif command == "serve":
        serve_rebuild(rest[0], rest[1], int(rest[2]), rest[3])
    else:
        raise SystemExit(f"bench/child.py: unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
