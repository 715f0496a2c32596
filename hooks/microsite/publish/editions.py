"""The offline edition and the PDFs, made by `mkdocs build`.

The online build starts the offline edition's build in a second process as
soon as its configuration is loaded (the machine has two cores, and MkDocs
uses one), and waits for it in on_env, when the download's size is needed by
the page templates. The offline build uses Material's offline plugin, prints
the PDFs of articles and briefs from its own pages, and zips itself
reproducibly; the online build then copies the zip and the PDFs into
site/downloads/. `mkdocs serve` makes neither.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from mkdocs.exceptions import PluginError

from microsite import log
from microsite.content.documents import ARTICLE, BRIEF
from microsite.publish import archive, pdf
from microsite.settings import CACHE_ENV, DEFAULT_CACHE_DIR, EDITION_ENV, written_options
from microsite.site import material

OUTPUT_ENV = "MICROSITE_OFFLINE_OUTPUT"
# The online site's URL layout, for the offline edition (whose own URLs end in .html):
# the PDFs it prints are copied into the online site, next to each page.
ONLINE_DIRECTORY_URLS_ENV = "MICROSITE_ONLINE_DIRECTORY_URLS"
DOWNLOADS = "downloads"
# Written into the offline edition's working folder when the build makes it: only a folder
# holding it (or the files an earlier version left there) is ever removed.
MARKER = ".microsite-offline-edition"
_EARLIER_FILES = {"site", "build.log", "manifest.json"}
# `offline_name`: a file name, never a path (it names the zip and the folder inside it).
_FILE_NAME = re.compile(r"\w[\w.-]*")
README = """{name}

This folder is the offline edition of "{site}".
Open index.html in a web browser: everything works from this folder, with no
network connection - navigation, search, the glossary, the bibliography and
its BibTeX/RIS downloads, and the PDF of each article and brief (linked under
its title).
{online}"""


def _left_by_earlier_version(folder: str) -> bool:
    """The working folder of an earlier version (no marker): its build log and nothing but its files."""
    names = set(os.listdir(folder))
    return "build.log" in names and all(name in _EARLIER_FILES or name.endswith(".zip") for name in names)


def online_directory_urls(context) -> bool:
    """Whether the online site has directory URLs (`articles/a/`): in the offline edition's
    build, as the online build said; in the online build, its own setting."""
    if context.edition == "offline":
        return os.environ.get(ONLINE_DIRECTORY_URLS_ENV, "1") == "1"
    return bool(context.config.use_directory_urls)


def beside_page(src_uri: str, extension: str, directory_urls: bool) -> str:
    """A file that belongs to a page, in the page's own folder of the online site:
    `articles/a.md` -> `articles/a/a.pdf` (directory URLs) or `articles/a.pdf`."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    name = stem.rsplit("/", 1)[-1]
    return f"{stem}/{name}.{extension}" if directory_urls else f"{stem}.{extension}"


def online_url(src_uri: str, directory_urls: bool) -> str:
    """The URL of an article or brief on the online site, relative to its root."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    return f"{stem}/" if directory_urls else f"{stem}.html"


class Publisher:
    def __init__(self, context):
        self.context = context
        self.process: subprocess.Popen | None = None
        self.output_dir = ""
        self.manifest: dict | None = None
        self.pdf_problem: str | None = None
        self.refused = False             # the working folder is not the generator's: no editions

    @property
    def settings(self):
        return self.context.settings

    @property
    def offline_edition(self) -> bool:
        return self.context.edition == "offline"

    @property
    def makes_editions(self) -> bool:
        """Only a real `mkdocs build` of the online site makes the offline edition and PDFs."""
        return (not self.offline_edition and self.context.command in ("build", "gh-deploy")
                and self.settings.offline and not self.refused)

    @property
    def name(self) -> str:
        """The offline edition's file and folder name: `offline_name`, or from the site's name."""
        chosen = self.settings.offline_name
        if chosen and _FILE_NAME.fullmatch(chosen):
            return chosen
        slug = "".join(c if c.isalnum() else "-" for c in self.context.config.site_name.lower())
        return "-".join(part for part in slug.split("-") if part) + "-offline"

    def _check_name(self) -> None:
        chosen = self.settings.offline_name
        if chosen and not _FILE_NAME.fullmatch(chosen):
            self.context.problems.report(
                *self.context.option_place("extra", "microsite", "offline_name"),
                f"extra.microsite.offline_name: '{chosen}' is not a file name",
                f"Write a name of letters, digits, '-', '_' and '.', without a folder, e.g. `{self.name}` "
                "(used meanwhile)")

    def _check_pdf_needs_offline(self) -> None:
        """The PDFs are printed from the offline edition's pages: `pdf: true` (written) with
        `offline: false` would make none."""
        if written_options(self.context.config).get("pdf") is True and not self.settings.offline:
            self.context.problems.report(
                *self.context.option_place("extra", "microsite", "pdf"),
                "extra.microsite.pdf: true makes no PDFs with `offline: false`: they are printed from the "
                "offline edition's pages",
                "Set `offline: true` to have the PDFs (and the offline edition), or `pdf: false` to build without "
                "them; none are made meanwhile")

    # -- on_config -----------------------------------------------------------
    def start(self) -> None:
        config = self.context.config
        if not self.offline_edition:
            self._check_name()
            self._check_pdf_needs_offline()
        if self.settings.pdf and (self.offline_edition or self.makes_editions):
            self.pdf_problem = pdf.tool_missing_reason()
            if self.pdf_problem and not self.offline_edition:
                log.info("PDF edition skipped: %s. The rest of the site is built as usual.", self.pdf_problem)
        if self.offline_edition:
            material.enable_offline(config)
            return
        if not self.makes_editions:
            return
        cache = self.context.cache_dir or os.path.join(self.context.project_dir, DEFAULT_CACHE_DIR)
        self.output_dir = os.path.join(cache, "offline")
        if not self._clear_output_dir():
            return
        env = dict(os.environ, **{EDITION_ENV: "offline", OUTPUT_ENV: self.output_dir, CACHE_ENV: cache,
                                  ONLINE_DIRECTORY_URLS_ENV: "1" if config.use_directory_urls else "0",
                                  "SOURCE_DATE_EPOCH": str(archive.source_date_epoch(self.context.project_dir))})
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config.config_file_path,
                   "-d", os.path.join(self.output_dir, "site")]
        if config.strict:
            command.append("--strict")
        self.log_path = os.path.join(self.output_dir, "build.log")
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.context.project_dir)

    def _clear_output_dir(self) -> bool:
        """Empty the offline edition's working folder, removing it only when the build made it
        (it holds the marker, or only what an earlier version wrote there); False, with a
        message, when the folder is someone else's or cannot be made."""
        folder = self.output_dir
        if os.path.lexists(folder):
            made_here = os.path.isdir(folder) and not os.path.islink(folder) and (
                os.path.isfile(os.path.join(folder, MARKER)) or _left_by_earlier_version(folder))
            if not made_here:
                return self._refuse(f"{folder} was not made by the generator, which builds the offline edition in "
                                    "it; it is left as it is, and no offline edition or PDFs are made",
                                    "Move that folder away, or set `cache_dir` to a folder of the generator's own")
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.makedirs(folder)
            with open(os.path.join(folder, MARKER), "w", encoding="utf-8") as handle:
                handle.write("Made by the microsite generator for the offline edition; removed at every build.\n")
        except OSError as error:
            return self._refuse(f"the offline edition's working folder {folder} cannot be made "
                                f"({error.strerror or error}); no offline edition or PDFs are made",
                                "Check that the folder can be written, or set `cache_dir` to a folder that can")
        return True

    def _refuse(self, message: str, hint: str) -> bool:
        """No offline edition (nor PDFs) this build, reported at the `cache_dir` line."""
        self.context.problems.report(*self.context.option_place("extra", "microsite", "cache_dir"), message, hint)
        self.output_dir, self.refused = "", True
        return False

    # -- on_env --------------------------------------------------------------
    def wait(self) -> None:
        if self.process is None:
            return
        code = self.process.wait()
        self._log.close()
        self.process = None
        with open(self.log_path, encoding="utf-8") as handle:
            output = handle.read().strip()
        if code != 0:
            raise PluginError(f"The offline edition's build failed (exit {code}):\n{output}")
        if output:
            log.info("Offline edition's build:\n%s", output)
        with open(os.path.join(self.output_dir, "manifest.json"), encoding="utf-8") as handle:
            self.manifest = json.load(handle)

    # -- links in pages ------------------------------------------------------
    def pdf_path(self, src_uri: str) -> str:
        """Next to its page (Google Scholar reads `citation_pdf_url` only from the page's folder)."""
        return beside_page(src_uri, "pdf", online_directory_urls(self.context))

    def makes_pdfs(self) -> bool:
        return self.settings.pdf and self.pdf_problem is None and (self.offline_edition or self.makes_editions)

    def zip_uri(self) -> str:
        return f"{DOWNLOADS}/{self.name}.zip"

    # -- on_post_build -------------------------------------------------------
    def finish(self) -> None:
        config = self.context.config
        if self.offline_edition:
            self._finish_offline(config)
        elif self.manifest:
            target = os.path.join(config.site_dir, DOWNLOADS)
            os.makedirs(target, exist_ok=True)
            shutil.copyfile(self.manifest["zip"], os.path.join(config.site_dir, self.zip_uri()))
            offline_site = os.path.join(self.output_dir, "site")
            for pdf_file in self.manifest["pdfs"]:
                destination = os.path.join(config.site_dir, pdf_file)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(os.path.join(offline_site, pdf_file), destination)

    def _finish_offline(self, config) -> None:
        output = os.environ.get(OUTPUT_ENV)
        if not output:     # an offline build run by hand: nothing to zip
            return
        epoch = archive.source_date_epoch(self.context.project_dir)
        pdfs = []
        if self.makes_pdfs():
            jobs = [self._print_job(doc) for doc in sorted(self.context.documents.values(), key=lambda d: d.src_uri)
                    if doc.kind in (ARTICLE, BRIEF)]
            with self.context.timings.timed("print PDFs"):
                pdfs = pdf.print_pages(config.site_dir, jobs, config.site_url, epoch,
                                       online_directory_urls(self.context))
        online = f"The online edition: {config.site_url}\n" if config.site_url else ""
        with open(os.path.join(config.site_dir, "README.txt"), "w", encoding="utf-8") as handle:
            handle.write(README.format(name=self.name, site=config.site_name, online=online))
        zip_path = os.path.join(output, f"{self.name}.zip")
        with self.context.timings.timed("write zip"):
            size = archive.write_zip(config.site_dir, zip_path, self.name, epoch)
        with open(os.path.join(output, "manifest.json"), "w", encoding="utf-8") as handle:
            json.dump({"zip": zip_path, "size": size, "pdfs": pdfs, "timings": dict(self.context.timings.seconds)}, handle)

    def _print_job(self, document) -> pdf.PrintJob:
        """A page to print: its document information, running head and footer (from its `Work`)."""
        context, config = self.context, self.context.config
        html_path, pdf_path = f"{document.src_uri[:-3]}.html", self.pdf_path(document.src_uri)
        work = context.works.get(document.src_uri)
        url = (config.site_url.rstrip("/") + "/" + online_url(document.src_uri, online_directory_urls(context))
               if config.site_url else None)
        footer = context.templates.render("microsite/pdf-footer.html", url=url, site=config.site_name)
        if work is None:          # not citable (reported): the page's own title, no running head
            return pdf.PrintJob(html_path, pdf_path, footer=str(footer))
        info = pdf.DocumentInfo(title=work.title, authors=tuple(person.name for person in work.authors),
                                subject=work.description, keywords=work.keywords, language=work.language)
        header = context.templates.render("microsite/pdf-header.html", title=work.title,
                                          authors=[person.name for person in work.authors], site=config.site_name)
        return pdf.PrintJob(html_path, pdf_path, info, str(header), str(footer))

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
