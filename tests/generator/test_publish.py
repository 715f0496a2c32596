"""Publishing details that no build output shows directly: reproducible PDF bytes."""

from __future__ import annotations

import re

from microsite.publish.pdf import reproducible_pdf

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
