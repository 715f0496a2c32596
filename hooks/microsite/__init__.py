"""A static research microsite generator built on MkDocs, Material and mkdocs-bibtex.

Data flow: content (Markdown + front matter, bib files, glossary entries)
-> model (sources, citations, terms; built once per build)
-> pages (MkDocs renders content; we generate bibliography and glossary pages)
-> site (theme integration, late-filled backlinks)
-> publish (offline edition, reproducible zip, PDFs).
"""

import logging

# Under the "mkdocs" logger so that `mkdocs build --strict` counts our warnings.
log = logging.getLogger("mkdocs.plugins.microsite")
