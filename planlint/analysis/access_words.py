"""The words the access-mode reader knows: the default verb lists (which the config's
`[tool.planlint.access]` extends), and the prepositions, nouns and markers that decide a clause."""

from __future__ import annotations

import re

WRITE_VERBS = frozenset(
    """create add update modify edit delete remove rename move refactor fix implement write append
    document change replace extend insert patch rewrite migrate convert wire integrate register
    introduce define build generate scaffold initialize initialise set configure adjust rework
    restructure split merge extract consolidate deprecate drop clean cleanup enhance improve
    support handle apply port upgrade bump record store save log emit persist populate
    reorganize reorganise standardize standardise normalize normalise simplify harden expose
    mark replace annotate comment enable disable backfill sync seed refresh regenerate rebuild toggle
    sort prune rotate archive purge reformat format""".split()
)
READ_VERBS = frozenset(
    """read review check verify grep test analyze analyse compare see inspect audit examine study
    consult use call invoke import run execute parse scan search validate
    understand investigate identify list query inventory explore trace confirm ensure measure
    benchmark profile count lint mirror follow reuse copy map catalog catalogue""".split()
)
CREATE_VERBS = frozenset("create scaffold initialize initialise new touch mkdir".split())
# Verbs that only a program does: their object is opened when the built code runs, not by the task.
RUNTIME_VERBS = frozenset("load reload fetch poll watch deserialize deserialise unmarshal subscribe".split())
# What a task builds that then acts on files itself: "a tool to update `x`", "a hook that writes `x`".
PROGRAM_NOUNS = frozenset(
    """tool script command subcommand cli utility helper function method hook job cron daemon service
    worker migration generator watcher handler endpoint route middleware action linter validator loader dag macro
    parser reader writer wrapper module class component plugin workflow pipeline program binary step stage
    check installer""".split()
)
NOUN_PHRASE = 6  # words between a build verb and its program noun: "Create a settings upgrade tool"
RELATIVE_LINKS = frozenset({"to", "that", "which"})  # "a tool to update x", "a hook that updates x"
MODALS = frozenset({"will", "can", "should", "would", "must", "may"})
CLAUSE_LINKS = RELATIVE_LINKS | MODALS
LOCATIONS = frozenset({"in", "inside", "within", "under"})  # where code goes: "a helper in `y.py`"
# After "to" or "that", words that start no verb phrase: "a tool to the `x`", "a hook that the ...".
NOT_VERBS = frozenset(
    "the a an this that these those each every all any its their our your his her it them which".split()
)
CODE_EXTENSIONS = (
    ".py",
    ".pyi",
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".ts",
    ".tsx",
    ".rs",
    ".go",
    ".rb",
    ".java",
    ".kt",
    ".swift",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".hpp",
    ".cs",
    ".php",
    ".sh",
    ".bash",
    ".zsh",
    ".ps1",
    ".lua",
    ".ex",
    ".exs",
    ".scala",
    ".sql",
    ".tf",
    ".vue",
    ".svelte",
)
# What a verb does to whether the file exists (PL301): these bring new content into being, so the
# file they write need not exist yet; these take it away; these put it somewhere else ("Move `a`
# to `b`": b is created).
INTRODUCING_VERBS = frozenset("add create implement introduce define write generate scaffold build new declare".split())
PRODUCING_VERBS = INTRODUCING_VERBS | frozenset(
    "document design draft record produce output save export store log emit persist initialize touch mkdir".split()
)
DELETING_VERBS = frozenset("delete remove drop rm rmdir deprecate archive".split())
RENAMING_VERBS = frozenset("rename move extract split convert refactor migrate port copy mv cp".split())
OUTPUT_VERBS = frozenset("generate produce output emit".split())
MENTION_VERBS = frozenset("reference link mention cite".split())  # "to reference `x`": x is only named
DOC_VERBS = frozenset("document describe explain".split())  # write only into documentation
DOC_EXTENSIONS = (".md", ".mdx", ".rst", ".txt", ".adoc", ".html")
MENTION_WORDS = frozenset({"match", "matches", "matching"})  # "Match `src/`, `tests/` paths": examples
EXAMPLE_MARKERS = ("e.g.", "eg.", "such as", "for example", "for instance", "i.e.")
MENTION_PREPOSITIONS = {("link", "to"), ("links", "to"), ("point", "to"), ("points", "to"), ("refer", "to"),
                         ("refers", "to"), ("reference", "to"), ("references", "to"), ("pointer", "to")}  # fmt: skip
RESULT_WORDS = frozenset({"failure", "failures", "fails", "failing", "errors", "logs", "output"})
READ_PREPOSITIONS = frozenset({"with", "via", "than", "like", "per"})
READ_CONTEXT = frozenset({"following", "mirroring", "matching"})
# "tools installed by `x`": the file does the installing; the task changes something else.
DONE_BY = frozenset(
    """installed created generated written produced stored used called imported loaded read owned managed
    provided exported defined declared emitted returned""".split()
)
TARGET_PREPOSITIONS = frozenset({"to", "into", "onto", "in", "inside", "within", "under", "at"})
FROM_WRITES = frozenset("remove delete drop strip extract move cut erase purge eliminate prune split migrate".split())
TRANSFER_VERBS = frozenset("copy import port move migrate merge inline paste mirror reuse".split())
NEGATIONS = frozenset({"not", "never", "don't", "dont", "without"})
RELATIONAL_NOUNS = frozenset(
    """backup backups snapshot snapshots callers caller users user consumers consumer importers dependents clients
    invocations usages uses references imports exports readers output outputs contents content copy version tests test
    docs documentation examples fixtures mocks stubs calls links pointers""".split()
)
IMPERATIVE_AFTER = frozenset(
    {"to", "and", "then", "or", "also", "first", "finally", "please", "must", "should", "not", "never", "don't"}
)
OTHER_VERBS = (
    RUNTIME_VERBS | OUTPUT_VERBS | MENTION_VERBS | CREATE_VERBS | PRODUCING_VERBS | DELETING_VERBS | RENAMING_VERBS
)
CLAUSE_BREAK = re.compile(r"[.;!?](?=\s|$)|[\r\n]|:\s|—|–| - ")  # lines end in \n, \r\n or \r
WORD = re.compile(r"`[^`]*`|[A-Za-z][A-Za-z'-]*|[,(]")
HINT = re.compile(r"\((?P<mode>reads?|writes?|creates?)\s*:", re.IGNORECASE)
LABEL = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:[-*+][ \t]+)?\**"
    r"(?P<label>files|new files?|new|modifies|modified|writes|reads|read-only|creates|location|target|where|path"
    r"|(?:set )?(?:output )?artifacts|outputs?)\**:",
    re.IGNORECASE,
)
WINDOW = 1000  # characters before a reference that may hold its verb, hint or label
