"""MkDocs event handlers: each hands its event to this build's `Build`.

A new `Build` is created in on_config, because `mkdocs serve` rebuilds reuse
the process (and this module) but must not reuse any state of the last build:
the build handle is the only state that lives between events.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from microsite.build import Build

_command: str = "build"
_build: Build | None = None


def on_startup(command, dirty, **_):
    global _command
    _command = command


# Early, so that other plugins see our Markdown extensions and theme changes.
@event_priority(50)
def on_config(config, **_):
    global _build
    if _build is not None:
        _build.close()
    _build = Build(config, _command)
    return _build.on_config()


def on_files(files, config, **_):
    return _build.on_files(files)


def on_nav(nav, config, files, **_):
    return _build.on_nav(nav)


def on_page_read_source(page, config, **_):
    return _build.on_page_read_source(page)


def on_page_markdown(markdown, page, config, files, **_):
    return _build.on_page_markdown(markdown, page)


def on_page_content(html, page, config, files, **_):
    return _build.on_page_content(html, page)


def on_env(env, config, files, **_):
    return _build.on_env(env, files)


# Early, so that the search plugin (priority 0) indexes the page with its late sections.
@event_priority(50)
def on_page_context(context, page, config, nav, **_):
    return _build.on_page_context(context, page)


# Last, so that the site folder is complete (search index, and the offline
# plugin's inlined search_index.js at -100) when we print PDFs and zip.
@event_priority(-200)
def on_post_build(config, **_):
    _build.on_post_build()


def on_build_error(error, **_):
    if _build is not None:
        _build.close()


def on_shutdown(**_):
    if _build is not None:
        _build.close()
