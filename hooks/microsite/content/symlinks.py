"""Symbolic links in docs/ that lead out of the project are not published.

MkDocs follows links when it lists docs/: `docs/notes.txt -> ~/.ssh/id_rsa`, or a
folder link to somewhere else on the disk, would be copied into the public site
and the offline edition. Such a link is reported at its path and its files are
taken out of the build, as is a link to nothing (MkDocs would end in a traceback
copying it). A link to a folder on its own way from docs/ (`docs/loop -> .`: MkDocs
would walk it 40 levels deep and publish the site 40 times; with two such links it
never ends) stops the build in on_config, before MkDocs lists docs/ (`refuse_loops`),
so `withhold_links_out` never meets one. A link that stays inside the
project (`docs/img -> ../assets/img`) is an ordinary way to share files and works
as before.
"""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from microsite.problems import Problems


def refuse_loops(docs_dir: str, project_dir: str) -> None:
    """End the build, before MkDocs lists docs/, when a folder link in it leads back to a
    folder on its own way (`docs/a -> .`, `docs/sub/up -> ..`, or `docs/x -> ../shared`
    with `shared/back -> ../docs`): MkDocs follows links without noticing, 40 levels deep
    for one such link, and with two it lists 2^40 folders and never ends."""
    project = os.path.realpath(project_dir)
    found = _loop_links(os.path.abspath(docs_dir), [project, os.path.realpath(docs_dir)])
    if found:
        raise PluginError("\n".join(
            f"{os.path.relpath(link, project).replace(os.sep, '/')}: a symbolic link to {os.readlink(link)}, "
            "a folder on its own way from docs/: MkDocs would list the folder inside itself again and again "
            "(with two such links, without end), so the site is not built. Remove the link." for link in found))


def _loop_links(docs: str, allowed: list[str]) -> list[str]:
    """The folder links met on a walk of docs (following links that stay in `allowed`) whose
    target holds a folder on the way to them, each once, by its own place on the disk (the
    folder it is in resolved: `shared/back` met as `docs/shared/back`)."""
    found: set[str] = set()
    pending = [(docs, (os.path.realpath(docs),))]
    while pending:
        path, way = pending.pop()
        try:
            entries = sorted(os.scandir(path), key=lambda entry: entry.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            try:
                if not entry.is_dir():
                    continue
            except OSError:
                continue
            real = os.path.realpath(entry.path)
            if entry.is_symlink():
                if any(_inside(folder, [real]) for folder in way):
                    found.add(os.path.join(way[-1], entry.name))
                    continue
                if not _inside(real, allowed):
                    continue                 # withheld in on_files, not walked here
            pending.append((entry.path, way + (real,)))
    return sorted(found)


def withhold_links_out(files, docs_dir: str, project_dir: str, problems: Problems) -> None:
    """Take out of `files` every file reached through a link in docs_dir that resolves
    outside the project folder (and outside docs_dir, wherever that is) or to nothing;
    report each link."""
    docs = os.path.abspath(docs_dir)
    allowed = [os.path.realpath(project_dir), os.path.realpath(docs)]
    leaving: dict[str, list] = {}            # the link's path -> the files reached through it
    verdicts: dict[str, bool] = {}           # path -> whether it is a link that leaves or is broken
    for file in list(files):
        path = file.abs_src_path
        if file.generated_by or not path or not _inside(os.path.abspath(path), [docs]):
            continue                         # generated, or the theme's
        link = _link_out(docs, file.src_uri, allowed, verdicts)
        if link is not None:
            leaving.setdefault(link, []).append(file)
            files.remove(file)
    for link, withheld in sorted(leaving.items()):
        shown = os.path.relpath(link, project_dir).replace(os.sep, "/")
        target = os.path.realpath(link)
        if not os.path.exists(link):
            problems.report(shown, None, f"a symbolic link to {os.readlink(link)}, which does not exist: it is "
                                         "left out of the site", "Correct the link, or remove it.")
            continue
        what = (f"a symbolic link to {target}, outside the project folder: it is not published"
                if os.path.isfile(link) else
                f"a symbolic link to the folder {target}, outside the project folder: its {len(withheld)} "
                "file(s) are not published")
        problems.report(shown, None, what,
                        "MkDocs would copy what it points to into the public site. If it belongs to the site, "
                        "copy it into the project (or link to a place inside it); else remove the link.")


def _link_out(docs: str, src_uri: str, allowed: list[str], verdicts: dict[str, bool]) -> str | None:
    """The first link on the way from docs_dir to the file that resolves outside `allowed`, or to nothing."""
    path = docs
    for part in src_uri.split("/"):
        path = os.path.join(path, part)
        if path not in verdicts:
            verdicts[path] = os.path.islink(path) and (not os.path.exists(path)
                                                       or not _inside(os.path.realpath(path), allowed))
        if verdicts[path]:
            return path
    return None


def _inside(path: str, folders: list[str]) -> bool:
    return any(os.path.commonpath([folder, path]) == folder for folder in folders)
