"""SourceText positions and decoding: what every diagnostic's line and column rest on."""

from __future__ import annotations

import codecs

import pytest

from planlint.errors import InputError
from planlint.io import decode_source, read_source
from planlint.text import SourceText, detect_newline


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_count_from_one_for_every_newline_style(newline: str) -> None:
    text = newline.join(["ab", "", "cdé"]) + newline
    source = SourceText.from_text(text)
    assert source.newline == newline
    assert source.line_count == 3
    offset = text.index("é")
    assert source.position(offset) == (3, 3)
    assert source.offset(3, 3) == offset
    assert source.line_text(3) == "cdé"
    assert source.position(len(text)) == (3, 4 + len(newline))


def test_detect_newline_prefers_the_majority() -> None:
    assert detect_newline("a\r\nb\r\nc\n") == "\r\n"
    assert detect_newline("a\nb\nc\r\n") == "\n"
    assert detect_newline("no newline") == "\n"


def test_bom_is_removed_and_remembered() -> None:
    source = decode_source(codecs.BOM_UTF8 + b"# Plan\n", "p.md")
    assert source.bom and source.text == "# Plan\n"
    assert not decode_source(b"# Plan\n", "p.md").bom


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(InputError) as info:
        decode_source(b"ok\nstill ok\nbad \xff byte\n", "p.md")
    assert info.value.line == 3
    assert str(info.value).startswith("p.md:3: error: not valid UTF-8")


def test_binary_data_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_source(b"\x00\x01\x02", "p.bin")


def test_missing_file_directory_and_size_limit(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.md")
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="more than the 1,024"):
        read_source(big, max_bytes=1024)


@pytest.mark.parametrize("text", ["", "a", "a\n", "\n", "\n\n", "ab\ncd", "ab\ncd\n", "x\n\ny\n\n", "é\n\u2028z\n"])
def test_the_line_table_of_lf_text_is_the_one_the_general_scan_builds(text: str) -> None:
    # from_text takes the lengths of a `\r`-free text's lines instead of scanning its breaks
    from planlint.text import _lf_line_table, _line_table

    assert _lf_line_table(text) == _line_table(text)
    source = SourceText.from_text(text)
    assert [source.line_bounds(n) for n in range(source.line_count + 2)] == [
        (source.line_starts[max(n, 1) - 1], source.line_ends[max(n, 1) - 1]) if n <= source.line_count
        else (len(text), len(text))
        for n in range(source.line_count + 2)
    ]  # fmt: skip
