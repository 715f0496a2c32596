"""Running one build in a child process and measuring it.

Wall time: from starting the child to reaping it (Python start-up, imports and
MkDocs' whole build: what a user waits for).

Peak memory, three ways:
- `os.wait4` returns the child's resource usage, whose ru_maxrss is the largest
  resident set of the child *and of every descendant it waited for* (Linux
  keeps the maximum, not the sum): pandoc's runs count, one at a time;
- the summed RSS of the whole process tree, sampled every 0.2 s from /proc
  ("tree peak", at least the wait4 figure): what the machine holds at once
  when pandoc runs in parallel or the offline edition builds alongside; a
  sample may miss a short peak. Summed RSS counts twice the pages two
  processes share (two pandoc runs share their 100 MB executable), so the
  same samples also sum the proportional set size (PSS, from
  /proc/PID/smaps_rollup: a shared page counts once in all);
- for the instrumented builds of the project, the build's Python process
  alone (getrusage(RUSAGE_SELF) at exit).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = os.path.join(HERE, "child.py")
PAGE_SIZE = resource.getpagesize()


@dataclass
class Run:
    group: str              # corpus name, or "real site"
    variant: str            # a, aplus, b, c, d, real
    mode: str               # "cold" or "warm" for c, d and the real site; "" otherwise
    rep: int
    wall: float = 0.0
    peak_rss_mb: float = 0.0            # the largest single process of the tree (wait4)
    tree_rss_mb: float | None = None    # the peak of the tree's summed RSS (sampled), at least peak_rss_mb
    tree_pss_mb: float | None = None    # the peak of the tree's summed PSS (sampled)
    own_rss_mb: float | None = None     # the build's Python process alone (instrumented builds)
    ok: bool = True
    warnings: int = 0
    timings: dict | None = None         # the generator's own phase timings (MICROSITE_TIMINGS)
    phases: dict | None = None          # the Markdown extension and the events (bench/child.py)
    error: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def _tree_memory(root: int) -> tuple[int, int]:
    """Summed resident set and summed PSS (bytes) of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()
        pid = int(name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE_SIZE
    total, proportional, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        proportional += _pss(pid)
        stack.extend(children.get(pid, []))
    return total, proportional


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.peak_pss = pid, interval, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(self.interval):
            try:
                rss, pss = _tree_memory(self.pid)
                self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            except Exception:       # the tree changes under us; a missed sample is fine
                pass


def base_env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("MICROSITE_TIMINGS", None)
    env.pop("BENCH_PHASES", None)
    env.pop("MICROSITE_EDITION", None)
    env.pop("MICROSITE_OFFLINE_OUTPUT", None)
    return env


def run_build(run: Run, config: str, site_dir: str, *, instrument: bool = False, sample_tree: bool = True,
              env: dict | None = None, log_dir: str | None = None) -> Run:
    """`mkdocs build -q -f config -d site_dir` in a child process; fills `run`."""
    shutil.rmtree(site_dir, ignore_errors=True)
    env = dict(env or base_env())
    scratch = tempfile.mkdtemp(prefix="bench-run-")
    timings_path = os.path.join(scratch, "timings.json")
    phases_path = os.path.join(scratch, "phases.json")
    if instrument:
        env["MICROSITE_TIMINGS"] = timings_path
        env["BENCH_PHASES"] = phases_path
        command = [sys.executable, CHILD, "build"]
    else:
        command = [sys.executable, "-m", "mkdocs", "build"]
    command += ["-q", "-f", config, "-d", site_dir]
    output_path = os.path.join(scratch, "output.txt")
    os.sync()       # the last build's output is flushed now, not written back during this one
    try:
        with open(output_path, "wb") as output:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env,
                                       cwd=os.path.dirname(config))
            sampler = _TreeSampler(process.pid) if sample_tree else None
            if sampler:
                sampler.start()
            _, status, usage = os.wait4(process.pid, 0)
            run.wall = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if sampler:
                sampler.done.set()
                sampler.join()
                run.tree_rss_mb = max(sampler.peak, usage.ru_maxrss * 1024) / 2**20
                run.tree_pss_mb = sampler.peak_pss / 2**20 or None
        run.peak_rss_mb = usage.ru_maxrss / 1024          # Linux: kilobytes
        with open(output_path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        run.warnings = len(re.findall(r"^WARNING\b", text, re.MULTILINE))
        run.ok = process.returncode == 0
        if not run.ok:
            run.error = text[-3000:]
        if log_dir and text.strip():
            os.makedirs(log_dir, exist_ok=True)
            name = f"{run.group}-{run.variant}{'-' + run.mode if run.mode else ''}-{run.rep}.log"
            with open(os.path.join(log_dir, name.replace(" ", "-")), "w", encoding="utf-8") as handle:
                handle.write(text)
        run.timings = _read_json(timings_path)
        run.phases = _read_json(phases_path)
        if run.phases and run.phases.get("own_peak_rss_kb"):
            run.own_rss_mb = run.phases["own_peak_rss_kb"] / 1024
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return run


def serve_rebuilds(config: str, page: str, edits: int, env: dict | None = None) -> dict:
    """`mkdocs serve`'s first build and `edits` rebuilds after editing `page` (bench/child.py serve)."""
    scratch = tempfile.mkdtemp(prefix="bench-serve-")
    out = os.path.join(scratch, "serve.json")
    env = dict(env or base_env())
    env["MICROSITE_TIMINGS"] = os.path.join(scratch, "timings.json")     # the last rebuild's phases
    env["BENCH_PHASES"] = os.path.join(scratch, "phases.json")
    try:
        completed = subprocess.run([sys.executable, CHILD, "serve", config, page, str(edits), out],
                                   env=env, cwd=os.path.dirname(config), capture_output=True, text=True)
        if completed.returncode != 0:
            return {"ok": False, "error": (completed.stdout + completed.stderr)[-3000:]}
        data = _read_json(out) or {}
        data["ok"] = True
        data["timings"] = _read_json(env["MICROSITE_TIMINGS"])
        data["phases"] = _read_json(env["BENCH_PHASES"])
        return data
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def profile_build(config: str, site_dir: str, prof_path: str, env: dict | None = None) -> tuple[bool, str]:
    shutil.rmtree(site_dir, ignore_errors=True)
    completed = subprocess.run([sys.executable, CHILD, "profile", prof_path, "build", "-q", "-f", config,
                                "-d", site_dir], env=env or base_env(), cwd=os.path.dirname(config),
                               capture_output=True, text=True)
    return completed.returncode == 0, (completed.stdout + completed.stderr)[-3000:]


def folder_size(path: str) -> int:
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            full = os.path.join(root, name)
            if not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def generator_state(repo: str) -> dict:
    """The generator's code as a fingerprint (and the git commit), to notice a change during a run."""
    import hashlib

    digest = hashlib.sha1()
    package = os.path.join(repo, "hooks")
    for root, dirs, names in os.walk(package):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".lua", ".csl", ".html", ".css", ".js")):
                path = os.path.join(root, name)
                digest.update(os.path.relpath(path, package).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    commit = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True,
                                timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"code": digest.hexdigest()[:12], "commit": commit}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    for package in ("mkdocs", "mkdocs-material", "mkdocs-bibtex", "pybtex", "pypandoc-binary"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    try:
        import pypandoc

        found["pandoc"] = pypandoc.get_pandoc_version()
    except Exception:  # pragma: no cover - pandoc missing
        found["pandoc"] = None
    return found
