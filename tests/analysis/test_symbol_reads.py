"""What the symbol index reads of a file under the root: a regular file whole, a symlink only
when it leads to a file inside the root, nothing for a missing or dangling path."""

from __future__ import annotations

from pathlib import Path

from planlint.analysis.files import FileIndex
from planlint.analysis.symbols import SymbolIndex


def _index(root: Path, listed: tuple[str, ...]) -> SymbolIndex:
    return SymbolIndex(root, files=FileIndex(root.resolve(), listed), cache=False)


def test_files_and_links_inside_the_root_are_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "a.py").write_text("x = 1\ny = 2\n", encoding="utf-8")
    (tmp_path / "outside.py").write_text("z = 3\n", encoding="utf-8")
    (root / "src" / "link.py").symlink_to("a.py")
    (root / "src" / "out.py").symlink_to(tmp_path / "outside.py")
    (root / "src" / "gone.py").symlink_to("missing.py")
    index = _index(root, ("src/a.py", "src/gone.py", "src/link.py", "src/out.py"))
    assert index.line_count("src/a.py") == 2
    assert index.line_count("src/link.py") == 2
    assert index.line_count("src/out.py") is None  # a link out of the root
    assert index.line_count("src/gone.py") is None  # dangling
    assert index.line_count("src/missing.py") is None


def test_a_listed_link_defines_what_its_target_defines(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "real.py").write_text("def build_prompt():\n    pass\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "alias.py").symlink_to("../lib/real.py")
    index = SymbolIndex(tmp_path, ("src",), files=FileIndex(tmp_path.resolve(), ("lib/real.py", "src/alias.py")))
    assert index.resolve("build_prompt") == "src/alias.py"
