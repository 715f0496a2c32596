"""The performance benchmark (`make bench`; README, "Benchmark").

Generates seeded synthetic corpora, builds each with six variants ((a), (a⁺),
(b), (c), (c1), (d)), several times and interleaved, and prints a Markdown
table of wall times, peak memory, the ratios against the issue's targets, and
the time spent in our own code by phase. The report is also written to
bench-results/<timestamp>.md with the raw numbers in <timestamp>.json.

    python bench/run.py                     # 200 and 1,000 pages, 3 repetitions (long)
    python bench/run.py --quick             # 200 pages, 2 repetitions
    python bench/run.py --sizes 6 --sources 30 --terms 10 --repeat 1 --skip b,d,real,profile   # smoke
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import glob
import json
import os
import shutil
import sys
import tempfile
import time

if __package__ in (None, ""):       # `python bench/run.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import corpus as corpora          # noqa: E402
from bench import measure, report            # noqa: E402
from bench.measure import Run                # noqa: E402

REPO = corpora.REPO
SKIPPABLE = ("a", "aplus", "b", "b-large", "c", "c1", "cn", "d", "serve", "doubling", "real", "profile", "warmup")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="page counts, comma-separated (default 200,1000; --quick: 200)")
    parser.add_argument("--sources", type=int, default=2000, help="bib entries (default 2000)")
    parser.add_argument("--terms", type=int, default=500, help="glossary terms (default 500)")
    parser.add_argument("--cited-pool", type=int, help="pages cite only the first N sources (default sources/2)")
    parser.add_argument("--repeat", type=int, help="repetitions of every build (default 3; --quick: 2)")
    parser.add_argument("--b-repeat", type=int, default=1,
                        help="repetitions of (b), which runs pandoc once a page and is slow (default 1)")
    parser.add_argument("--quick", action="store_true", help="200 pages, 2 repetitions")
    parser.add_argument("--skip", default="", help=f"comma-separated, any of: {', '.join(SKIPPABLE)}")
    parser.add_argument("--doubling-at", type=int,
                        help="page count of the doubling runs (default: the largest size)")
    parser.add_argument("--serve-edits", type=int, default=2, help="serve rebuilds timed a variant (default 2)")
    parser.add_argument("--words", type=int, default=1500, help="words a page (default 1500)")
    parser.add_argument("--print-pages", type=int, default=50,
                        help="pages that are articles or briefs, printed as PDFs by (d) (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "microsite-bench"),
                        help="corpora and build output; corpora are reused (default: %(default)s)")
    parser.add_argument("--out", default=os.path.join(REPO, "bench-results"),
                        help="where the report goes (default: bench-results/)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in (args.sizes or ("200" if args.quick else "200,1000")).split(",")]
    args.repeat = args.repeat or (2 if args.quick else 3)
    args.skip = {item.strip() for item in args.skip.split(",") if item.strip()}
    unknown = args.skip - set(SKIPPABLE)
    if unknown:
        parser.error(f"--skip: unknown {', '.join(sorted(unknown))}; choose from {', '.join(SKIPPABLE)}")
    args.doubling_at = args.doubling_at or max(args.sizes)
    if args.doubling_at not in args.sizes:
        parser.error("--doubling-at must be one of --sizes")
    return args


class Bench:
    def __init__(self, args):
        self.args = args
        self.runs: list[Run] = []
        self.logs = os.path.join(args.workdir, "logs")
        self.done = 0
        self.total = 0
        self.env = measure.base_env()
        self.env.setdefault("SOURCE_DATE_EPOCH", "1700000000")   # no `git log` for the epoch of a corpus

    def say(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # -- one build ----------------------------------------------------------------
    def build(self, corpus: corpora.Corpus, variant: str, mode: str, rep: int) -> Run:
        run = Run(group=corpus.spec.name, variant=variant, mode=mode, rep=rep)
        if mode == "cold":
            shutil.rmtree(corpus.cache_dir(variant), ignore_errors=True)
        site = os.path.join(corpus.root, f"site-{variant}")
        measure.run_build(run, corpus.config(variant), site, instrument=variant in ("c", "c1", "cn", "d"), env=self.env,
                          log_dir=self.logs)
        self.done += 1
        status = f"{run.wall:6.1f} s {run.peak_rss_mb:5.0f} MB" if run.ok else "FAILED"
        if run.warnings:
            status += f", {run.warnings} warning(s)"
        self.say(f"[{self.done:3d}/{self.total}] {corpus.spec.name} {corpora.LABELS[variant]}"
                 f"{', ' + mode if mode else ''}, repetition {rep}: {status}")
        if not run.ok:
            self.say(run.error[-1500:])
        self.runs.append(run)
        return run

    def plan(self, corpus: corpora.Corpus, first_size: bool, doubled: list[corpora.Corpus]) -> list[tuple]:
        """The builds of one size: every repetition builds every variant in turn (interleaved), then
        (a⁺) and (c) of the doubled corpora, when this is the size of the doubling runs."""
        tasks = []
        skip = self.args.skip
        for rep in range(1, self.args.repeat + 1):
            for variant in corpora.VARIANTS:
                if variant in skip:
                    continue
                if variant == "b" and (rep > self.args.b_repeat or ("b-large" in skip and not first_size)):
                    continue
                if variant in ("c", "cn", "d"):
                    tasks += [(corpus, variant, "cold", rep), (corpus, variant, "warm", rep)]
                elif variant == "c1":             # warm only, on (c)'s cache: it differs in the templates
                    if "c" not in skip:
                        tasks.append((corpus, variant, "warm", rep))
                else:
                    tasks.append((corpus, variant, "", rep))
            for other in doubled:
                tasks += [(other, "aplus", "", rep), (other, "c", "cold", rep), (other, "c", "warm", rep)]
        return tasks

    # -- the whole run ------------------------------------------------------------------
    def run(self) -> dict:
        args = self.args
        started = time.time()
        generator = measure.generator_state(REPO)
        base_specs = [self.spec(size) for size in args.sizes]
        doubling = "doubling" not in args.skip and "c" not in args.skip and "aplus" not in args.skip
        at = self.spec(args.doubling_at)
        doubled = [dataclasses.replace(at, sources=at.sources * 2), dataclasses.replace(at, terms=at.terms * 2)] \
            if doubling else []
        self.say(f"Generating {len(base_specs) + len(doubled)} corpora in {args.workdir} ...")
        made = {spec: corpora.generate(spec, args.workdir) for spec in base_specs + doubled}

        groups = []
        for index, spec in enumerate(base_specs):
            others = [made[other] for other in doubled] if spec == at else []
            groups.append((spec, self.plan(made[spec], index == 0, others)))
        self.total = sum(len(tasks) for _, tasks in groups)
        if "real" not in args.skip:
            self.total += 2 * args.repeat

        serve: dict[str, dict] = {}
        for spec, tasks in groups:
            corpus = made[spec]
            if "warmup" not in args.skip and tasks:
                self.say(f"Warm-up build of {spec.name} (not counted) ...")
                measure.run_build(Run(spec.name, "a", "", 0), corpus.config("a"), os.path.join(corpus.root, "site-a"),
                                  env=self.env)
            for task in tasks:
                self.build(*task)
            if "serve" not in args.skip:
                serve[spec.name] = self.serve(corpus)

        profiles = []
        if "profile" not in args.skip:
            for variant in ("aplus", "c"):
                if variant not in args.skip:
                    profiles.append(self.profile(made[base_specs[0]], variant))
        real = None if "real" in args.skip else self.real_site()

        data = {
            "stamp": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "meta": {"versions": measure.versions(), "command": "python bench/run.py " + " ".join(sys.argv[1:]),
                     "seed": args.seed, "repeat": args.repeat, "b_repeat": args.b_repeat,
                     "skip": sorted(args.skip), "minutes": None,
                     "generator": generator, "generator_at_end": measure.generator_state(REPO)},
            "runs": self.runs,
            "base_groups": [(spec.name, dataclasses.asdict(spec)) for spec in base_specs],
            "doubling_groups": [(spec.name, dataclasses.asdict(spec)) for spec in doubled],
            "doubling": ({"sources": (at.name, doubled[0].name), "terms": (at.name, doubled[1].name)}
                         if doubled else {}),
            "group_titles": {spec.name: _title(spec) for spec in base_specs + doubled},
            "counts": {spec.name: made[spec].counts for spec in base_specs + doubled},
            "serve": serve,
            "real": real,
            "profiles": [profile for profile in profiles if profile],
        }
        data["checks"] = report.checks(data)
        data["meta"]["minutes"] = round((time.time() - started) / 60, 1)
        return data

    def spec(self, pages: int) -> corpora.Spec:
        args = self.args
        return corpora.Spec(pages=pages, sources=args.sources, terms=args.terms, seed=args.seed,
                            cited_pool=args.cited_pool or max(1, args.sources // 2), term_pool=args.terms,
                            print_pages=args.print_pages, words=args.words)

    def serve(self, corpus: corpora.Corpus) -> dict:
        results = {}
        page = "part-01/page-001.md" if os.path.exists(corpus.page_path("part-01/page-001.md")) \
            else "articles/page-001.md"
        for variant in ("aplus", "c"):
            if variant in self.args.skip:
                continue
            self.say(f"mkdocs serve: {corpus.spec.name} {corpora.LABELS[variant]}, first build and "
                     f"{self.args.serve_edits} rebuild(s) after editing {page} ...")
            result = measure.serve_rebuilds(corpus.config(variant), corpus.page_path(page, variant),
                                            self.args.serve_edits, env=self.env)
            if not result.get("ok"):
                self.say(result.get("error", "")[-1500:])
            results[variant] = result
        return results

    def profile(self, corpus: corpora.Corpus, variant: str) -> dict | None:
        mode = "cold" if variant == "c" else ""
        path = os.path.join(self.args.workdir, f"profile-{corpus.spec.name}-{variant}{'-' + mode if mode else ''}.prof")
        label = corpora.LABELS[variant] + (f", {mode}" if mode else "")
        self.say(f"Profiling {corpus.spec.name} {label} under cProfile ...")
        shutil.rmtree(corpus.cache_dir(variant), ignore_errors=True)
        ok, output = measure.profile_build(corpus.config(variant), os.path.join(corpus.root, f"site-{variant}"),
                                           path, env=self.env)
        if not ok or not os.path.exists(path):
            self.say("The profiled build failed:\n" + output)
            return None
        summary = report.profile_summary(path)
        summary.update(title=corpus.spec.describe(), path=path, variant=variant, variant_label=label,
                       stages=report.profile_stages(path))
        return summary

    def real_site(self) -> dict | None:
        """The project's own site, built from a copy (the repository's site/ and .cache stay as they are)."""
        articles = sorted(glob.glob(os.path.join(REPO, "docs", "articles", "*.md")), key=os.path.getsize)
        if not articles:
            self.say("No real site to build (no article in docs/articles/).")
            return None
        # The site's largest article: its page size is reported.
        real_article = f"articles/{os.path.splitext(os.path.basename(articles[-1]))[0]}/index.html"
        copy = os.path.join(self.args.workdir, "real-site")
        shutil.rmtree(copy, ignore_errors=True)
        os.makedirs(copy)
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        for name in ("docs", "bib", "hooks"):
            if os.path.isdir(os.path.join(REPO, name)):
                shutil.copytree(os.path.join(REPO, name), os.path.join(copy, name), ignore=ignore)
        shutil.copy2(os.path.join(REPO, "mkdocs.yml"), copy)
        config, site = os.path.join(copy, "mkdocs.yml"), os.path.join(copy, "site")
        result: dict = {"runs": []}
        for rep in range(1, self.args.repeat + 1):
            for mode in ("cold", "warm"):
                if mode == "cold":
                    shutil.rmtree(os.path.join(copy, ".cache"), ignore_errors=True)
                run = Run(group="real site", variant="real", mode=mode, rep=rep)
                measure.run_build(run, config, site, instrument=True, env=measure.base_env(), log_dir=self.logs)
                self.done += 1
                self.say(f"[{self.done:3d}/{self.total}] real site, {mode}, repetition {rep}: "
                         + (f"{run.wall:.1f} s {run.peak_rss_mb:.0f} MB" if run.ok else "FAILED\n" + run.error))
                result["runs"].append(run)
                if run.ok and "site_bytes" not in result:
                    result["site_bytes"] = measure.folder_size(site)
                    zips = [os.path.join(site, "downloads", name) for name in os.listdir(os.path.join(site, "downloads"))
                            if name.endswith(".zip")] if os.path.isdir(os.path.join(site, "downloads")) else []
                    result["zip_bytes"] = os.path.getsize(zips[0]) if zips else None
                    article = os.path.join(site, real_article)
                    result["article_bytes"] = os.path.getsize(article) if os.path.exists(article) else None
        return result


def _title(spec: corpora.Spec) -> str:
    return f"{spec.pages:,} p × {spec.sources:,} s × {spec.terms:,} t"


def to_json(data: dict) -> dict:
    def convert(value):
        if isinstance(value, Run):
            return value.to_json()
        if isinstance(value, report.Check):
            return dataclasses.asdict(value)
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(item) for item in value]
        return value

    return convert(data)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.makedirs(args.workdir, exist_ok=True)
    data = Bench(args).run()
    text = report.markdown_report(data)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    stamp = data["stamp"].replace(" ", "-").replace(":", "")
    for suffix, content in ((".md", text), (".json", json.dumps(to_json(data), indent=1, ensure_ascii=False))):
        with open(os.path.join(args.out, stamp + suffix), "w", encoding="utf-8") as handle:
            handle.write(content)
    print(f"\nReport: {os.path.join(args.out, stamp + '.md')} (raw numbers: {stamp}.json)", file=sys.stderr)
    failed = [run for run in data["runs"] if not run.ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
