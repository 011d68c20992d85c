"""Which plan format a file is written in (DESIGN.md §7), from its content alone.

One module per dialect under this package turns text into the same `Plan`; this module only
names them and guesses which one a file uses, from markers a few lines decide: GSD's front
matter (`wave:`, `files_modified:`), spec-kit's `T001` task IDs, Kiro's `- [ ] 1.` major tasks
numbered across the file, a `### Task N:` heading with a `**Files:**` block. Anything else is
`phased`, the default grammar of DESIGN.md §2, so a phased plan costs one scan of three small
patterns and nothing more. A config can override the guess
per glob (`planlint.config.dialects`).
"""

from __future__ import annotations

import re

from planlint.model import DIALECTS as DIALECTS

PHASED = "phased"
SPEC_KIT = "spec-kit"
KIRO = "kiro"
FILES_BLOCK = "files-block"
GSD = "gsd"

# `- [ ] T001 ...`, `- [x] **T014** ...`, `- **T001** [P]: ...`, `### T014: Title`: spec-kit's task IDs.
_SPEC_KIT_TASK = re.compile(
    r"\n(?:[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+\**T\d{2,4}[a-z]?\b|\*\*T\d{2,4}[a-z]?\*\*)"
    r"|#{2,6}[ \t]+\**T\d{2,4}[a-z]?\**[:.]?[ \t])"
)
# `- [ ] 1. Title`: a Kiro / cc-sdd major task (a number, a dot, no second number).
_KIRO_MAJOR = re.compile(r"\n[-*+][ \t]+\[[ xX]\][ \t]+\**\d+\.\**[ \t]+\S")
# `- [ ] 1.1 Title` or `- [ ] 2 (P) Title` with Kiro's own annotations somewhere in the file.
_KIRO_ANNOTATION = re.compile(r"_(?:Requirements|Depends|Boundary):", re.IGNORECASE)
# `### Task 3: Title` (or `Task 3.2`) headings; `**Files:**` / `**File:**` blocks.
_TASK_HEADING = re.compile(r"\n#{2,6}[ \t]+Task[ \t]+\d+(?:\.\d+)?\b", re.IGNORECASE)
_FILES_LABEL = re.compile(r"\n[ \t]*(?:[-*+][ \t]+)?\*\*Files?:?\*\*:?", re.IGNORECASE)
# A phased task line: `- [ ] 3.2 ...` under a phase heading.
_PHASED_TASK = re.compile(r"\n[ \t]*[-*+][ \t]+\[[ xX]\][ \t]+\**\d+\.\d+")
_PHASE_HEADING = re.compile(r"\n#{1,6}[ \t]+\**Phase[ \t]+\d", re.IGNORECASE)


# GSD's front matter keys (the file opens with `---`): a wave and what the plan modifies.
_GSD_KEYS = re.compile(r"^(?:wave|depends_on|files_modified)[ \t]*:", re.MULTILINE)


def detect(text: str) -> str:
    """The dialect a plan's text is written in; `phased` when nothing else fits."""
    if text.startswith("---") and _is_gsd(text):
        return GSD
    # The line patterns above start with the line break before their line (`\n` where `^` with
    # re.MULTILINE would be): searched in the text behind a `\n` of its own, they find the same
    # lines, skipping from one line break to the next rather than trying every offset.
    lines = "\n" + text
    if _SPEC_KIT_TASK.search(lines):
        return SPEC_KIT
    if _TASK_HEADING.search(lines) and _FILES_LABEL.search(lines):
        return FILES_BLOCK
    # Kiro: numbered across the file, with its annotations or sub-tasks; a bare numbered checklist
    # (`- [ ] 1. Install`, a README's) stays an index file, and a phased plan keeps its phases
    annotated = _KIRO_ANNOTATION.search(text) is not None
    if annotated or _KIRO_MAJOR.search(lines):
        has_major, has_sub = _KIRO_MAJOR.search(lines) is not None, _PHASED_TASK.search(lines) is not None
        if (has_major or has_sub) and (annotated or (has_major and has_sub)) and not _PHASE_HEADING.search(lines):
            return KIRO
        if has_major and annotated:
            return KIRO
    return PHASED


def _is_gsd(text: str) -> bool:
    """Front matter that names at least two of `wave`, `depends_on`, `files_modified`."""
    close = text.find("\n---", 3)
    head = text[: close if close >= 0 else 4000]
    return len({match.group().split(":")[0].strip() for match in _GSD_KEYS.finditer(head)}) >= 2


def known(name: str) -> bool:
    return name in DIALECTS
