"""Search that forgives accents and case ("Muller", "Mueller" and "Müller" find
the same pages), online and in the offline edition.

Material's search runs lunr in a Web Worker that folds nothing, and its lunr
trimmer even drops non-ASCII letters at the ends of words. Our script
(`assets/microsite/search-folding.js`, which says how) folds words as they are
indexed and queries as they arrive, inside the worker: so the same file works
in a real Worker and in the iframe shim of the offline edition, and Material's
result highlighting, which works on word positions, stays right.

Files: replace Material's worker file by our script followed by the original
worker (one file, the same address: no template changes, nothing fetched); the
script is not published on its own.
"""

from __future__ import annotations

import fnmatch

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from microsite.feature import Feature

FOLDING_SCRIPT = "assets/microsite/search-folding.js"
# Material 9.x names its worker by content hash (base.html points to it).
MATERIAL_WORKER = "assets/javascripts/workers/search.*.min.js"


class Search(Feature):
    name = "search"

    def on_files(self, files) -> None:
        script = files.get_file_from_path(FOLDING_SCRIPT)
        if script is None:
            return                       # our theme folder is not in use: nothing to put in front
        files.remove(script)
        if not _search_enabled(self.context.config):
            return
        workers = [file for file in files if fnmatch.fnmatch(file.src_uri, MATERIAL_WORKER)]
        if len(workers) != 1:
            raise PluginError(
                f"accent-forgiving search: expected one Material search worker ({MATERIAL_WORKER}), found "
                f"{len(workers)}. This mkdocs-material version is not supported; install the version "
                "pyproject.toml pins (make distclean && make site)")
        (worker,) = workers
        files.remove(worker)
        files.append(File.generated(self.context.config, worker.src_uri,
                                    content=folded_worker(script.abs_src_path, worker.abs_src_path)))


def folded_worker(script_path: str, worker_path: str) -> bytes:
    """Our script, then Material's worker byte for byte."""
    with open(script_path, "rb") as script, open(worker_path, "rb") as worker:
        return script.read() + b"\n" + worker.read()


def _search_enabled(config) -> bool:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return plugin is not None and plugin.config.get("enabled", True)
