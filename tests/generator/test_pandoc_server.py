"""pandoc servers (`model/pandoc_server.py`): one process for job after job, each
record read once while its text stays the same, a new process when one has ended,
none left when a build's formatting is done. Invented test records."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from microsite.model import citeproc, pandoc_server
from microsite.model.citeproc import Document, read_style, render

STYLE = Path(__file__).resolve().parents[2] / "hooks" / "microsite" / "model" / "styles" / "chicago-author-date.csl"


def record(key: str, title: str) -> str:
    return f"@book{{{key}, author = {{Roe, Rachel}}, title = {{{title}}}, publisher = {{Example Press}}, year = {{2020}}}}\n"


@pytest.fixture
def jobs(monkeypatch):
    """What each job's pandoc reported: records read, and the server's process id."""
    seen = []
    run = citeproc._run_pandoc

    def spying(job, locale):
        output = run(job, locale)
        servers = [server for server in pandoc_server._all]
        seen.append((output["read"], {server.process.pid for server in servers}))
        return output
    pandoc_server.close_idle()
    monkeypatch.setattr(citeproc, "_run_pandoc", spying)
    yield seen
    pandoc_server.close_idle()


def titles(rendered) -> list[str]:
    return [reference.html for reference in rendered.references]


def test_a_server_reads_each_record_once_and_again_when_its_text_changes(jobs):
    style = read_style(str(STYLE))
    records = {"a": record("a", "First Title"), "b": record("b", "Second Title")}
    first = render([Document("p", ("[@a]", "[@b]"))], records, style)["p"]
    again = render([Document("q", ("[@b]", "[@a]"))], records, style)["q"]
    assert [count for count, _ in jobs] == [2, 0]           # the second job read nothing
    assert titles(first) == titles(again)
    changed = dict(records, a=record("a", "Changed Title"))
    rendered = render([Document("r", ("[@a]",))], changed, style)["r"]
    assert jobs[-1][0] == 1 and "Changed Title" in titles(rendered)[0]
    assert len({pid for _, pids in jobs for pid in pids}) == 1       # one process served all three


def test_a_server_that_ended_while_idle_is_replaced(jobs):
    style = read_style(str(STYLE))
    records = {"a": record("a", "First Title")}
    render([Document("p", ("[@a]",))], records, style)
    (idle,) = [server for servers in pandoc_server._idle.values() for server in servers]
    idle.process.kill()
    idle.process.wait()
    rendered = render([Document("p", ("[@a]",))], records, style)["p"]
    assert "First Title" in titles(rendered)[0]
    assert idle not in pandoc_server._all and not os.path.exists(idle.folder)


def test_a_job_the_script_cannot_run_is_an_error_and_its_server_is_ended():
    pandoc_server.close_idle()
    with pytest.raises(pandoc_server.ServerError, match="pandoc failed: .*"):
        with pandoc_server.server(citeproc.pandoc_path(), citeproc.LUA_SCRIPT, "en-US") as server:
            server.run(b"{ not json")
    assert server.process.poll() is not None and not pandoc_server._all


def test_formatting_leaves_no_server_running(tmp_path):
    """A build's formatting ends its servers: each holds ~150 MB of pandoc."""
    from microsite.model.formatting import DocumentFormatter, Request, reference_anchor

    style = read_style(str(STYLE))
    records = {"a": record("a", "First Title"), "b": record("b", "Second Title")}
    formatter = DocumentFormatter(style, None, str(tmp_path), reference_anchor)
    requests = [Request(Document(name, (f"[@{name}]",)), (name,)) for name in records]
    outcome = formatter.format_now(requests, records.get)
    assert set(outcome.rendered) == {"a", "b"} and not outcome.problems
    assert not pandoc_server._all


@pytest.fixture
def started(monkeypatch):
    """The environment each new server was started with (the servers run for real)."""
    environments = []
    popen = pandoc_server.subprocess.Popen

    def spying(command, *args, **kwargs):
        environments.append(kwargs.get("env"))
        return popen(command, *args, **kwargs)
    monkeypatch.setattr(pandoc_server.subprocess, "Popen", spying)
    pandoc_server.close_idle()
    yield environments
    pandoc_server.close_idle()


def test_a_server_runs_with_a_lean_heap_unless_the_user_chose_runtime_options(started, monkeypatch):
    """pandoc's own -H64m grows a server that lives for a whole build; the server
    asks for no suggested heap and a compacting old generation, unless $GHCRTS is set."""
    style = read_style(str(STYLE))
    records = {"a": record("a", "First Title")}
    monkeypatch.delenv("GHCRTS", raising=False)
    assert "First Title" in titles(render([Document("p", ("[@a]",))], records, style)["p"])[0]
    pandoc_server.close_idle()
    monkeypatch.setenv("GHCRTS", "-A8m")
    assert "First Title" in titles(render([Document("q", ("[@a]",))], records, style)["q"])[0]
    assert [environment.get("GHCRTS") for environment in started] == [pandoc_server.LEAN_HEAP, "-A8m"]


def test_a_pandoc_that_takes_no_runtime_options_is_not_given_any(tmp_path, monkeypatch):
    """A pandoc built without -rtsopts warns about $GHCRTS on stderr, which a
    server shows the author: such a pandoc runs with the environment as it is."""
    monkeypatch.delenv("GHCRTS", raising=False)
    strict = tmp_path / "pandoc"
    strict.write_text('#!/bin/sh\n[ -n "$GHCRTS" ] && echo "pandoc: Warning: Ignoring GHCRTS variable" >&2\n'
                      f'exec "{citeproc.pandoc_path()}" "$@"\n', encoding="utf-8")
    strict.chmod(0o755)
    assert "GHCRTS" not in pandoc_server.server_environment(str(strict), "en-US")
    assert pandoc_server.server_environment(citeproc.pandoc_path(), "en-US")["GHCRTS"] == pandoc_server.LEAN_HEAP
