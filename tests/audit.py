"""`make audit`: the judges on the built site in site/ (it builds nothing: run
`make site` first). Serves the folder on 127.0.0.1 with gzip, as GitHub Pages
does, and runs

- the W3C Nu HTML checker on every page: 0 errors;
- axe-core on one page of each kind, light and dark: no serious or critical violation;
- Lighthouse (mobile) on one page of each kind: accessibility, best practices and
  SEO at 100; performance is reported, not judged.

Prints a table and exits 1 if a judged figure misses (2 if a judge cannot run).
Usage: .venv/bin/python tests/audit.py [SITE_FOLDER] [--no-lighthouse]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import judges  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Judge a built site: W3C checker, axe-core, Lighthouse.")
    parser.add_argument("site", nargs="?", default=str(judges.REPO / "site"), help="the built site (default: site/)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse (the slowest judge)")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"audit: {site}/ holds no built site: run `make site` first.", file=sys.stderr)
        return 2
    chromium = judges.find_chromium()
    cannot = [judges.vnu_missing(),
              None if chromium else "Debian's chromium is not installed (apt-get install chromium)",
              None if args.no_lighthouse else judges.lighthouse_missing(chromium)]
    if any(cannot):
        for reason in filter(None, cannot):
            print(f"audit: {reason}", file=sys.stderr)
        return 2

    misses = w3c(site)
    kinds = judges.page_kinds(site)
    with judges.serve_gzip(site) as base:
        axe_cells, axe_misses = axe(base, kinds, chromium)
        lighthouse_cells, lighthouse_misses = ({}, []) if args.no_lighthouse else lighthouse(base, kinds, chromium)
    misses += axe_misses + lighthouse_misses
    table(kinds, axe_cells, lighthouse_cells)
    if misses:
        print(f"\nMISS: {len(misses)} judged figure(s) missed:")
        for miss in misses:
            print(f"  - {miss}")
        return 1
    print("\nPASS: 0 W3C errors, no serious or critical axe violation, Lighthouse a11y/best practices/SEO 100.")
    return 0


def w3c(site: Path) -> list[str]:
    started = time.monotonic()
    messages = judges.run_vnu([site])
    errors = judges.vnu_errors(messages)
    others = collections.Counter(f"{m['type']}{'/' + m['subType'] if m.get('subType') else ''}: {m['message']}"
                                 for m in messages if m not in errors)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"W3C Nu HTML checker: {pages} pages, {len(errors)} errors, {sum(others.values())} warnings/info "
          f"({time.monotonic() - started:.0f} s)")
    for message in errors:
        print(f"  error {judges.describe_vnu(message, site)}")
    for text, count in others.most_common():
        print(f"  {count}x {text}")
    return [f"W3C: {judges.describe_vnu(message, site)}" for message in errors]


def axe(base: str, kinds: list[judges.PageKind], chromium: str):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    cells, misses, notes = {}, [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=judges.CHROMIUM_FLAGS)
        for kind in kinds:
            for palette in judges.PALETTES:
                context, page, scheme = judges.open_page(browser, base, kind, palette)
                violations = judges.run_axe(page)
                context.close()
                if scheme != judges.SCHEMES[palette]:
                    misses.append(f"axe {kind.name}, {palette}: Material applied the {scheme!r} scheme")
                serious = judges.failing(violations)
                minor = [v for v in violations if v not in serious]
                cells[kind.name, palette] = str(len(serious)) + (f" (+{len(minor)} minor)" if minor else "")
                misses += [f"axe {kind.name}, {palette}: {judges.describe_axe(v)}" for v in serious]
                notes += [f"{kind.name}, {palette}: {judges.describe_axe(v, limit=1)}" for v in minor]
        browser.close()
    print(f"axe-core: {len(kinds)} page kinds x {len(judges.PALETTES)} palettes ({time.monotonic() - started:.0f} s)")
    for note in notes:
        print(f"  moderate/minor (not judged) {note}")
    return cells, misses


def lighthouse(base: str, kinds: list[judges.PageKind], chromium: str):
    started = time.monotonic()
    cells, misses = {}, []
    for kind in kinds:
        result = judges.run_lighthouse(judges.url_of(base, kind), chromium,
                                       judges.JUDGED_CATEGORIES + ("performance",))
        cells[kind.name] = result
        for category in judges.JUDGED_CATEGORIES:
            if result.scores[category] < 100:
                misses.append(f"Lighthouse {kind.name}: {category} {result.scores[category]} "
                              f"({'; '.join(result.failed[category])})")
    print(f"Lighthouse (mobile): {len(kinds)} page kinds ({time.monotonic() - started:.0f} s)")
    return cells, misses


def table(kinds, axe_cells, lighthouse_cells) -> None:
    header = ["page kind", "address", "axe light", "axe dark", "a11y", "best pr.", "SEO", "perf (mobile)"]
    rows = []
    for kind in kinds:
        result = lighthouse_cells.get(kind.name)
        scores = [str(result.scores[c]) if result else "-"
                  for c in ("accessibility", "best-practices", "seo", "performance")]
        address = "/" + kind.path + (f"?q={kind.query}" if kind.search else "")
        rows.append([kind.name, address, axe_cells[kind.name, "light"], axe_cells[kind.name, "dark"], *scores])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print("axe: serious + critical violations (judged: 0). Lighthouse: judged 100 except performance (reported).")


if __name__ == "__main__":
    sys.exit(main())
