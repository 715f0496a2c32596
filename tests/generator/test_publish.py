"""Publishing details that no build output shows directly: reproducible PDF bytes; the
offline edition's working folder and the cache folder never take authored files."""

from __future__ import annotations

import re
from types import SimpleNamespace

from microsite.problems import Problems
from microsite.publish.editions import MARKER, Publisher
from microsite.publish.pdf import reproducible_pdf
from microsite.settings import MicrositeSettings, check_cache_dir

EPOCH = 1600000000      # 2020-09-13 12:26:40 UTC


def _pdf(node_ids, date=b"20261202101010+00'00'"):
    nodes = b" ".join(b"<< /T (node%s) >>" % n for n in node_ids)
    return (b"%PDF-1.4\n1 0 obj << /CreationDate (D:" + date + b") /ModDate (D:" + date + b") >> endobj\n"
            + nodes + b"\ntrailer << /ID [<0123456789ABCDEF> <FEDCBA9876543210>] >>\n")


def test_dates_become_the_build_epoch():
    out = reproducible_pdf(_pdf([b"7"]), EPOCH)
    assert re.findall(rb"\(D:(\d{14})", out) == [b"20200913122640", b"20200913122640"]


def test_structure_ids_are_renumbered_in_order_of_appearance_keeping_every_offset():
    first = _pdf([b"4821", b"4822", b"4821", b"90", b"4830"])
    second = _pdf([b"9930", b"9931", b"9930", b"13", b"1002"])     # the same structure, other DOM ids
    out_first, out_second = reproducible_pdf(first, EPOCH), reproducible_pdf(second, EPOCH)
    assert out_first == out_second
    assert re.findall(rb"\(node(\d+)\)", out_first) == [b"0001", b"0002", b"0001", b"01", b"0003"]
    assert len(out_first) == len(first)          # no byte offset of the xref table moves


def test_the_name_tree_of_the_ids_is_sorted_by_the_new_ids():
    """Chromium's name tree lists the ids sorted by its DOM numbers, which vary between builds
    while the structure does not: after renumbering, the leaf is sorted by the new ids, so two
    builds give the same bytes (found as a flake of the real site's two-build test) and /Limits
    hold the least and the greatest key."""
    def with_tree(ids: list[bytes], refs: list[bytes]) -> bytes:
        keys = sorted(zip(ids, refs))                # as Chromium writes it: by its own numbers
        tree = (b"/Limits [ (node" + keys[0][0] + b") (node" + keys[-1][0] + b") ]\n/Names [ "
                + b"".join(b"(node" + key + b") " + ref + b" 0 R " for key, ref in keys) + b"]")
        return _pdf(ids) + tree + b"\n"
    refs = [b"214", b"1216", b"218"]
    first = reproducible_pdf(with_tree([b"00000730", b"00000741", b"00000752"], refs), EPOCH)
    second = reproducible_pdf(with_tree([b"00000761", b"00000712", b"00000723"], refs), EPOCH)
    assert first == second
    assert first.endswith(b"/Limits [ (node00000001) (node00000003) ]\n/Names [ (node00000001) 214 0 R "
                          b"(node00000002) 1216 0 R (node00000003) 218 0 R ]\n")
    assert len(second) == len(with_tree([b"00000761", b"00000712", b"00000723"], refs))


def test_a_small_id_after_many_wide_ones_still_fits():
    ids = [str(1000 + n).encode() for n in range(15)] + [b"5"]
    out = reproducible_pdf(_pdf(ids), EPOCH)
    assert len(out) == len(_pdf(ids))
    assert re.findall(rb"\(node(\d+)\)", out)[-1] == b"1"


def test_the_file_identifier_depends_on_the_content_only():
    one = reproducible_pdf(_pdf([b"1"]), EPOCH)
    again = reproducible_pdf(_pdf([b"1"], date=b"20301111000000+00'00'"), EPOCH)
    other = reproducible_pdf(_pdf([b"1", b"2"]), EPOCH)
    identifier = re.compile(rb"/ID \[<([0-9A-F]+)> <([0-9A-F]+)>\]")
    assert identifier.search(one).group(1) == identifier.search(again).group(1)
    assert identifier.search(one).group(1) != identifier.search(other).group(1)
    assert identifier.search(one).group(1) != b"0123456789ABCDEF"


# -- the offline edition's working folder ------------------------------------------------------

def _publisher(cache):
    context = SimpleNamespace(problems=Problems(), option_place=lambda *path: ("mkdocs.yml", 7))
    publisher = Publisher(context)
    publisher.output_dir = str(cache / "offline")
    return publisher


def test_a_working_folder_the_generator_did_not_make_is_left_alone(tmp_path):
    (tmp_path / "offline").mkdir()
    (tmp_path / "offline" / "keep.md").write_text("authored", encoding="utf-8")
    publisher = _publisher(tmp_path)
    assert publisher._clear_output_dir() is False and publisher.refused
    assert (tmp_path / "offline" / "keep.md").read_text(encoding="utf-8") == "authored"
    assert [str(p) for p in publisher.context.problems.found] == [
        f"mkdocs.yml:7: {tmp_path}/offline was not made by the generator, which builds the offline edition in it; "
        "it is left as it is, and no offline edition or PDFs are made. Move that folder away, or set `cache_dir` "
        "to a folder of the generator's own"]


def test_the_generators_own_working_folder_is_emptied_and_marked(tmp_path):
    for files in ({MARKER: "", "site/index.html": "", "notes.txt": ""},      # marked: ours, whatever it holds
                  {"build.log": "", "manifest.json": "{}", "site/index.html": "", "x-offline.zip": ""}):  # earlier
        for name, text in files.items():
            (tmp_path / "offline" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "offline" / name).write_text(text, encoding="utf-8")
        publisher = _publisher(tmp_path)
        assert publisher._clear_output_dir() is True and not publisher.context.problems.found
        assert sorted(p.name for p in (tmp_path / "offline").iterdir()) == [MARKER]


def test_a_file_beside_an_earlier_versions_files_keeps_the_folder(tmp_path):
    for name in ("build.log", "keep.md"):
        (tmp_path / "offline").mkdir(exist_ok=True)
        (tmp_path / "offline" / name).write_text("x", encoding="utf-8")
    assert _publisher(tmp_path)._clear_output_dir() is False
    assert (tmp_path / "offline" / "keep.md").is_file()


# -- cache_dir ------------------------------------------------------------------------------

def _checked(tmp_path, cache_dir, docs_dir="docs", site_dir="site", bib_dir="bib"):
    (tmp_path / "mkdocs.yml").write_text(f"extra:\n  microsite:\n    cache_dir: '{cache_dir}'\n", encoding="utf-8")
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), docs_dir=str(tmp_path / docs_dir),
                             site_dir=str(tmp_path / site_dir))
    settings = MicrositeSettings(config_file_path=config.config_file_path)
    settings.load_dict({"cache_dir": cache_dir, "bib_dir": bib_dir})
    settings.validate()
    problems = Problems()
    check_cache_dir(config, settings, problems.report)
    return settings.cache_dir, [p.message for p in problems.found]


def test_cache_dir_apart_from_the_projects_folders(tmp_path):
    assert _checked(tmp_path, ".cache/microsite") == (".cache/microsite", [])
    assert _checked(tmp_path, str(tmp_path.parent / "elsewhere")) == (str(tmp_path.parent / "elsewhere"), [])
    for written, relation in (("site", "is site_dir (`site`)"), ("site/cache", "is inside site_dir (`site`)"),
                              ("docs/x/..", "is docs_dir (`docs`)"), ("docs/assets", "is inside docs_dir (`docs`)"),
                              ("..", "holds docs_dir (`docs`)"), ("./", "is the project's folder (that of mkdocs.yml)"),
                              ("bib/cache", "is inside the bib folder (`bib`)")):
        used, messages = _checked(tmp_path, written)
        assert used == ".cache/microsite"
        assert messages == [f"extra.microsite.cache_dir: '{written}' {relation}: the build would write its caches "
                            "there and clear a folder in it"], written


def test_cache_dir_falls_back_outside_the_project_when_the_default_is_taken_too(tmp_path):
    used, messages = _checked(tmp_path, "bib", docs_dir=".cache")
    assert messages and not used.startswith(str(tmp_path)) and "microsite-cache-" in used


def test_a_working_folder_that_cannot_be_made_is_reported(tmp_path):
    (tmp_path / "cache").write_text("a file, not a folder", encoding="utf-8")
    publisher = _publisher(tmp_path / "cache")
    assert publisher._clear_output_dir() is False and publisher.refused
    assert [str(p) for p in publisher.context.problems.found] == [
        f"mkdocs.yml:7: the offline edition's working folder {tmp_path}/cache/offline cannot be made (Not a "
        "directory); no offline edition or PDFs are made. Check that the folder can be written, or set `cache_dir` "
        "to a folder that can"]
