"""Formatting the listed sources: once per build, in batches, with a persistent cache.

Sources whose in-text labels could be confused (same first surname) form a
group; a group is always formatted in one pandoc run, so CSL's disambiguation
(2020a/2020b, added initials) is right, and is cached as a whole: the cache
key is the group's BibTeX records plus the style, so an unchanged group is
never formatted again, across builds and `mkdocs serve` rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from microsite import log
from microsite.model import bibtex_backend as backend
from microsite.model.bibtex_backend import Formatted
from microsite.model.sources import Source

BATCH_SIZE = 150         # about 0.13 s of pandoc start-up a batch; CSL disambiguation grows faster than linearly
CACHE_VERSION = 1


class ReferenceFormatter:
    def __init__(self, csl_file: str, cache_dir: str | None):
        self.csl_file = csl_file
        with open(csl_file, "rb") as handle:
            self.style_id = hashlib.sha1(handle.read()).hexdigest()[:12]
        self.cache_path = os.path.join(cache_dir, f"references-{self.style_id}.json") if cache_dir else None
        self.cache: dict[str, dict[str, list[str]]] = self._load()
        self.stats = {"groups": 0, "formatted": 0, "cached": 0, "seconds": 0.0}

    def start(self, sources: list[Source]) -> "FormatJob":
        """Take what the cache has; format the rest in the background (pandoc runs in
        other processes, so this overlaps with MkDocs rendering the pages)."""
        started = time.perf_counter()
        groups: dict[str, list[Source]] = defaultdict(list)
        for source in sources:
            groups[source.group].append(source)
        done: dict[str, Formatted] = {}
        pending: list[tuple[str, list[Source]]] = []
        for members in groups.values():
            fingerprint = _group_fingerprint(members)
            cached = self.cache.get(fingerprint)
            if cached and all(source.key in cached for source in members):
                done.update({key: Formatted(*value) for key, value in cached.items()})
                self.stats["cached"] += len(members)
            else:
                pending.append((fingerprint, members))
        self.stats["groups"] += len(groups)
        batches = _pack(pending)
        # MkDocs keeps one core busy; pandoc gets the others (at least one).
        workers = max(1, min(len(batches), (os.cpu_count() or 2) - 1))
        pool = ThreadPoolExecutor(max_workers=workers) if batches else None
        futures = [(batch, pool.submit(self._format_batch, batch)) for batch in batches] if pool else []
        self.stats["seconds"] += time.perf_counter() - started
        return FormatJob(self, done, futures, pool)

    def _store(self, batch, formatted: dict[str, Formatted]) -> None:
        for fingerprint, members in batch:
            self.cache[fingerprint] = {source.key: list(_astuple(formatted[source.key])) for source in members}
        self.stats["formatted"] += len(formatted)

    def _format_batch(self, batch) -> dict[str, Formatted]:
        records = {source.key: source.record for _, members in batch for source in members}
        return backend.format_batch(records, self.csl_file)

    # -- persistent cache --------------------------------------------------
    def _load(self) -> dict:
        if not self.cache_path or not os.path.exists(self.cache_path):
            return {}
        try:
            with open(self.cache_path, encoding="utf-8") as handle:
                data = json.load(handle)
            return data["groups"] if data.get("version") == CACHE_VERSION else {}
        except (OSError, ValueError, KeyError):
            log.info("Ignoring an unreadable reference cache at %s", self.cache_path)
            return {}

    def _save(self) -> None:
        if not self.cache_path:
            return
        os.makedirs(os.path.dirname(self.cache_path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(self.cache_path), suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"version": CACHE_VERSION, "groups": self.cache}, out, ensure_ascii=False)
        os.replace(temporary, self.cache_path)


class FormatJob:
    """Formatting under way; `result()` waits for it and saves the cache."""

    def __init__(self, formatter: ReferenceFormatter, done: dict[str, Formatted], futures, pool):
        self.formatter, self.done, self.futures, self.pool = formatter, done, futures, pool

    def result(self) -> dict[str, Formatted]:
        if self.futures:
            started = time.perf_counter()
            try:
                for batch, future in self.futures:
                    formatted = future.result()
                    self.formatter._store(batch, formatted)
                    self.done.update(formatted)
            finally:
                self.pool.shutdown(wait=True)
                self.futures = []
            self.formatter._save()
            self.formatter.stats["seconds"] += time.perf_counter() - started
        return self.done

    def cancel(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _group_fingerprint(members: list[Source]) -> str:
    digest = hashlib.sha1()
    for record in sorted(source.record for source in members):
        digest.update(record.encode("utf-8"))
    return digest.hexdigest()


def _pack(pending):
    """Whole groups into batches of about BATCH_SIZE entries."""
    batches, current, size = [], [], 0
    for fingerprint, members in sorted(pending, key=lambda item: item[1][0].group):
        if current and size + len(members) > BATCH_SIZE:
            batches.append(current)
            current, size = [], 0
        current.append((fingerprint, members))
        size += len(members)
    if current:
        batches.append(current)
    return batches


def _astuple(formatted: Formatted):
    return formatted.label_html, formatted.label_text, formatted.reference_html, formatted.reference_text
