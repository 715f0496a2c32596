"""pandoc processes that stay for more than one job.

A cold build of a large site sends pandoc a dozen jobs (batches of pages, a
bibliography's listing, the pass that relates its sources). Started anew for
each, pandoc read every job's BibTeX records again: half a millisecond a
record, a fifth of its work, and the same records job after job. A server is
`pandoc lua citeproc.lua serve`: it takes one job at a time and keeps the
records it has read (while their text stays the same).

A job travels as a file: its path on a line of the server's stdin, the result
in a file beside it, a line back when it is done. The pipes carry only those
lines: a pipe carrying the job itself is drained by a Python thread a few
kilobytes at a time, each time waiting for the GIL while the build renders
pages, and pandoc stalls meanwhile (measured: a 2.4 s run took 10 s). What
pandoc writes to stderr goes to a file, read after each job.

Servers are pooled by pandoc executable and locale (pandoc's BibTeX reader
takes the language of records without `langid` from $LANG): a thread takes an
idle one or starts one, so there are never more than threads formatting.
`close_idle` ends them when a build's formatting is done; at exit, any left.

A server's heap: pandoc is built to suggest its runtime a 64 MB heap (`-H64m`,
for speed in one-off runs), and a server lives for a whole build holding the
records it has read; its GHC heap reached 86 MB at 200 pages. Without the
suggestion and with a compacting collector for the old generation (`-c`) it
stays at about 55 MB (the process: 209 MB -> 177 MB) at no cost in time
measured against run-to-run noise (notes/citeproc.md, "Memory").
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from functools import lru_cache


class ServerError(RuntimeError):
    """The job could not be run: pandoc ended, or the script failed (message from pandoc)."""


class PandocServer:
    def __init__(self, pandoc: str, script: str, locale: str):
        self.folder = tempfile.mkdtemp(prefix="microsite-pandoc-")
        self._stderr = open(os.path.join(self.folder, "stderr"), "w+b")
        self._stderr_read = 0
        try:
            self.process = subprocess.Popen([pandoc, "lua", script, "serve"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self._stderr,
                                            env=server_environment(pandoc, locale))
        except OSError:
            self.close()
            raise

    def run(self, job: bytes) -> tuple[bytes, str]:
        """The job's result, and what pandoc wrote to stderr meanwhile."""
        path = os.path.join(self.folder, "job.json")
        with open(path, "wb") as handle:
            handle.write(job)
        try:
            self.process.stdin.write(os.fsencode(path) + b"\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline().decode("utf-8", "replace").strip()
        except OSError:                          # pandoc has ended (a broken pipe)
            answer = ""
        stderr = self._new_stderr()
        if not answer:
            status = self.process.wait()
            raise ServerError(f"pandoc failed (exit status {status}): {stderr or 'no message'}")
        if answer != "done":
            raise ServerError(f"pandoc failed: {answer.removeprefix('failed ')} {stderr}".strip())
        with open(path + ".out", "rb") as handle:
            return handle.read(), stderr

    def _new_stderr(self) -> str:
        self._stderr.seek(self._stderr_read)
        text = self._stderr.read()
        self._stderr_read += len(text)
        return text.decode("utf-8", "replace").strip()

    def close(self) -> None:
        process = getattr(self, "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()            # the script ends at the end of its input
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        self._stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


LEAN_HEAP = "-H1m -c"        # GHC runtime options: see the module's docstring


def server_environment(pandoc: str, locale: str) -> dict[str, str]:
    """The server's environment: the locale, and the lean heap unless the user
    chose runtime options of their own ($GHCRTS) or this pandoc does not take them."""
    environment = dict(os.environ, LANG=locale)
    if "GHCRTS" not in environment and _takes_runtime_options(pandoc):
        environment["GHCRTS"] = LEAN_HEAP
    return environment


@lru_cache(maxsize=None)
def _takes_runtime_options(pandoc: str) -> bool:
    # A pandoc built without -rtsopts warns on stderr about $GHCRTS (and a
    # server's stderr is shown to the author): try once, quietly.
    try:
        probe = subprocess.run([pandoc, "--version"], env=dict(os.environ, GHCRTS=LEAN_HEAP),
                               capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0 and not probe.stderr.strip()


_idle: dict[tuple[str, str, str], list[PandocServer]] = {}
_all: set[PandocServer] = set()
_lock = threading.Lock()


@contextlib.contextmanager
def server(pandoc: str, script: str, locale: str):
    """An idle server for this pandoc and locale, or a new one; back to the pool after
    the job, unless the job failed (its state is then unknown: it is ended)."""
    kind = (pandoc, script, locale)
    with _lock:
        idle = _idle.get(kind)
        taken = idle.pop() if idle else None
    if taken is not None and taken.process.poll() is not None:
        _end(taken)                              # ended while idle (killed, out of memory): a new one
        taken = None
    if taken is None:
        taken = PandocServer(pandoc, script, locale)
        with _lock:
            _all.add(taken)
    try:
        yield taken
    except BaseException:
        _end(taken)
        raise
    with _lock:
        _idle.setdefault(kind, []).append(taken)


def close_idle() -> None:
    """End the servers no thread is using (their memory is pandoc's: ~150 MB each)."""
    with _lock:
        idle = [taken for servers in _idle.values() for taken in servers]
        _idle.clear()
    for taken in idle:
        _end(taken)


def _end(taken: PandocServer) -> None:
    with _lock:
        _all.discard(taken)
    taken.close()


@atexit.register
def _close_all() -> None:
    with _lock:
        left = list(_all)
        _all.clear()
        _idle.clear()
    for taken in left:
        taken.close()
