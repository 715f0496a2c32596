"""Generated HTML comes from Jinja templates, rendered with autoescaping.

The templates live in the generator's theme folder
(`site/theme/microsite/*.html`), which is in the theme's search path right
after a site's own `custom_dir`: a site overrides one by putting a file of the
same name in its `custom_dir/microsite/`, as it would override a Material
partial. They are rendered in an overlay of MkDocs' own Jinja environment
(the theme's loader, filters and globals) with autoescaping on: every value
from content - bib fields, front matter, glossary entries, file names - is
escaped by that one mechanism, in text and in attributes. HTML that is
already safe (a sanitised reference from the formatter, another rendered
template) is passed as `markupsafe.Markup`; JSON in a `<script>` goes through
Jinja's `tojson`; URLs through `safe_url`; `title` attributes through
`tooltip` (Material's tooltips read them as HTML).
"""

from __future__ import annotations

import hashlib
import os

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup

from microsite.generated import human_size
from microsite.site.material import tooltip_text, tooltips_are_html
from microsite.site.urls import safe_url


class Templates:
    def __init__(self, config, cache_dir: str | None = None):
        # Material's and MkDocs' environment (loader with our theme folder and the
        # site's custom_dir, their filters); the overlay shares them, escaping by default.
        self.environment = config.theme.get_env().overlay(autoescape=True)
        tune(self.environment, cache_dir)
        self.environment.filters["safe_url"] = safe_url
        self.environment.filters["filesize"] = human_size
        html = tooltips_are_html(config)
        self.environment.filters["tooltip"] = lambda text: tooltip_text(str(text), html)
        # Loaded once a build (a Templates is made in on_config): Jinja's own cache would
        # stat the file at every one of thousands of renders to see whether it changed.
        self._loaded: dict = {}

    def render(self, name: str, **values) -> Markup:
        template = self._loaded.get(name)
        if template is None:
            template = self._loaded[name] = self.environment.get_template(name)
        return Markup(template.render(**values))


def tune(environment, cache_dir: str | None) -> None:
    """Compiled templates kept between builds, for MkDocs' environment and ours: Jinja's
    bytecode cache in the cache folder, checked against each template's source (an edited
    template is compiled again). A build compiles about 64 of the theme's templates (all
    115 took 0.56-0.92 s to compile, 0.03-0.06 s from the cache); a warm build compiles none.

    Jinja keys compiled code by template and source only, but compiles the environment's
    settings into it: a template compiled without autoescaping (MkDocs' environment) and
    loaded by ours would not escape. Each set of settings has a folder of its own."""
    settings = _compile_settings(environment)
    if cache_dir and settings is not None:
        environment.bytecode_cache = _BytecodeCache(os.path.join(cache_dir, "jinja", settings), "%s.cache")


def _compile_settings(environment) -> str | None:
    """A name for what Jinja compiles into a template besides its source; None when a
    setting is code (an autoescape function, `finalize`) whose effect cannot be named."""
    if not isinstance(environment.autoescape, bool) or environment.finalize is not None:
        return None
    settings = [environment.autoescape, environment.is_async, environment.optimized, sorted(environment.extensions),
                environment.block_start_string, environment.block_end_string, environment.variable_start_string,
                environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
                environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
                environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline]
    return hashlib.sha1(repr(settings).encode("utf-8")).hexdigest()[:12]


class _BytecodeCache(FileSystemBytecodeCache):
    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass                     # no cache (the folder is a file, unreadable): compiled anew

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass                     # an unwritable cache folder only costs the time
