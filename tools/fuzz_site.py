"""Fuzz a site: copy it, make one to five random hostile or careless edits, build it with
`mkdocs build --strict`, and report every build whose output holds a traceback, that fails
without a located message, or whose pages carry live script from the edited input.

    python tools/fuzz_site.py SITE_FOLDER --builds 100 [--seed 0] [--heavy-every 20] [--out results.jsonl]

SITE_FOLDER: a site made by `make new-site` (its example content, whose citation keys the
snippets use) or this repository. Builds run in a temporary folder; the site is not touched.
`--heavy-every N`: every Nth build keeps the offline edition and the PDFs on (slow).
Each build is one JSON line; a summary follows. Standard library only; the edits are the
ones of notes/closing.md (#11, "fuzzing the example site"). Raw HTML an author writes in
Markdown is passed as written (README), so a `<script>` snippet in a page is not a finding.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

VALUES = [
    "5", "2020", "1.5", "true", "null", "[]", "{}", "[1, 2]", "{a: 1}", '""', '" "',
    '"<script>alert(1)</script>"', '"2020-13-45"', "2020-13-45", "2020-02-30", '"10.1234/abc"',
    '"javascript:alert(1)"', '"' + "x" * 3000 + '"', '"[@nokey]"', '"[@example2021survey]"', '"$x<y$"',
    "[[1]]", "{name: 5}", '[{name: "A B", orcid: "0000-0000-0000-0000"}]', "[{affiliation: 3}]",
    '"CC-BY-4.0"', '"GPL"', "2020-01-01T10:00:00", ".nan", "~", '"\\u0000"', "[null]", '[""]',
    '[{name: "X", email: "not an email"}]', '[{name: "X", orcid: "https://orcid.org/0000-0002-1825-0097"}]',
    '"0000-0002-1825-0097"', "-1", "1e400", '"&amp; &lt; \\" \'"', '"a\\nb"', "[[a, b]]", '{name: [1]}',
    '"\\u202e\\u200b"', '"{{ config }}"', '"{% raw %}"', '"</title><script>x</script>"',
    "2020", "1999-12-31", '"2020-01"', '"2020/01/01"', "[2020]", '{start: 2020}',
]
KEYS = ["title", "authors", "date", "updated", "summary", "abstract", "doi", "license", "keywords",
        "report_number", "publisher", "institution", "term", "aliases", "see_also", "tags", "kind",
        "unknwon_key", "hide", "search", "template", "editors_note", "definition", "pdf", "number",
        "icon", "status", "subtitle", "social", "comments", "author", "description", "title", "title", "hide", "search"]

SNIPPETS = [
    "[@]", "[@:x]", "[@{weird}]", "<div>[@example2021survey]</div>", "\n# Heading [@example2021survey]\n",
    "![alt [@example2021survey]](x.png)", "[link [@example2021survey]](http://x)", "<!-- [@nokey] -->",
    "\n```\n[@nokey]\n```\n", "[^1]", "\n[^zz]: [@example2021survey]\n", "{{ page.title }}", "{% raw %}",
    "`[@nokey]`", "[@nokey]", "[@example2021survey, p. ]", "[@example2021survey; @example2021survey]",
    "[-@sample2019coding]", "@sample2019coding says", "[see @{sample2019coding}, chap. 2]",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "\n| a | b |\n|---|\n| [@nokey] |\n",
    "\n::: note\n[@x]\n:::\n", "\n!!! note \"[@example2021survey]\"\n    text\n", "\n<details>\n[@nokey]\n</details>\n",
    "[[codebook]]", "[Codebook](../glossary/codebook.md)", "[bad](missing.md)", "[anchor](#nowhere)",
    "\n## \n", "\n# \n", "\\", "\x0c", "\u2028", "[@example2021survey]{.class}", "$x<y$",
    "\n<mx-late kind=\"references\" target=\"x\"></mx-late>\n", "\n*[IRR]: <b>x</b>\n",
    "[x](http://a \"t [@example2021survey]\")", "![i](x.png \"t [@sample2019coding]\")",
    "\n- a [@example2021survey]\n    - b [@sample2019coding, p. 3]\n        - c codebook\n",
    "\n!!! editors \"Definition (editors)\"\n    A codebook [@example2021survey].\n",
    "\n!!! editors\n    [@nokey]\n", "\n??? note \"Field survey [@sample2019coding]\"\n    x\n",
    "\n## Codebook and IRR {#codebook}\n", "\n## Same\n\n## Same\n", "[@example2021survey]{: .x }",
    "\n[^a]: a [@sample2019coding] note\n\nText[^a] and again[^a].\n", "\n<div markdown>\n[@example2021survey]\n</div>\n",
    "\n    indented [@nokey] code\n", "&lt;script&gt;", "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "<a href=\"javascript:alert(1)\">x</a>", "\n{: .no-glossary }\n", "[@example2021survey, pp. 3–5, n. 2]",
    "[@example2021survey, 33-35; see also @sample2019coding]", "[*see* @sample2019coding, **p. 4**]",
    "\n| a | [@example2021survey] |\n|---|---|\n| codebook | [@sample2019coding] |\n",
]

BIB_FIELDS = [
    ("url", "{javascript:alert(1)}"), ("url", "{ JaVaScRiPt:x}"), ("url", "{http://exa mple.com/<>}"),
    ("url", "{file:///etc/passwd}"), ("title", "{<img src=x onerror=alert(1)>}"), ("author", "{{}}"),
    ("author", "{and}"), ("author", "{, , ,}"), ("year", "{abcd}"), ("year", "{-5}"), ("year", "{99999}"),
    ("date", "{2020-13-45}"), ("date", "{2020/2021}"), ("doi", "{<>}"), ("doi", "{javascript:x}"),
    ("pages", "{--}"), ("crossref", "{missing}"), ("crossref", "{example2021survey}"), ("month", "{13}"),
    ("month", "jan"), ("title", "{\\foo{bar}}"), ("title", "{$x<y$}"), ("title", "{\\emph{}}"),
    ("editor", "{Ed, Itor}"), ("title", "{a\\\\b}"), ("title", "{}"), ("title", "{{{{deep}}}}"),
    ("author", "{Müller, Jürgen and {World Bank}}"), ("langid", "{klingon}"), ("isbn", "{not-an-isbn}"),
    ("urldate", "{yesterday}"), ("note", "{\\url{javascript:x}}"), ("title", "{\\href{javascript:x}{t}}"),
    ("file", "{/home/me/secret.pdf}"), ("title", "{%}"), ("title", "{#}"), ("abstract", "{<b>x</b>}"),
    ("eprint", "{1234}"), ("eprinttype", "{arxiv}"), ("translator", "{T, R}"), ("type", "{<i>x</i>}"),
]
BIB_ENTRIES = [
    "@foo{weird1,\n title = {t},\n}\n", "@book{dup,\n title={a}, year={2020}}\n@book{dup,\n title={b}, year={2020}}\n",
    "@book{unclosed,\n title = {t,\n year = {2020},\n}\n", "@string{foo = \"bar\"}\n@book{str1, title = foo # { x}, year=2020}\n",
    "@comment{x}\n", "@preamble{\"\\newcommand{\\x}{y}\"}\n", "@book{empty,}\n", "@book{kéy,\n title={t}, year={2020}}\n",
    "@book{a<b,\n title={t}}\n", "@book{Anonymous:sADfNu-,\n title={t}, year={2020}}\n", "@book{,\n title={t}}\n",
    "@book{noclose,\n title={t}\n", "@online{web1,\n title={W}, url={https://example.org}, urldate={2020-01-01}}\n",
    "@inbook{ch1,\n crossref={ch1}, title={x}}\n", "@book{y2k,\n title={T}, date={2020-01-01/2021-02-02}}\n",
]

GLOSSARY = [
    "---\nterm: Codebook\nsummary: dup\n---\ntext\n", "---\nterm: \nsummary: x\n---\ntext\n",
    "---\nterm: Alias clash\naliases: [IRR]\nsummary: x\n---\ntext\n", "---\nterm: Self\nsee_also: [self]\nsummary: x\n---\nt\n",
    "---\nterm: X\nsee_also: [missing-term]\n---\nt\n", "---\nsummary: no term\n---\nt\n", "no front matter at all\n",
    "---\nterm: Unclosed\nsummary: x\n", "---\nterm: [a, b]\n---\nt\n", "---\nterm: Map\nsummary: x\n---\nt\n",
]

TIMELINE = [
    "- date: 2020\n  title: A\n  description: d\n  sources: [\"@example2021survey\"]\n",
    "- date: 2020-13-45\n  title: A\n  description: d\n",
    "- date: 2020\n  title: A\n",
    "events: 5\n", "5\n", "- {}\n", "- date: [2020, 2021]\n  title: x\n",
    "- date: 2020-02-30\n  title: A\n  description: d\n  cite: '[@nokey]'\n  terms: [nope]\n",
    "- date: {start: 2019, end: 2018}\n  title: A\n  description: d\n",
    "- date: 2020\n  title: <script>x</script>\n  description: '[@example2021survey]'\n  terms: [codebook]\n  pages: [missing.md]\n",
    ":\n  - bad yaml [\n",
]

OPTIONS = [
    ("bibliography_include", ["all", "cited", "weird", "5"]), ("glossary_link", ["first", "all", "none", "x"]),
    ("csl_file", ["missing.csl", "mkdocs.yml", "bib/example.bib"]), ("share_sidebars", ["true", "\"yes\""]),
    ("private_fields", ["{add: [note]}", "{keep: 5}", "5"]), ("timezone", ["Mars/Base", "UTC", "5"]),
    ("license", ["CC-BY-4.0", "nope"]), ("cache_dir", ["/proc/nope", "."]),
]


def front_matter_edit(text, rng):
    if not text.startswith("---\n"):
        return text
    end = text.index("\n---", 4)
    head, body = text[4:end], text[end:]
    key = rng.choice(KEYS)
    value = rng.choice(VALUES)
    lines = [line for line in head.split("\n") if not line.startswith(key + ":")]
    # drop continuation lines of a removed folded scalar crudely: keep it simple
    lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + body


def mutate(site, rng, log):
    docs = os.path.join(site, "docs")
    pages = [os.path.join(root, name) for root, _, names in os.walk(docs) for name in names if name.endswith(".md")]
    kind = rng.choice(["fm", "fm", "body", "body", "bib", "bibentry", "gloss", "timeline", "option", "bytes"])
    if kind == "fm":
        page = rng.choice(pages)
        text = open(page, encoding="utf-8").read()
        new = front_matter_edit(text, rng)
        open(page, "w", encoding="utf-8").write(new)
        log.append(f"fm {os.path.relpath(page, site)}: " + new.split("\n---", 1)[0].splitlines()[-1][:120])
    elif kind == "body":
        page = rng.choice(pages)
        text = open(page, encoding="utf-8").read()
        snippet = rng.choice(SNIPPETS)
        cut = rng.randrange(len(text) // 2, len(text) + 1)
        open(page, "w", encoding="utf-8").write(text[:cut] + snippet + text[cut:])
        log.append(f"body {os.path.relpath(page, site)} @{cut}: {snippet!r}")
    elif kind == "bib":
        bibs = sorted(os.path.join(site, "bib", name) for name in os.listdir(os.path.join(site, "bib")) if name.endswith(".bib"))
        bib = rng.choice(bibs)
        text = open(bib, encoding="utf-8").read()
        field, value = rng.choice(BIB_FIELDS)
        key = rng.choice(re.findall(r"@\w+\{([^,\s]+),", text))
        text = re.sub(r"(@\w+\{" + re.escape(key) + r",\n)", lambda m: m.group(1) + f"  {field} = {value},\n", text)
        open(bib, "w", encoding="utf-8").write(text)
        log.append(f"bib {key}.{field} = {value}")
    elif kind == "bibentry":
        entry = rng.choice(BIB_ENTRIES)
        with open(os.path.join(site, "bib", rng.choice(["example.bib", "extra.bib", "EXTRA.BIB"])), "a", encoding="utf-8") as h:
            h.write("\n" + entry)
        log.append(f"bibentry {entry!r}")
    elif kind == "gloss":
        entry = rng.choice(GLOSSARY)
        name = rng.choice(["new-term.md", "codebook.md", "map.md", "index2.md"])
        open(os.path.join(docs, "glossary", name), "w", encoding="utf-8").write(entry)
        log.append(f"gloss {name}: {entry!r}")
    elif kind == "timeline":
        data = rng.choice(TIMELINE)
        open(os.path.join(docs, "timeline.yml"), "w", encoding="utf-8").write(data)
        log.append(f"timeline {data!r}")
    elif kind == "option":
        name, values = rng.choice(OPTIONS)
        value = rng.choice(values)
        path = os.path.join(site, "mkdocs.yml")
        text = open(path, encoding="utf-8").read()
        text = text.replace("  microsite:\n", f"  microsite:\n    {name}: {value}\n", 1)
        open(path, "w", encoding="utf-8").write(text)
        log.append(f"option {name}: {value}")
    elif kind == "bytes":
        page = rng.choice(pages + [os.path.join(site, "bib", "example.bib")])
        data = open(page, "rb").read()
        choice = rng.choice([b"\xe9\xff", b"\xef\xbb\xbf", b"\x00", b"\r\n", b"\r"])
        if choice == b"\xef\xbb\xbf":
            data = choice + data
        else:
            cut = rng.randrange(len(data))
            data = data[:cut] + choice + data[cut:]
        open(page, "wb").write(data)
        log.append(f"bytes {os.path.relpath(page, site)}: {choice!r}")



def trial(base: str, work: str, number: int, seed: int, heavy: bool) -> dict:
    rng = random.Random(seed * 100_003 + number)
    site = os.path.join(work, f"t{number}")
    shutil.rmtree(site, ignore_errors=True)
    skip = (".git", ".cache", ".venv", "tests", "bench", "node_modules", ".pytest_tmp")
    shutil.copytree(base, site, ignore=lambda folder, names: [
        name for name in names if name in skip or (folder == base and name == "site")])
    if not heavy:
        path = os.path.join(site, "mkdocs.yml")
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        text = text.replace("    offline: true\n", "    offline: false\n").replace("    pdf: true\n", "    pdf: false\n")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    log: list[str] = []
    for _ in range(rng.randint(1, 5)):
        try:
            mutate(site, rng, log)
        except Exception as error:          # an edit that does not apply to this site
            log.append(f"(edit not applied: {error!r})")
    process = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", os.path.join(site, "out")],
                             cwd=site, capture_output=True, text=True, timeout=900,
                             env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    output = process.stdout + process.stderr
    messages = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    live = []
    out = os.path.join(site, "out")
    authored_script = any("<script>" in entry and entry.startswith("body") for entry in log)
    if process.returncode == 0 and os.path.isdir(out) and not authored_script:
        for folder, _, names in os.walk(out):
            for name in names:
                if name.endswith(".html"):
                    with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                        page = handle.read().lower().replace('href="javascript:void(0)"', "")
                    if "<script>alert" in page or "<img src=x onerror" in page or 'href="javascript:' in page:
                        live.append(os.path.relpath(os.path.join(folder, name), out))
    result = {"build": number, "exit": process.returncode, "edits": log,
              "traceback": "Traceback" in output or process.returncode not in (0, 1),
              "silent": process.returncode == 1 and not messages, "live_script": live,
              "messages": messages[:12]}
    if not (result["traceback"] or result["silent"] or live):
        shutil.rmtree(site, ignore_errors=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="the site folder to copy (e.g. one made by make new-site)")
    parser.add_argument("--builds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heavy-every", type=int, default=0, help="every Nth build with PDFs and the offline edition")
    parser.add_argument("--out", default="", help="also write the JSON lines to this file")
    options = parser.parse_args(argv)
    base = os.path.abspath(options.site)
    work = tempfile.mkdtemp(prefix="fuzz-site-")
    findings = 0
    sink = open(options.out, "w", encoding="utf-8") if options.out else None
    for number in range(options.builds):
        heavy = bool(options.heavy_every) and number % options.heavy_every == 0
        result = trial(base, work, number, options.seed, heavy)
        line = json.dumps(result, ensure_ascii=False)
        print(line, flush=True)
        if sink:
            sink.write(line + "\n")
        findings += bool(result["traceback"] or result["silent"] or result["live_script"])
    if sink:
        sink.close()
    print(f"{options.builds} builds, {findings} with a finding (kept in {work})", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
