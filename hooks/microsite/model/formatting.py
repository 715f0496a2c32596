"""Formatting documents (a page's citations, a bibliography listing) through the
CSL style: once per build, in batches, beside page rendering, with a cache.

A document's result depends on the style, the language, the document itself
(its clusters as written, its notes) and the records of the keys it cites, and
on nothing else: that is the key of its cached result, so an unchanged page is
never formatted again, across builds and `mkdocs serve` rebuilds. The rest is
formatted in batches, each in one pandoc process (`model.citeproc`), in
threads while MkDocs renders the pages; pandoc runs in other processes, so
this overlaps with MkDocs' own work. Batches are taken largest first from a
queue; when the build has nothing left to do but wait for the results, its
own thread takes batches from the queue too, so every core formats. A page
can have its own results as soon as its batch is done (`FormatJob.get`): if
no thread has taken that batch yet, the asking thread formats it at once.

The online build and the offline edition's build (a second MkDocs process,
started beside it) ask for the same documents. Formatting takes a lock on the
cache folder, reads the cache again under it and formats only what is still
missing: whichever build comes first formats, the other reads its results, so
a cold `make site` runs citeproc once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from microsite import log
from microsite.model import citeproc, listing, pandoc_server, sharing
from microsite.model.citations import written_form
from microsite.model.citeproc import Cluster, Document, Reference, Rendered, StyleInfo
from microsite.model.sources import slug_for

try:
    import fcntl
except ImportError:          # Windows: no lock; each build formats what its cache lacks
    fcntl = None

CACHE_VERSION = 3
# What formats a document is part of its key: a change to the Lua script (how records reach
# citeproc, how results come back) must not be answered from results the old one made.
with open(citeproc.LUA_SCRIPT, "rb") as _script:
    FORMATTER_DIGEST = hashlib.sha1(_script.read()).hexdigest()
# Clusters a batch. pandoc reads the records once a batch, then the style once a
# document (4-42 ms, by style) plus 1-3 ms a cluster: a batch of this size takes about a
# second, small enough for the threads that share the queue to finish together.
BATCH_PARTS = 150


def reference_anchor(key: str) -> str:
    """The id of a source's entry in a page's references, which its citations link to."""
    return "ref-" + slug_for(key)


@dataclass(frozen=True)
class Request:
    """A document to format and the keys it cites or lists; `page`: the page that
    shows it first (its own ident if empty), which says when it is needed."""

    document: Document
    keys: tuple[str, ...]
    page: str = field(default="", compare=False)


@dataclass
class Outcome:
    """What a formatting job gives: results by document, and what went wrong."""

    rendered: dict[str, Rendered] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)     # key -> pandoc's reason
    problems: dict[str, list[str]] = field(default_factory=dict)  # document ident -> messages

    def add(self, other: Outcome) -> None:
        self.rendered.update(other.rendered)
        self.unreadable.update(other.unreadable)
        for ident, messages in other.problems.items():
            self.problems.setdefault(ident, []).extend(messages)


@dataclass
class Unit:
    """One document sent to pandoc: a request's own, or pages sharing one (`shared`).
    `first_pass`: a listing's order pass, when it was run to relate the pages' sources."""

    document: Document
    members: list                            # (fingerprint, request) of every page it formats
    shared: sharing.Shared | None = None
    first_pass: Rendered | None = None


class DocumentFormatter:
    def __init__(self, style: StyleInfo, lang: str | None, cache_dir: str | None,
                 anchor: Callable[[str], str], html_titles: bool = False,
                 position: Callable[[str], int] | None = None):
        """`position(key)`: where a record is in the bib files; pandoc gets records in that
        order, as `pandoc --citeproc` does (it breaks ties in the style's sort)."""
        self.style, self.lang, self.anchor, self.html_titles = style, lang, anchor, html_titles
        self.position = position
        self.cache_path = os.path.join(cache_dir, f"citeproc-{style.digest[:12]}.json") if cache_dir else None
        self.cache: dict[str, dict] = self._load()
        self.stats = {"documents": 0, "formatted": 0, "cached": 0, "batches": 0, "shared": 0, "seconds": 0.0}

    def fingerprint(self, request: Request, record: Callable[[str], str | None]) -> str:
        digest = hashlib.sha1()
        digest.update(json.dumps([CACHE_VERSION, FORMATTER_DIGEST, self.style.digest, self.lang, self.html_titles,
                                  _parts(request.document),
                                  list(request.document.nocite)], ensure_ascii=False).encode("utf-8"))
        for key in sorted(set(request.keys)):
            digest.update(b"\0" + key.encode("utf-8") + b"\0" + (record(key) or "").encode("utf-8"))
        return digest.hexdigest()

    def start(self, requests: list[Request], record: Callable[[str], str | None],
              order: Callable[[Request], int] | None = None) -> FormatJob:
        """Take what the cache has; format the rest in the background. `order`: when
        each request is needed (its page's place among the pages MkDocs renders one
        after another): batches are formatted in that order. Without it (everything is
        awaited at once), the largest batch goes first."""
        started = time.perf_counter()
        job = FormatJob(self, order)
        job.requested = {request.document.ident for request in requests}
        pending = []
        for request in requests:
            fingerprint = self.fingerprint(request, record)
            cached = self.cache.get(fingerprint)
            if cached is not None:
                job.outcome.rendered[request.document.ident] = _rendered_from_json(cached)
                self.stats["cached"] += 1
            else:
                pending.append((fingerprint, request))
        self.stats["documents"] += len(requests)
        if pending:
            job.pool = ThreadPoolExecutor(max_workers=1)
            job.future = job.pool.submit(self._format_pending, pending, record, job)
        else:
            job.ready.set()
        self.stats["seconds"] += time.perf_counter() - started
        return job

    def format_now(self, requests: list[Request], record: Callable[[str], str | None]) -> Outcome:
        return self.start(requests, record).result()

    def _format_pending(self, pending, record, job: FormatJob) -> Outcome:
        """Under the cache's lock: what another build stored meanwhile, then the rest in batches."""
        try:
            return self._format_locked(pending, record, job)
        finally:
            job.ready.set()
            pandoc_server.close_idle()      # pandoc's servers hold ~150 MB each: not kept between builds

    def _format_locked(self, pending, record, job: FormatJob) -> Outcome:
        outcome = Outcome()
        with self._locked():
            stored = self._load()
            rest = []
            for fingerprint, request in pending:
                if fingerprint in stored:
                    self.cache[fingerprint] = stored[fingerprint]
                    outcome.rendered[request.document.ident] = _rendered_from_json(stored[fingerprint])
                    self.stats["cached"] += 1
                else:
                    rest.append((fingerprint, request))
            batches = _pack(self._plan(rest, record), job.order)
            job.early = dict(outcome.rendered)
            if batches:
                queue = BatchQueue(batches, lambda batch: self._format_batch(batch, record))
                job.batch_of = {request.document.ident: batch for batch in batches
                                for unit in batch for _, request in unit.members}
                job.queue = queue
                job.ready.set()
                # While MkDocs renders, it keeps one core busy: pandoc gets the others
                # (this thread and its helpers); the build's thread joins when it waits.
                helpers = [threading.Thread(target=queue.work, daemon=True)
                           for _ in range(min(len(batches), (os.cpu_count() or 2) - 1) - 1)]
                for helper in helpers:
                    helper.start()
                queue.work()
                for batch, formatted in queue.wait():
                    self._store(batch, formatted)
                    outcome.add(formatted)
                    self.stats["batches"] += 1
                for fingerprint, value in stored.items():      # keep what the other build stored
                    self.cache.setdefault(fingerprint, value)
                self.save()
        return outcome

    @contextlib.contextmanager
    def _locked(self):
        if not self.cache_path or fcntl is None:
            yield
            return
        try:
            os.makedirs(os.path.dirname(self.cache_path), exist_ok=True)
            handle = open(self.cache_path + ".lock", "a")
        except OSError:                  # an unwritable cache folder: format without sharing
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _plan(self, pending, record) -> list[Unit]:
        """Each pending document as a unit; pages that cannot affect each other share one."""
        units = [Unit(request.document, [(fingerprint, request)]) for fingerprint, request in pending]
        pages = [unit for unit in units if sharing.shareable(unit.document)
                 and not listing.splittable(unit.document, self.style)]
        if len(pages) < sharing.SHARE_FROM or not sharing.possible(self.style):
            return units
        # One pass relates every source the pages cite; a long listing's parts come
        # first, so the same pass gives the listing its order.
        base = next((unit for unit in units if listing.splittable(unit.document, self.style)
                     and listing.listing_keys(unit.document)), None)
        keys = list(listing.listing_keys(base.document)) if base else []
        parts = list(base.document.parts) if base else []
        seen = set(keys)
        for unit in pages:
            for cluster in sharing.cited_keys(unit.document):
                for key in cluster:
                    if key not in seen and record(key) is not None:
                        seen.add(key)
                        keys.append(key)
                        parts.append(f"[{written_form(key)}]")
        records = self._records(keys, record)
        ident, left_out = "#first-pass", set()
        try:
            first_pass = listing.order_pass(Document(ident, tuple(parts)), records, self.style, **self._options())
        except citeproc.RenderError as error:
            # A record pandoc cannot read: the others are related as usual; pages citing
            # it are formatted alone, and the listing's piece holding it fails as the whole
            # listing would (each reports it).
            first_pass = error.rendered.get(ident)
            if first_pass is None or error.problems.get(ident) or len(first_pass.clusters) != len(keys):
                return units
            left_out = set(error.unreadable) | set(error.unknown.get(ident, ()))
        except citeproc.CiteprocError:
            return units
        if base is not None:
            base.first_pass = first_pass
        groups = {key: group for key, group in listing.related_groups(keys, first_pass, self.style).items()
                  if key not in left_out}
        member_of = {unit.document.ident: unit for unit in pages}
        planned = [unit for unit in units if unit.document.ident not in member_of]
        for item in sharing.plan([unit.document for unit in pages], groups):
            if isinstance(item, sharing.Shared):
                members = [member for document in item.members for member in member_of[document.ident].members]
                planned.append(Unit(item.document, members, shared=item))
                self.stats["shared"] += len(item.members)
            else:
                planned.append(member_of[item.ident])
        return planned

    def _options(self) -> dict:
        return {"lang": self.lang, "anchor": self.anchor, "html_titles": self.html_titles}

    def _records(self, keys, record) -> dict[str, str]:
        found = {}
        for key in keys:
            text = record(key)
            if text is not None:
                found[key] = text
        if self.position is not None:
            found = dict(sorted(found.items(), key=lambda item: self.position(item[0])))
        return found

    def _format_batch(self, batch: list[Unit], record) -> Outcome:
        outcome = Outcome()
        records = self._records([key for unit in batch for _, request in unit.members for key in request.keys],
                                record)
        if len(batch) == 1 and batch[0].shared is None and listing.splittable(batch[0].document, self.style):
            unit = batch[0]
            try:
                outcome.rendered = {unit.document.ident: listing.render_listing(
                    unit.document, records, self.style, first_pass=unit.first_pass, **self._options())}
            except citeproc.CiteprocError as error:
                self._failed(outcome, error, [unit.document])
        else:
            self._render(outcome, [unit.document for unit in batch], records)
        again = []
        for unit in batch:
            if unit.shared is None:
                continue
            ident = unit.document.ident
            result = outcome.rendered.pop(ident, None)
            troubled = outcome.problems.pop(ident, None) or any(
                key in outcome.unreadable for _, request in unit.members for key in request.keys)
            pages = sharing.split(unit.shared, result) if result is not None and not troubled else None
            if pages is None:
                again.extend(unit.shared.members)    # alone, as before: each problem where it belongs
            else:
                outcome.rendered.update(pages)
        if again:
            self._render(outcome, again, records)
        return outcome

    def _render(self, outcome: Outcome, documents: list[Document], records: dict[str, str]) -> None:
        try:
            outcome.rendered.update(citeproc.render(documents, records, self.style, **self._options()))
        except citeproc.CiteprocError as error:
            self._failed(outcome, error, documents)

    @staticmethod
    def _failed(outcome: Outcome, error: citeproc.CiteprocError, documents: list[Document]) -> None:
        if isinstance(error, citeproc.RenderError):
            outcome.rendered.update(error.rendered)
            outcome.unreadable.update(error.unreadable)
            for ident, keys in error.unknown.items():
                outcome.problems.setdefault(ident, []).append(
                    "no source for " + ", ".join(f"'{key}'" for key in keys))
            for ident, messages in error.problems.items():
                outcome.problems.setdefault(ident, []).extend(messages)
        else:
            for document in documents:
                outcome.problems.setdefault(document.ident, []).append(str(error))

    def _store(self, batch: list[Unit], outcome: Outcome) -> None:
        for unit in batch:
            for fingerprint, request in unit.members:
                ident = request.document.ident
                if ident in outcome.rendered and ident not in outcome.problems \
                        and not any(key in outcome.unreadable for key in request.keys):
                    self.cache[fingerprint] = _rendered_to_json(outcome.rendered[ident])
                    self.stats["formatted"] += 1

    # -- persistent cache --------------------------------------------------------
    def _load(self) -> dict:
        if not self.cache_path or not os.path.exists(self.cache_path):
            return {}
        try:
            with open(self.cache_path, encoding="utf-8") as handle:
                data = json.load(handle)
            return data["documents"] if data.get("version") == CACHE_VERSION else {}
        except (OSError, ValueError, KeyError, TypeError):
            log.info("Ignoring an unreadable citation cache at %s", self.cache_path)
            return {}

    def save(self) -> None:
        if not self.cache_path:
            return
        try:
            os.makedirs(os.path.dirname(self.cache_path), exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(self.cache_path), suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # One write: json.dump writes piece by piece, tens of thousands of calls.
                out.write(json.dumps({"version": CACHE_VERSION, "documents": self.cache}, ensure_ascii=False))
            os.replace(temporary, self.cache_path)
        except OSError as error:
            log.info("The citation cache could not be written (%s): the next build formats again", error)


class BatchQueue:
    """Batches that any thread may take and format; `wait()` gives every result."""

    def __init__(self, batches: list, format_batch: Callable):
        self._batches = deque(batches)
        self._format = format_batch
        self._changed = threading.Condition()
        self._left = len(batches)
        self._results: list = []
        self._failed: list = []
        self._error: BaseException | None = None

    def work(self) -> None:
        while True:
            with self._changed:
                if not self._batches:
                    return
                batch = self._batches.popleft()
            self._run(batch)

    def result_of(self, batch):
        """One batch's result: formatted here at once if no thread has taken it yet,
        else when the thread that has it is done (None if it failed)."""
        with self._changed:
            waiting = [index for index, queued in enumerate(self._batches) if queued is batch]
            if waiting:
                del self._batches[waiting[0]]
        if waiting:
            self._run(batch)
        with self._changed:
            while True:
                for done, result in self._results:
                    if done is batch:
                        return result
                if any(failed is batch for failed in self._failed):
                    return None
                self._changed.wait()

    def _run(self, batch) -> None:
        try:
            result = self._format(batch)
        except BaseException as error:      # a defect: raised again in wait(), never a hang
            with self._changed:
                self._error = self._error or error
                self._failed.append(batch)
                self._left -= 1
                self._changed.notify_all()
            return
        with self._changed:
            self._results.append((batch, result))
            self._left -= 1
            self._changed.notify_all()

    def cancel(self) -> None:
        with self._changed:
            self._left -= len(self._batches)
            self._failed.extend(self._batches)
            self._batches.clear()
            self._changed.notify_all()

    def wait(self) -> list:
        with self._changed:
            while self._left:
                self._changed.wait()
            if self._error is not None:
                raise self._error
            return list(self._results)


class FormatJob:
    """Formatting under way; `result()` waits for it (the cache is saved by then)."""

    def __init__(self, formatter: DocumentFormatter, order: Callable[[Request], int] | None = None):
        self.formatter = formatter
        self.order = order                      # when each request is needed (see DocumentFormatter.start)
        self.outcome = Outcome()
        self.future: Future | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.queue: BatchQueue | None = None
        self.early: dict[str, Rendered] = {}    # what another build had stored meanwhile
        self.batch_of: dict[str, list] = {}     # document ident -> its batch in the queue
        self.requested: set[str] = set()
        self.ready = threading.Event()        # the queue is set, or there is nothing to format

    def get(self, ident: str) -> Rendered | None:
        """One document's result as soon as it is there, without waiting for the rest:
        its batch is formatted by this thread if no other has taken it yet."""
        if ident in self.outcome.rendered or self.future is None or ident not in self.requested:
            return self.outcome.rendered.get(ident)
        started = time.perf_counter()
        try:
            self.ready.wait()
            if ident in self.early:
                return self.early[ident]
            batch = self.batch_of.get(ident)
            if batch is None or self.queue is None:
                return self.result().rendered.get(ident)
            result = self.queue.result_of(batch)
            return result.rendered.get(ident) if result is not None else None
        finally:
            self.formatter.stats["seconds"] += time.perf_counter() - started

    def result(self) -> Outcome:
        if self.future is not None:
            started = time.perf_counter()
            try:
                self.ready.wait()
                if self.queue is not None:
                    self.queue.work()            # nothing else to do here: format beside the workers
                formatted = self.future.result()
            finally:
                self.pool.shutdown(wait=True)
                self.future = None
            self.outcome.add(formatted)
            self.formatter.stats["seconds"] += time.perf_counter() - started
        return self.outcome

    def cancel(self) -> None:
        if self.queue:
            self.queue.cancel()
        if self.pool:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _parts(document: Document) -> list:
    return [part if isinstance(part, str) else {"note": list(part.clusters), "text": part.text}
            for part in document.parts]


def _pack(units: list[Unit], order: Callable[[Request], int] | None = None) -> list[list[Unit]]:
    """Units into batches of about BATCH_PARTS clusters (a large listing is a batch of its own),
    in the order they are needed, or largest first."""
    if order is not None:
        # Pages are rendered one after another, each waiting for its own batch: the batch
        # the next page needs comes first (a listing shown only by late pages comes late).
        units = sorted(units, key=lambda unit: min(order(request) for _, request in unit.members))
    batches, current, size = [], [], 0
    for item in units:
        weight = _weight(item.document)
        if current and size + weight > BATCH_PARTS:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += weight
    if current:
        batches.append(current)
    if order is None:
        # Largest first: the whole bibliography's listing, one long document, starts
        # at once instead of ending the queue alone.
        batches.sort(key=lambda batch: -sum(_weight(item.document) for item in batch))
    return batches


def _weight(document: Document) -> int:
    return max(1, len(document.parts) + len(document.nocite))


def _rendered_to_json(rendered: Rendered) -> dict:
    return {"clusters": [[c.html, c.note, list(c.keys), c.escaped] for c in rendered.clusters],
            "references": [[r.key, r.html, r.label] for r in rendered.references]}


def _rendered_from_json(data: dict) -> Rendered:
    return Rendered(clusters=tuple(Cluster(html, note, tuple(keys), escaped)
                                   for html, note, keys, escaped in data["clusters"]),
                    references=tuple(Reference(key, html, label) for key, html, label in data["references"]))

