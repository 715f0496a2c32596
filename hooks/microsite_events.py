"""MkDocs hook registered in mkdocs.yml: it only forwards build events to the
`microsite` package.

The package lives in hooks/microsite/ and is installed (editable) by the
project itself (`pip install -e .`, done by `make`), so it can be imported from
any event at any time, not only while MkDocs imports this file.
"""

from mkdocs.config.base import ValidationError

try:
    from microsite import events
except ImportError as error:
    # A ValidationError, not the ImportError: MkDocs reports it as a configuration error
    # ("Config value 'hooks': ...") instead of ending in a traceback.
    raise ValidationError(
        f"the generator could not be loaded ({error}): this Python environment lacks the "
        "project's packages. Run `make site` from the project folder, or `.venv/bin/mkdocs` "
        "instead of another MkDocs."
    ) from None

on_startup = events.on_startup
on_config = events.on_config
on_files = events.on_files
on_nav = events.on_nav
on_page_read_source = events.on_page_read_source
on_page_markdown = events.on_page_markdown
on_page_content = events.on_page_content
on_env = events.on_env
on_page_context = events.on_page_context
on_post_build = events.on_post_build
on_build_error = events.on_build_error
on_shutdown = events.on_shutdown
