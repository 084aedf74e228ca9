"""ProvisionRef: what lawyers type, parsed and printed back in the canonical form."""

from __future__ import annotations

import pytest

from kb.refs import ProvisionRef, RefError, normalise_number, path_string, split_path

CASES = [
    # typed                                   act             kind       labels                               canonical
    ("s.14(1)(j-1)", None, "section", ("14", "1", "j-1"), "s.14(1)(j-1)"),
    ("section 14 (1) (j-1)", None, "section", ("14", "1", "j-1"), "s.14(1)(j-1)"),
    ("Art. 243F(1)(a)", None, "article", ("243F", "1", "a"), "Art.243F(1)(a)"),
    ("243-K", None, "article", ("243K",), "Art.243K"),
    ("Art 243ZA", None, "article", ("243ZA",), "Art.243ZA"),
    ("RPA 1950 s 19", "RPA 1950", "section", ("19",), "RPA 1950 s.19"),
    ("MH VPA 1959 s.14(1)(j-1)", "MH VPA 1959", "section", ("14", "1", "j-1"), "MH VPA 1959 s.14(1)(j-1)"),
    (
        "MH-VPA-1959 s.14(1), second proviso",
        "MH-VPA-1959",
        "section",
        ("14", "1", "proviso 2"),
        "MH-VPA-1959 s.14(1) proviso 2",
    ),
    ("art.243F(1)(a) proviso", None, "article", ("243F", "1", "a", "proviso 1"), "Art.243F(1)(a) proviso 1"),
    ("s.14 Explanation I", None, "section", ("14", "Explanation 1"), "s.14 Explanation 1"),
    ("s.14, Explanation", None, "section", ("14", "Explanation"), "s.14 Explanation"),
    ("s.10-1A", None, "section", ("10-1A",), "s.10-1A"),
    ("s.30A-1A(2)", None, "section", ("30A-1A", "2"), "s.30A-1A(2)"),
    ("s.13(2A)", None, "section", ("13", "2A"), "s.13(2A)"),
    ("UP-PRA-1947 s.5-A", "UP-PRA-1947", "section", ("5-A",), "UP-PRA-1947 s.5-A"),
    ("IN-RER-1960 r.4", "IN-RER-1960", "rule", ("4",), "IN-RER-1960 r.4"),
    ("s. 14(1)(j-1) proviso 2 (a)", None, "section", ("14", "1", "j-1", "proviso 2", "a"), "s.14(1)(j-1) proviso 2(a)"),
    ("s.14(1)(J-1)", None, "section", ("14", "1", "j-1"), "s.14(1)(j-1)"),
]


@pytest.mark.parametrize("typed, act, kind, labels, canonical", CASES)
def test_parse_and_print(typed, act, kind, labels, canonical):
    ref = ProvisionRef.parse(typed)
    assert (ref.act, ref.kind, ref.labels) == (act, kind, labels)
    assert str(ref) == canonical
    assert ProvisionRef.parse(str(ref)) == ref  # the canonical form round-trips


@pytest.mark.parametrize("bad", ["", "   ", "hello", "RPA 1950", "s.", "two children", "s.14 (1) footnote"])
def test_rejects_what_is_not_a_reference(bad):
    with pytest.raises(RefError):
        ProvisionRef.parse(bad)


def test_paths_round_trip():
    labels = ("14", "1", "j-1", "proviso 2", "a")
    assert path_string(labels) == "14(1)(j-1) proviso 2(a)"
    assert split_path(path_string(labels)) == labels


def test_parent_climbs_one_level():
    ref = ProvisionRef.parse("MH-VPA-1959 s.14(1)(j-1)")
    assert str(ref.parent()) == "MH-VPA-1959 s.14(1)"
    assert ProvisionRef.parse("s.14").parent() is None


@pytest.mark.parametrize("a, b", [("5-A", "5A"), ("243-ZA", "243ZA"), ("14b", "14B")])
def test_loose_numbers(a, b):
    assert normalise_number(a) == normalise_number(b)
