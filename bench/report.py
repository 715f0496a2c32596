"""Summaries, ratios, targets and the Markdown report."""

from __future__ import annotations

import pstats
import re
import statistics
from dataclasses import dataclass

from bench.child import EVENTS
from bench.corpus import LABELS

MB = 2**20

# The targets (ratios: the machine is shared and noisy).
TARGET_COLD = 1.3           # (c)/(a+) cold
TARGET_WARM = 1.1           # (c)/(a+) warm
TARGET_MEMORY = 1.5         # peak RSS (c)/(a+)
TARGET_SERVE = 1.2          # serve rebuild (c)/(a+)
TARGET_MORE_SOURCES = 0.10  # growth of (c)/(a+) with the bib doubled by uncited entries
TARGET_MORE_TERMS = 0.05    # growth of (c)/(a+) with twice the glossary terms
TARGET_ZIP = 3 * 1000 * 1000  # the real site's offline zip, bytes

# Phases of the generator (Build.timings) that run inside its build events.
EVENT_PHASES = ("parse bib", "load glossary", "format", "generate pages", "late sections")

HINTS = {
    "import": "importing our package and the libraries only it uses (pybtex, pypandoc, mkdocs-bibtex, "
              "pyahocorasick, PyYAML); import the formatting libraries lazily, when the cache misses",
    "parse bib": "parsing the bib files: pybtex and our reader when cold, the cached parse when warm; "
                 "see the profile for what grows with the number of entries",
    "read documents": "reading every Markdown page and its front matter (YAML parsed twice: data and line "
                      "numbers)",
    "load glossary": "reading the glossary entries (a Python-Markdown run per entry for its first paragraph)",
    "format": "pandoc runs for sources not in the reference cache (cold builds only)",
    "generate pages": "writing the bibliography pages and per-source downloads",
    "link terms": "the glossary's tree walk (Aho-Corasick matching) on every page",
    "citations (inline)": "the inline citation processor",
    "citations (tree)": "the citations' tree walk (sections, misplaced citations)",
    "appended sections": "the headings and markers of See also / References / Mentioned in",
    "late sections": "filling the late sections (citations, references, Cited in / Mentioned in, "
                     "generated pages) from templates",
    "other event code": "the per-page build events (front matter bylines, backlink recording) and set-up",
    "MkDocs + Material (rest)": "MkDocs and Material working on what our code adds: (a⁺) renders as many "
                                "pages, so the difference is the size of our pages, their raw HTML and links "
                                "(Markdown conversion, link validation, the search index); the profile's "
                                "stage table compares the two",
}


@dataclass
class Stat:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def show(self, digits: int = 1) -> str:
        if not self.values:
            return "–"
        if len(self.values) == 1:
            return f"{self.median:.{digits}f}"
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


def stat(runs, attribute: str) -> Stat:
    return Stat([getattr(run, attribute) for run in runs if run.ok and getattr(run, attribute) is not None])


def select(runs, group: str, variant: str, mode: str = ""):
    return [run for run in runs if run.group == group and run.variant == variant and run.mode == mode]


def median_of(runs, attribute: str) -> float | None:
    values = stat(runs, attribute).values
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def paired_ratio(runs, group: str, variant: str, mode: str, base: str = "aplus") -> float | None:
    """The median of each repetition's own ratio: the variants of a repetition run one
    after another, so their ratio cancels the machine's drift across a long run (its
    speed moves by 10-20 % here), which the ratio of two medians does not."""
    bases = {run.rep: run.wall for run in select(runs, group, base) if run.ok and run.wall}
    ratios = [run.wall / bases[run.rep] for run in select(runs, group, variant, mode)
              if run.ok and run.wall and run.rep in bases]
    return statistics.median(ratios) if ratios else None


# -- phases --------------------------------------------------------------------------

def phase_breakdown(run) -> dict[str, float] | None:
    """Seconds spent in our code by phase, for one instrumented build of (c) or (d)."""
    if not run.ok or not run.timings or not run.phases:
        return None
    timings = run.timings.get("timings", {})
    seconds = run.phases.get("seconds", {})
    events = sum(seconds.get(f"event {name}", 0.0) for name in EVENTS)
    waiting = seconds.get("waiting for the offline build", 0.0)
    links = seconds.get("glossary links (tree)", 0.0)
    tree = seconds.get("citations (tree)", 0.0)
    appended = seconds.get("appended sections", 0.0)
    citations = seconds.get("citations (inline)", 0.0)
    imports = seconds.get("import", 0.0) if run.mode != "serve" else 0.0    # once per serve session
    result = {"import": imports}
    result.update({name: timings.get(name, 0.0) for name in EVENT_PHASES})
    result.update({name: value for name, value in timings.items() if name not in result})   # newer phases
    result["read documents"] = seconds.get("read documents", 0.0)     # inside on_files, outside its timers
    result["link terms"] = links
    result["citations (inline)"] = citations
    result["citations (tree)"] = tree
    result["appended sections"] = appended
    # every timed phase runs inside an event: the rest of the events' time is "other"
    result["other event code"] = max(0.0, events - waiting - result["read documents"]
                                     - sum(timings.values()))
    ours = imports + events - waiting + links + tree + appended + citations
    result["our code, total"] = ours
    if run.variant in ("d", "real"):
        result["waiting for the offline build"] = waiting
    offline = run.timings.get("offline") or {}
    for name in ("print PDFs", "write zip"):
        if name in offline:
            result[f"{name} (offline build)"] = offline[name]
    result["MkDocs + Material (rest)"] = run.wall - ours - waiting
    result["wall"] = run.wall
    return result


def phase_medians(runs) -> dict[str, float]:
    rows: dict[str, list[float]] = {}
    for run in runs:
        breakdown = phase_breakdown(run)
        for name, value in (breakdown or {}).items():
            rows.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in rows.items()}


def formatter_stats(runs) -> str:
    for run in runs:
        if run.ok and run.timings and run.timings.get("formatter"):
            stats = run.timings["formatter"]
            return f"{stats.get('formatted', 0)} formatted, {stats.get('cached', 0)} from cache"
    return ""


# -- checks ---------------------------------------------------------------------------

@dataclass
class Check:
    name: str
    value: float | None
    target: str
    passed: bool | None          # None: information only, or not measured
    unit: str = "×"

    def show_value(self) -> str:
        if self.value is None:
            return "not measured"
        if self.unit == "%":
            return f"{self.value * 100:+.1f} %"
        if self.unit == "MB":
            return f"{self.value / MB:.2f} MB"
        return f"{self.value:.2f}×"

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "–" if self.target == "info" or self.value is not None else "n/a"
        return "PASS" if self.passed else "**MISS**"


def _check(name, value, limit, unit="×", target=None) -> Check:
    shown = target or (f"≤ {limit * 100:.0f} %" if unit == "%" else f"≤ {limit}")
    return Check(name, value, shown, None if value is None else value <= limit, unit)


def checks(data) -> list[Check]:
    runs, found = data["runs"], []
    for group, spec in data["base_groups"]:
        label = f"{spec['pages']:,} pages"
        a = median_of(select(runs, group, "a"), "wall")
        aplus = median_of(select(runs, group, "aplus"), "wall")
        b = median_of(select(runs, group, "b"), "wall")
        cold = median_of(select(runs, group, "c", "cold"), "wall")
        warm = median_of(select(runs, group, "c", "warm"), "wall")
        # Targets: within each repetition (the machine's speed drifts across a run).
        found.append(_check(f"{label}: (c)/(a⁺) cold", paired_ratio(runs, group, "c", "cold"), TARGET_COLD))
        found.append(_check(f"{label}: (c)/(a⁺) warm", paired_ratio(runs, group, "c", "warm"), TARGET_WARM))
        for mode, value in (("cold", cold), ("warm", warm)):
            found.append(Check(f"{label}: (c)/(a⁺) {mode}, median over median", ratio(value, aplus), "info", None))
        for mode, value in (("cold", cold), ("warm", warm)):
            found.append(Check(f"{label}: (c)/(a) {mode}", ratio(value, a), "info", None))
        for mode, value in (("cold", cold), ("warm", warm)):
            found.append(Check(f"{label}: (c)/(b) {mode}", ratio(value, b), "info", None))
        per_page = median_of(select(runs, group, "c1", "warm"), "wall")
        found.append(Check(f"{label}: (c) with sidebars rendered page by page/(a⁺) warm", ratio(per_page, aplus),
                           "info", None))
        for mode in ("cold", "warm"):
            notes = median_of(select(runs, group, "cn", mode), "wall")
            found.append(Check(f"{label}: (c) with a note style/(a⁺) {mode}", ratio(notes, aplus), "info", None))
        d_cold = median_of(select(runs, group, "d", "cold"), "wall")
        d_warm = median_of(select(runs, group, "d", "warm"), "wall")
        found.append(Check(f"{label}: (d)/(c) cold", ratio(d_cold, cold), "info", None))
        found.append(Check(f"{label}: (d)/(c) warm", ratio(d_warm, warm), "info", None))
        memory = {}
        for attribute in ("tree_rss_mb", "own_rss_mb"):
            values = [median_of(select(runs, group, "c", mode), attribute) for mode in ("cold", "warm")]
            memory[attribute] = max([value for value in values if value] or [0]) or None
        memory_aplus = median_of(select(runs, group, "aplus"), "tree_rss_mb")
        found.append(_check(f"{label}: peak memory (c)/(a⁺)", ratio(memory["tree_rss_mb"], memory_aplus),
                            TARGET_MEMORY))
        found.append(Check(f"{label}: peak memory (c)/(a⁺), the Python process alone",
                           ratio(memory["own_rss_mb"], memory_aplus), "info", None))
        pss = [median_of(select(runs, group, "c", mode), "tree_pss_mb") for mode in ("cold", "warm")]
        found.append(Check(f"{label}: peak memory (c)/(a⁺), PSS (shared pages once)",
                           ratio(max([value for value in pss if value] or [0]) or None,
                                 median_of(select(runs, group, "aplus"), "tree_pss_mb")), "info", None))
        # A warm build runs no pandoc: what an author's usual rebuild holds.
        found.append(Check(f"{label}: peak memory (c) warm/(a⁺)",
                           ratio(median_of(select(runs, group, "c", "warm"), "tree_rss_mb"), memory_aplus),
                           "info", None))
        serve = data["serve"].get(group, {})
        serve_c = _serve_median(serve.get("c"))
        serve_aplus = _serve_median(serve.get("aplus"))
        found.append(_check(f"{label}: serve rebuild (c)/(a⁺)", ratio(serve_c, serve_aplus), TARGET_SERVE))
    for kind, target, title in (("sources", TARGET_MORE_SOURCES, "bib doubled with uncited entries"),
                                ("terms", TARGET_MORE_TERMS, "glossary terms doubled")):
        pair = data["doubling"].get(kind)
        for mode in ("cold", "warm"):
            added, growth = doubling_growth(runs, pair, mode) if pair else (None, None)
            found.append(_check(f"{title}: time our code adds, {mode}", added, target, unit="%"))
            found.append(Check(f"{title}: growth of (c), {mode}", growth, "info", None, "%"))
    zip_size = None
    if data.get("real") and data["real"].get("zip_bytes"):
        zip_size = data["real"]["zip_bytes"]
    found.append(_check("real site: offline zip", zip_size, TARGET_ZIP, unit="MB", target="≤ 3 MB"))
    return found


def serve_breakdown(result) -> dict[str, float] | None:
    """Our code by phase in the last serve rebuild of (c)."""
    if not result or not result.get("ok") or not result.get("rebuilds"):
        return None
    from bench.measure import Run

    run = Run("serve", "c", "serve", 0, wall=result["rebuilds"][-1], timings=result.get("timings"),
              phases=result.get("phases"))
    return phase_breakdown(run)


def doubling_growth(runs, pair, mode: str) -> tuple[float | None, float | None]:
    """(time our code adds, relative to the base (c); raw growth of (c)).

    What our code adds is the growth of (c) minus the growth of (a⁺) on the same corpora, MkDocs' own
    cost of the added content: nothing for uncited sources, which make no page (the (a⁺) difference is
    then the machine's drift), the rendering of the added glossary entries' pages for the terms."""
    base, doubled = pair
    c1, c2 = (median_of(select(runs, group, "c", mode), "wall") for group in (base, doubled))
    a1, a2 = (median_of(select(runs, group, "aplus"), "wall") for group in (base, doubled))
    if None in (c1, c2, a1, a2):
        return None, None
    return ((c2 - a2) - (c1 - a1)) / c1, c2 / c1 - 1


def _serve_median(result) -> float | None:
    if not result or not result.get("ok") or not result.get("rebuilds"):
        return None
    return statistics.median(result["rebuilds"])


# -- the report -------------------------------------------------------------------------

def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _mode_label(variant: str, mode: str) -> str:
    label = LABELS.get(variant, variant)
    return f"{label}, {mode}" if mode else label


def build_table(data) -> str:
    rows = []
    runs = data["runs"]
    seen = []
    for run in runs:
        key = (run.group, run.variant, run.mode)
        if key not in seen:
            seen.append(key)
    for group, variant, mode in seen:
        chosen = select(runs, group, variant, mode)
        ok = [run for run in chosen if run.ok]
        failed = len(chosen) - len(ok)
        rows.append([
            data["group_titles"].get(group, group), _mode_label(variant, mode),
            f"{len(ok)}" + (f" ({failed} failed)" if failed else ""),
            stat(chosen, "wall").show(1), stat(chosen, "tree_rss_mb").show(0), stat(chosen, "peak_rss_mb").show(0),
            stat(chosen, "own_rss_mb").show(0), max((run.warnings for run in chosen), default=0),
        ])
    return _table(["corpus", "variant", "builds", "wall s: median (min–max)", "peak memory MB",
                   "largest process MB", "Python process MB", "warnings"], rows)


def checks_table(found: list[Check]) -> str:
    return _table(["measure", "value", "target", "result"],
                  [[check.name, check.show_value(), check.target, check.verdict] for check in found])


def phases_table(data) -> str:
    columns, medians = [], []
    for group, spec in data["base_groups"] + data["doubling_groups"]:
        for variant, mode in (("c", "cold"), ("c", "warm"), ("d", "cold")):
            chosen = select(data["runs"], group, variant, mode)
            values = phase_medians(chosen)
            if values:
                columns.append(f"{data['group_titles'][group]}: ({variant}) {mode}")
                medians.append(values)
    if not columns:
        return "(no instrumented build)"
    names = []
    for values in medians:
        for name in values:
            if name not in names:
                names.append(name)
    order = ["import", "read documents", "parse bib", "load glossary", "format", "generate pages", "link terms",
             "citations (inline)", "citations (tree)", "appended sections", "late sections", "other event code",
             "our code, total",
             "waiting for the offline build", "print PDFs (offline build)", "write zip (offline build)",
             "MkDocs + Material (rest)", "wall"]
    names.sort(key=lambda name: order.index(name) if name in order else order.index("other event code") - 0.5)
    rows = []
    for name in names:
        row = [f"**{name}**" if name in ("our code, total", "wall") else name]
        for values in medians:
            value = values.get(name)
            row.append("–" if value is None else f"{value:.2f}")
        rows.append(row)
    table = _table(["phase (median s)"] + columns, rows)
    notes = []
    for group, spec in data["base_groups"]:
        text = formatter_stats(select(data["runs"], group, "c", "cold"))
        if text:
            notes.append(f"{data['group_titles'][group]}, cold: references {text}.")
    return table + ("\n\n" + " ".join(notes) if notes else "")


def serve_table(data) -> str:
    rows = []
    for group, results in data["serve"].items():
        for variant, result in results.items():
            if not result.get("ok"):
                rows.append([data["group_titles"].get(group, group), LABELS[variant], "failed", "failed", "–"])
                continue
            breakdown = serve_breakdown(result) if variant == "c" else None
            rows.append([data["group_titles"].get(group, group), LABELS[variant], f"{result['first']:.1f}",
                         Stat(result["rebuilds"]).show(2),
                         f"{breakdown['our code, total']:.2f}" if breakdown else "–"])
    return _table(["corpus", "variant", "first build s", "rebuild after an edit s: median (min–max)",
                   "our code in the last rebuild s"], rows)


def real_table(real: dict) -> str:
    rows = []
    for mode in ("cold", "warm"):
        runs = [run for run in real.get("runs", []) if run.mode == mode]
        if runs:
            rows.append([f"build, {mode}", stat(runs, "wall").show(1) + " s",
                         stat(runs, "tree_rss_mb").show(0) + " MB (largest process "
                         + stat(runs, "peak_rss_mb").show(0) + " MB)"])
    for name, key in (("site/ size", "site_bytes"), ("offline zip", "zip_bytes"),
                      ("article page HTML", "article_bytes")):
        if real.get(key) is not None:
            rows.append([name, f"{real[key] / MB:.2f} MB" if real[key] >= MB else f"{real[key] / 1024:.0f} KB", ""])
    return _table(["real site", "value", "peak memory"], rows)


def profile_summary(path: str, limit: int = 14) -> dict:
    """Top functions of a cProfile dump: by own time, and our package's by cumulative time."""
    stats = pstats.Stats(path)
    entries = []
    for (filename, line, function), (calls, _, own, cumulative, _) in stats.stats.items():
        entries.append((filename, line, function, calls, own, cumulative))
    total = max((entry[5] for entry in entries), default=0.0)

    def name(entry) -> str:
        filename = re.sub(r".*/(site-packages|hooks|lib/python3\.\d+)/", "", entry[0])
        return f"{filename}:{entry[1]}({entry[2]})" if filename != "~" else entry[2]

    own = sorted(entries, key=lambda entry: entry[4], reverse=True)[:limit]
    ours = sorted((entry for entry in entries if "/microsite/" in entry[0]), key=lambda entry: entry[5],
                  reverse=True)[:limit]
    return {
        "total_seconds": total,
        "by_own_time": [{"function": name(e), "calls": e[3], "own": e[4], "cumulative": e[5]} for e in own],
        "ours_by_cumulative": [{"function": name(e), "calls": e[3], "own": e[4], "cumulative": e[5]} for e in ours],
    }


# Where a build's time goes, from a profile: label -> the functions (file suffix, name) whose cumulative
# times add up to it; "~events" stands for our hook's event handlers.
STAGES = [
    ("Markdown to HTML, all pages (our extension included)", [("mkdocs/commands/build.py", "_populate_page")]),
    ("templates, all pages (Material's nav included)", [("mkdocs/commands/build.py", "_build_page")]),
    ("  of which Material's navigation", [("material/templates/partials/nav.html", "root")]),
    ("search index (Material's search plugin)", [("material/plugins/search/plugin.py", "on_page_context")]),
    ("writing pages and copying files", [("mkdocs/utils/__init__.py", "write_file"),
                                         ("mkdocs/structure/files.py", "copy_file")]),
    ("our build events", [("~events", "")]),
    ("  of which reading the bib files", [("microsite/model/sources.py", "load_library")]),
    ("the whole build", [("mkdocs/commands/build.py", "build")]),
]


def profile_stages(path: str) -> dict[str, dict[str, float]]:
    stats = pstats.Stats(path).stats
    result = {}
    for label, functions in STAGES:
        seconds, calls = 0.0, 0
        for (filename, _, name), (_, primitive, _, cumulative, _) in stats.items():
            for suffix, function in functions:
                if suffix == "~events":
                    match = filename.endswith("microsite/events.py") and name.startswith("on_")
                else:
                    match = filename.endswith(suffix) and name == function
                if match:
                    seconds += cumulative
                    calls += primitive
        result[label] = {"seconds": seconds, "calls": calls}
    return result


def stages_table(profiles: list[dict]) -> str:
    header = ["stage (cProfile, cumulative s)"] + [profile["variant_label"] for profile in profiles]
    rows = []
    for label, _ in STAGES:
        rows.append([label.replace("  ", "&nbsp;&nbsp;")] +
                    [f"{profile['stages'][label]['seconds']:.1f}" for profile in profiles])
    return _table(header, rows)


def profile_tables(summary: dict) -> str:
    def rows(items):
        return [[f"`{item['function']}`", item["calls"], f"{item['own']:.2f}", f"{item['cumulative']:.2f}"]
                for item in items]

    header = ["function", "calls", "own s", "cumulative s"]
    return ("By own time:\n\n" + _table(header, rows(summary["by_own_time"])) +
            "\n\nOur package, by cumulative time:\n\n" + _table(header, rows(summary["ours_by_cumulative"])))


def closing_notes(data, found: list[Check]) -> str:
    missed = [check for check in found if check.passed is False]
    if not missed:
        measured = [check for check in found if check.passed is not None]
        return "Every measured target is met." if measured else "No target was measured."
    runs = data["runs"]
    lines = [f"{len(missed)} target(s) missed: " + "; ".join(f"{c.name} ({c.show_value()}, {c.target})"
                                                          for c in missed) + "."]
    missed_names = " ".join(check.name for check in missed)
    for group, spec in data["base_groups"]:
        title = data["group_titles"][group]
        aplus = median_of(select(runs, group, "aplus"), "wall")
        for mode, limit in (("cold", TARGET_COLD), ("warm", TARGET_WARM)):
            if f"{spec['pages']:,} pages: (c)/(a⁺) {mode}" not in missed_names:
                continue
            values = phase_medians(select(runs, group, "c", mode))
            if not values or not aplus:
                continue
            budget = aplus * limit
            ranked = sorted(((name, value) for name, value in values.items()
                             if name not in ("our code, total", "wall") and value >= 0.05), key=lambda item: -item[1])
            lines.append(
                f"\n- {title}, (c) {mode}: {values['wall']:.1f} s against a budget of {budget:.1f} s "
                f"({limit} × (a⁺) {aplus:.1f} s), {values['wall'] - budget:.1f} s over; our code "
                f"{values['our code, total']:.1f} s. Largest parts: "
                + ", ".join(f"{name} {value:.1f} s" for name, value in ranked[:4]) + ".")
            for name, _ in ranked[:3]:
                if name in HINTS:
                    lines.append(f"  - {name}: {HINTS[name]}.")
        if f"{spec['pages']:,} pages: peak memory" in missed_names:
            check = next(c for c in found if c.name == f"{spec['pages']:,} pages: peak memory (c)/(a⁺), "
                                                          "the Python process alone")
            own = check.show_value()
            warm = next(c for c in found if c.name == f"{spec['pages']:,} pages: peak memory (c) warm/(a⁺)")
            lines.append(f"\n- {title}, peak memory: the Python process alone is {own} (a⁺); the rest is "
                         "pandoc, which the cold build runs to format references (one run per worker, "
                         "about 140-190 MB resident each, of which pandoc's heap is about 30 MB: the rest are pages "
                         "of its 160 MB executable, citeproc's tables included). "
                         f"A warm build runs no pandoc: {warm.show_value()} (a⁺). Only formatting in-process "
                         "(a CSL processor in Python, or a pybtex style of ours) would bring a cold build "
                         "under 1.5×.")
        if f"{spec['pages']:,} pages: serve rebuild" in missed_names:
            breakdown = serve_breakdown(data["serve"].get(group, {}).get("c"))
            aplus_rebuild = _serve_median(data["serve"].get(group, {}).get("aplus"))
            if breakdown and aplus_rebuild:
                ranked = sorted(((name, value) for name, value in breakdown.items()
                                 if name not in ("our code, total", "wall") and value >= 0.005),
                                key=lambda item: -item[1])
                lines.append(
                    f"\n- {title}, serve rebuild: the last rebuild of (c) took {breakdown['wall']:.2f} s, "
                    f"(a⁺)'s {aplus_rebuild:.2f} s; our code {breakdown['our code, total']:.2f} s of it ("
                    + ", ".join(f"{name} {value:.2f} s" for name, value in ranked if name in
                                ("import", "read documents", "parse bib", "load glossary", "format", "generate pages",
                                 "link terms", "citations (inline)", "citations (tree)", "appended sections",
                                 "late sections", "other event code"))
                    + f"); MkDocs + Material {breakdown['MkDocs + Material (rest)']:.2f} s.")
    for kind, title in (("sources", "bib doubled"), ("terms", "terms doubled")):
        pair = data["doubling"].get(kind)
        prefix = "bib doubled" if kind == "sources" else "glossary terms doubled"
        if not pair:
            continue
        base, doubled = pair
        for mode in ("cold", "warm"):
            if not any(check.name.startswith(prefix) and check.name.endswith(mode) for check in missed):
                continue
            before = phase_medians(select(runs, base, "c", mode))
            after = phase_medians(select(runs, doubled, "c", mode))
            if before and after:
                grown = sorted(((name, after[name] - before.get(name, 0.0)) for name in after
                                if name not in ("wall", "our code, total")), key=lambda item: -item[1])
                lines.append(f"\n- {title} ({mode}): the wall time grew {after['wall'] - before['wall']:+.1f} s, "
                             f"our code {after['our code, total'] - before['our code, total']:+.2f} s; "
                             "the phases that grew most: "
                             + ", ".join(f"{name} {delta:+.2f} s" for name, delta in grown[:3]) + ".")
    lines.append("\nThe profile below names the functions behind the largest phases.")
    return "\n".join(lines)


def markdown_report(data) -> str:
    found = data["checks"]
    meta = data["meta"]
    parts = [
        f"# Benchmark {data['stamp']}",
        "",
        f"Machine: {meta['versions']['cpus']} CPUs; Python {meta['versions']['python']}, MkDocs "
        f"{meta['versions']['mkdocs']}, Material {meta['versions']['mkdocs-material']}, mkdocs-bibtex "
        f"{meta['versions']['mkdocs-bibtex']}, pandoc {meta['versions']['pandoc']}. "
        f"Command: `{meta['command']}`. Seed {meta['seed']}, {meta['repeat']} repetition(s), variants "
        "interleaved within each repetition.",
        "",
        f"Generator: code {meta['generator']['code']}"
        + (f" (commit {meta['generator']['commit']})" if meta["generator"].get("commit") else "") + "."
        + ("" if meta["generator_at_end"]["code"] == meta["generator"]["code"] else
           f" **The generator's code changed during the run (now {meta['generator_at_end']['code']}): the "
           "results mix two versions; run the benchmark again.**"),
        "",
        "Corpora: " + "; ".join(f"{data['group_titles'][group]} ({counts['cited_sources']} cited sources, "
                                f"{counts['aplus_extra_pages']} extra pages in (a⁺), {counts['print_pages']} "
                                f"articles and briefs)" for group, counts in data["counts"].items()) + ".",
        "",
        "## Targets",
        "",
        checks_table(found),
        "",
        "## Builds",
        "",
        build_table(data),
        "",
        "Peak memory: the peak of the summed resident memory of the build's process tree (sampled every "
        "0.2 s; at least the largest process). Largest process: wait4's ru_maxrss, the largest single "
        "process of the tree (pandoc's runs and the offline build included). Python process: the build's "
        "own process alone (instrumented builds of the project).",
        "",
        "## Our code by phase",
        "",
        phases_table(data),
        "",
    ]
    if data["serve"]:
        parts += ["## `mkdocs serve` rebuild after editing one page", "", serve_table(data), ""]
    if data.get("real"):
        parts += ["## The real site", "", real_table(data["real"]), ""]
    parts += ["## Closing note", "", closing_notes(data, found), ""]
    profiles = data.get("profiles") or []
    if profiles:
        parts += [f"## Profile: {profiles[0]['title']}", "",
                  "One build of each under cProfile (times inflated by the profiler; compare the columns). "
                  "Dumps: " + ", ".join(f"`{profile['path']}`" for profile in profiles) + ".", "",
                  stages_table(profiles), ""]
        ours = next((profile for profile in profiles if profile["variant"] == "c"), None)
        if ours:
            parts += [f"The project's build ({ours['variant_label']}):", "", profile_tables(ours), ""]
    return "\n".join(parts)
