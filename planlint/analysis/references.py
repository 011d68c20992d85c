"""File and symbol references in a task's body (DESIGN.md §2, "File references").

Works on the raw source of the task's blocks, so every reference keeps its exact span. Backticked
text is classified as a path, a directory, a glob, a symbol, a shell command (only writing
commands yield paths), or nothing (URLs, placeholders, versions, task IDs, option flags). Bare
paths in prose count when they contain a folder (`scripts/status-cli.js`); a bare file name in
prose (`status-cli.js`) counts only when the repository has exactly one file of that name,
which keeps `Node.js` and `e.g.` out. Code fences count only when they are shell blocks that
write (`mkdir`, `touch`, `>`, `mv`/`cp` targets, `rm`, `git mv`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from planlint.model import Block, Plan, Span
from planlint.parse.grammar import html_comments

_KNOWN_EXTENSIONS = frozenset(
    """py pyi js mjs cjs ts tsx jsx json jsonc md mdx markdown txt rst yaml yml toml ini cfg conf sh
    bash zsh fish ps1 bat css scss sass less html htm xml svg sql graphql gql proto rs go java kt kts
    swift c h cc cpp hpp cs rb php pl lua r scala ex exs erl hs ml vue svelte lock env csv tsv log
    ipynb dockerfile tf hcl gradle properties plist jinja j2 tmpl tpl template mk cmake""".split()
)
_DOTFILE = re.compile(r"(?:^|/)\.[A-Za-z0-9][\w.-]*$")  # .gitignore, .env, .claude/settings
_LINE_SUFFIX = re.compile(r":(?P<first>\d+)(?:-(?P<last>\d+))?$")
_PLACEHOLDER = re.compile(
    r"[{}<>$]|\.\.\.|X{3,}|YYYY|\bN{2,}\b|(?:^|/)(?:NAME|FILE|FILENAME|PATH|PLAN|TOPIC|FOO|BAR)\."
)
_SYMBOL = re.compile(r"(?P<name>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(?P<call>\([^()]*\))?")
# Letter classes spelled out rather than under re.IGNORECASE, which makes CPython build a
# Unicode case table for each class (three times the compile time, for two patterns every check uses).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(?i:www\.|mailto:)")
_VERSIONISH = re.compile(r"^[vV]?\d+(?:\.\d+)*[A-Za-z]?$")
# A run of backticks, the shortest body, the same run: the pattern starts with its literal
# backtick (the search skips to each one) and reads the body a run at a time, not a character.
_INLINE_CODE = re.compile(r"(`(?<!``)`*+)(?!`)(?P<body>(?:[^`]++|`++)+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK = re.compile(r"\[[^\]\n]*\]\((?P<target>[^()\s]+)(?:\s+\"[^\"]*\")?\)")
# A route segment of a file-system router (Next.js, SvelteKit, Nuxt): `app/api/books/[id]/route.ts`,
# `pages/[...slug].tsx`, `[[...slug]]`: a literal name, neither a glob's class nor a placeholder.
_ROUTE = r"\[\[?(?:\.\.\.)?[A-Za-z_]\w*\]\]?"
_ROUTE_SEGMENT = re.compile(rf"(?<![^/]){_ROUTE}(?=[/.]|$)")
_BARE_PATH = re.compile(
    r"(?<![\w./@:`-])(?P<path>(?:\.{1,2}/)?[\w.-]+(?:/(?:[\w.-]+|" + _ROUTE + r"))*\.[A-Za-z][\w]{0,9}"
    r"(?::\d+(?:-\d+)?)?)(?![\w/`-])"
)
_SHELL_INFOS = frozenset({"", "sh", "bash", "shell", "zsh", "console", "shell-session", "fish"})
_WRITING_COMMANDS = frozenset({"mkdir", "touch", "rm", "rmdir", "mv", "cp", "tee", "ln"})
_COMMANDS = (
    frozenset(
        """node npm npx yarn pnpm python python3 pip pytest git grep rg cat jq ls cd echo curl make
    docker bash sh bun deno tsc eslint ruff mypy black claude sed awk find head tail wc diff sort
    uv poetry go cargo java mvn chmod export source open code vim less kill ps time env xargs
    watch which test""".split()
    )
    | _WRITING_COMMANDS
)


class RefKind(enum.Enum):
    FILE = "file"
    DIRECTORY = "directory"
    GLOB = "glob"
    SYMBOL = "symbol"


class Reference(NamedTuple):
    """A file, directory, glob or symbol named in a task's body."""

    text: str  # as written, without a line suffix
    kind: RefKind
    span: Span
    lines: tuple[int, int] | None = None  # `path:12-40` -> (12, 40); `path:12` -> (12, 12)
    backticked: bool = False
    command_write: bool = False  # the target of a writing shell command
    in_code: bool = False  # found in a shell code fence

    @property
    def is_path(self) -> bool:
        return self.kind is not RefKind.SYMBOL


class PlanReferences:
    """The references of each block of one plan, extracted on first use and kept for the check:
    the conflict model, PL301 and the citations of PL302-PL304 all read the same ones. The rule
    `Context` holds one per check; nothing outlives it."""

    __slots__ = ("_by_block", "_path", "_text", "plan")

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._by_block: dict[Block, tuple[Reference, ...]] = {}
        self._path: Path | None = None  # the file of the last block read, and its text:
        self._text = ""  # blocks come file by file, and comparing paths costs more than reading

    def of(self, block: Block) -> tuple[Reference, ...]:
        found = self._by_block.get(block)
        if found is None:
            path = block.span.path
            if path is not self._path:
                self._path, self._text = path, self.plan.text_of(path)
            found = self._by_block[block] = tuple(extract(self._text, block))
        return found


def references_in(plan: Plan, block: Block) -> tuple[Reference, ...]:
    """The references of one of the plan's blocks, extracted afresh (a check reads them through
    its `PlanReferences`)."""
    return tuple(extract(plan.text_of(block.span.path), block))


def extract(source_text: str, block: Block) -> list[Reference]:
    """Every reference in one block of a task's body, in text order."""
    text = source_text[block.span.start : block.span.end]
    base = block.span.start
    path = block.span.path
    if block.kind == "code":
        if block.info.split(" ", 1)[0].lower() in _SHELL_INFOS:
            return list(_shell_block(text, base, path))
        return []
    # Each pattern runs only when the text holds the characters it needs: most blocks are prose
    # with no code span, no link, and no `.` before a letter (which every bare path holds).
    dot = _DOT_LETTER.search(text)
    if dot is None and "`" not in text and "](" not in text:
        return []
    # HTML comments are invisible in the rendered plan: nothing in them is a reference
    covered = _Covered(len(text))
    for start, end in html_comments(text) if "<!--" in text else ():
        covered.add(start, end)
    found: list[Reference] = []
    for match in _INLINE_CODE.finditer(text) if "`" in text else ():
        if match.start() in covered:
            continue
        covered.add(match.start(), match.end())
        body = match.group("body")
        offset = match.start("body")
        stripped = body.strip()
        offset += body.index(stripped) if stripped else 0
        found.extend(_classify_code(stripped, Span(path, base + offset, base + offset + len(stripped))))
    for match in _LINK.finditer(text) if "](" in text else ():
        if match.start() in covered:
            continue
        covered.add(match.start(), match.end())
        target = match.group("target").split("#", 1)[0]
        ref = _as_path(target, Span(path, base + match.start("target"), base + match.start("target") + len(target)))
        if ref is not None and not _URL.match(target):
            found.append(ref)
    for match in _bare_paths(text, dot, covered) if dot is not None else ():
        if covered.ranges and match.start() in covered:  # most blocks claim nothing
            continue
        ref = _as_path(match.group("path"), Span(path, base + match.start("path"), base + match.end("path")))
        if ref is not None:
            found.append(ref)
    if covered.ranges:  # bare paths came last: only then can the found be out of order
        found.sort(key=lambda r: r.span.start)
    return found


def _bare_paths(text: str, dot: re.Match[str], covered: _Covered) -> Iterator[re.Match[str]]:
    """`_BARE_PATH`'s matches in text, from its first `.` before a letter (`dot`) on, but for
    those whose extension lies in a claimed part (a match that starts outside one cannot run
    into a code span, a link or a comment: its characters hold no backtick, `(` or `<`).

    A bare path holds no whitespace and always its extension's `.x`, so the pattern (tried at
    every character of a whole block, it cost most of the extraction) runs only over the runs of
    characters between spaces or line breaks that hold such a dot; its look-arounds see the same
    characters either way.
    """
    floor = 0  # where the last searched run ended: no dot before it is looked at again
    at = dot.start()
    while True:
        if covered.ranges and at in covered:
            next_at = at + 1  # a code span's own path: the span's reading has it
        else:
            start = max(floor, text.rfind(" ", floor, at) + 1, text.rfind("\n", floor, at) + 1)
            after = _SPACE.search(text, at)
            floor = next_at = after.start() if after is not None else len(text)
            yield from _BARE_PATH.finditer(text, start, floor)
        following = _DOT_LETTER.search(text, next_at)
        if following is None:
            return
        at = following.start()


_DOT_LETTER = re.compile(r"\.[A-Za-z]")
_SPACE = re.compile(r"[ \t\r\n]")


class _Covered:
    """The parts of a block already claimed (comments, code spans, links). A list of ranges for
    the few a block usually has; past a few dozen, a mask of the text, so a line of thousands of
    code spans stays linear."""

    __slots__ = ("length", "mask", "ranges")

    def __init__(self, length: int) -> None:
        self.length = length
        self.ranges: list[tuple[int, int]] = []
        self.mask: bytearray | None = None

    def add(self, start: int, end: int) -> None:
        if self.mask is None:
            self.ranges.append((start, end))
            if len(self.ranges) <= 32:
                return
            self.mask = bytearray(self.length)
            for first, last in self.ranges:
                self.mask[first:last] = b"\x01" * (last - first)
            return
        self.mask[start:end] = b"\x01" * (end - start)

    def __contains__(self, position: int) -> bool:
        if self.mask is not None:
            return bool(self.mask[position])
        return any(start <= position < end for start, end in self.ranges)


def _classify_code(body: str, span: Span) -> list[Reference]:
    """A backticked string: a path, a symbol, a writing command's targets, or nothing."""
    if not body or _URL.match(body) or body.startswith(("-", "@", "#")):
        return []
    if " " in body or "\t" in body:
        first = body.split(None, 1)[0]
        if first in _COMMANDS or first.startswith("./"):
            return _command_targets(body, span.start, span)
        return []
    path_ref = _as_path(body, span, backticked=True)
    if path_ref is not None:
        return [path_ref]
    symbol = _SYMBOL.fullmatch(body)
    named_like_code = symbol and (symbol.group("call") or "." in symbol.group("name") or "_" in symbol.group("name"))
    if named_like_code and not _VERSIONISH.match(body):
        return [Reference(body, RefKind.SYMBOL, span, backticked=True)]
    return []


def _as_path(text: str, span: Span, *, backticked: bool = False) -> Reference | None:
    """A path-like string as a FILE, DIRECTORY or GLOB reference, or None."""
    lines = None
    suffix = _LINE_SUFFIX.search(text) if ":" in text else None
    if suffix:
        first = int(suffix.group("first"))
        last = int(suffix.group("last")) if suffix.group("last") else first
        lines = (first, last)
        text = text[: suffix.start()]
        span = Span(span.path, span.start, span.start + len(text)) if not backticked else span
    literal = _ROUTE_SEGMENT.sub("route", text) if "[" in text else text  # `[id]` is a folder's name
    if not text or _placeholder(literal) or _VERSIONISH.match(text) or ":" in text:
        return None
    if text.startswith("/") and text.count("/") == 1 and "." not in text:
        return None  # a slash command like `/plan:set` or `/architect`
    if text.startswith("./"):
        text = text[2:]
    if "*" in text or "?" in text or "[" in literal:
        return Reference(text, RefKind.GLOB, span, lines, backticked) if "/" in text or "." in text else None
    if text.endswith("/"):
        return Reference(text, RefKind.DIRECTORY, span, lines, backticked) if len(text) > 1 else None
    name = text.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in _KNOWN_EXTENSIONS or _DOTFILE.search(text) or name in {"Makefile", "Dockerfile"}:
        return Reference(text, RefKind.FILE, span, lines, backticked)
    if "/" in text and backticked and not name.isdigit():
        return Reference(text, RefKind.FILE, span, lines, backticked)  # `bin/planlint`, `.claude/commands/x`
    return None


def _placeholder(literal: str) -> bool:
    """`_PLACEHOLDER` found in the text: each of its forms holds a capital letter, `...` or one
    of `{}<>$`, and most paths are lower case (the pattern tries every alternative at every
    character)."""
    plain = literal.islower() and "..." not in literal and "$" not in literal
    if plain and "{" not in literal and "}" not in literal and "<" not in literal and ">" not in literal:
        return False
    return _PLACEHOLDER.search(literal) is not None


def _command_targets(command: str, base: int, span: Span, *, in_code: bool = False) -> list[Reference]:
    """The paths a shell command writes (nothing for commands that only read)."""
    if not _may_write(command):
        return []
    import shlex  # here: most plans hold no shell command that writes a file

    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return []
    targets: list[str] = []
    for index, word in enumerate(words):
        if word in (">", ">>", "tee") and index + 1 < len(words):
            targets.append(words[index + 1])
        elif word.startswith(">") and len(word) > 1 and word[1] != "&":
            targets.append(word.lstrip(">"))
    head = words[0] if words else ""
    args = [w for w in words[1:] if not w.startswith("-") and w not in (">", ">>")]
    if (head == "git" and args[:1] == ["mv"] and len(args) >= 3) or (head in ("mv", "cp", "ln") and len(args) >= 2):
        targets.append(args[-1])
    elif head in ("mkdir", "touch", "rm", "rmdir"):
        targets.extend(args)
    refs = []
    for target in targets:
        position = command.find(target)
        start = span.start + position if position >= 0 else span.start
        ref = _as_path(target, Span(span.path, start, start + len(target)), backticked=True)
        if ref is None and head in ("mkdir", "rmdir") and "/" not in target and target.isidentifier():
            ref = Reference(target + "/", RefKind.DIRECTORY, Span(span.path, start, start + len(target)))
        elif ref is not None and head in ("mkdir", "rmdir") and ref.kind is RefKind.FILE:
            ref = Reference(ref.text.rstrip("/") + "/", RefKind.DIRECTORY, ref.span)
        if ref is not None:
            refs.append(Reference(ref.text, ref.kind, ref.span, ref.lines, True, True, in_code))
    return refs


def _may_write(command: str) -> bool:
    """Cheap pre-check before shlex: only a redirection, `tee`, `git mv` or a writing command
    (`mkdir`, `mv`, ...) at the head can give a target."""
    if ">" in command or "tee" in command:
        return True
    head = command.split(None, 1)[0].strip("'\"") if command.strip() else ""
    return head == "git" or head in _WRITING_COMMANDS


def _shell_block(text: str, base: int, path: Path) -> Iterator[Reference]:
    """Writing commands in a shell code fence, line by line (fence lines excluded)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not stripped.startswith(("```", "~~~", "#")):
            command = stripped.lstrip("$ ").strip()
            start = base + offset + line.index(command[0]) if command else base + offset
            span = Span(path, start, start + len(command))
            yield from _command_targets(command, start, span, in_code=True)
        offset += len(line)
