"""A reader of the built-in receptionist's conversation scripts (tests/unit/rx/*.conv,
format: tests/unit/rx/README.md), for the integration tests that replay them through a
whole stack. It keeps what a replay needs: per conversation the business and the call's
local time, the caller's words, and per turn the tool calls it expects (with their
arguments) and the results the unit runner pretends came back. Checks of the replies
(`has`, `memory ...`) belong to the unit runner and are kept only as raw lines."""
import glob
import os

import harness

RX_DIR = os.path.join(harness.ROOT, "tests", "unit", "rx")
EXAMPLE_FILES = {"dental": "dental-clinic", "salon": "hair-salon", "plumber": "plumber"}
DEFAULT_CALLER = "+12015550177"

# the checks that describe a tool call's arguments, by the tool call's field they name
ARG_CHECKS = {"service": "service", "day": "day", "time": "time", "name": "name",
              "number": "number", "message": "message"}


def business_file(key):
    """The configuration file a `call <key> ...` line names."""
    if key in EXAMPLE_FILES:
        return os.path.join(harness.ROOT, "docs", "examples", EXAMPLE_FILES[key] + ".json")
    return os.path.join(RX_DIR, "businesses", key + ".json")


class ToolCall:
    """One tool call a turn expects: its name, the arguments its checks name, the
    fragments its message must hold, and the result lines that follow it."""

    def __init__(self, name):
        self.name = name
        self.args = {}
        self.message_has = []
        self.results = []
        self.move = False

    def __repr__(self):
        return f"ToolCall({self.name}, {self.args}, has={self.message_has}, results={self.results})"


class Turn:
    """greet, say <words> or silence <n>, with the tool calls its checks expect."""

    def __init__(self, kind, words=""):
        self.kind, self.words = kind, words
        self.tools = []
        self.checks = []           # every check line, raw (negated ones included)
        self.no_tool = False       # `tool none`

    def __repr__(self):
        return f"Turn({self.kind} {self.words!r}, tools={self.tools})"


class Conversation:
    def __init__(self, title, path, line):
        self.title, self.path, self.line = title, path, line
        self.calls = []            # [(business key, 'YYYY-MM-DD HH:MM')]
        self.caller = DEFAULT_CALLER
        self.fallback = None
        self.family = None
        self.gaps = []
        self.edits = []
        self.turns = []
        self.problems = []         # lines this reader could not place

    @property
    def business(self):
        return self.calls[0][0] if self.calls else None

    @property
    def local_time(self):
        return self.calls[0][1] if self.calls else None

    @property
    def says(self):
        return [t.words for t in self.turns if t.kind == "say"]

    def tool_calls(self):
        return [c for t in self.turns for c in t.tools]

    def where(self):
        return f"{os.path.relpath(self.path, harness.ROOT)}:{self.line}"

    def __repr__(self):
        return f"Conversation({self.title!r} at {self.where()})"


def _unquote(v):
    return "" if v == '""' else v


def read(path):
    """The conversations of one .conv file, in order."""
    convs = []
    conv = None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            rest = rest.strip()
            if word == "test":
                conv = Conversation(rest, path, n)
                convs.append(conv)
                continue
            if conv is None:
                continue
            turn = conv.turns[-1] if conv.turns else None
            tool = turn.tools[-1] if turn and turn.tools else None
            if word == "call":
                key, _, when = rest.partition(" ")
                conv.calls.append((key, when.strip()))
            elif word == "caller":
                conv.caller = _unquote(rest)
            elif word == "fallback":
                conv.fallback = _unquote(rest)
            elif word == "family":
                conv.family = rest
            elif word == "gap":
                conv.gaps.append(rest)
            elif word == "edit":
                conv.edits.append(rest)
            elif word in ("greet", "say", "silence"):
                conv.turns.append(Turn(word, rest))
            elif turn is None:
                conv.problems.append(f"{n}: {line}")
            elif word == "result":
                if tool is None:        # a tool call whose name the script does not check
                    tool = ToolCall(None)
                    turn.tools.append(tool)
                tool.results.append(rest)
            else:
                turn.checks.append(line)
                if word == "tool":
                    if rest == "none":
                        turn.no_tool = True
                    elif "|" not in rest:
                        turn.tools.append(ToolCall(rest))
                elif word in ARG_CHECKS or word == "move":
                    # an argument check belongs to the tool call of its turn, until its
                    # result; one without a `tool` line is a call of a tool not named
                    if tool is None:
                        tool = ToolCall(None)
                        turn.tools.append(tool)
                    if tool.results or "|" in rest:
                        continue
                    if word == "message" and rest.startswith("has "):
                        tool.message_has.append(rest[4:])
                    elif word in ARG_CHECKS:
                        tool.args[ARG_CHECKS[word]] = _unquote(rest)
                    elif word == "move":
                        tool.move = True
    return convs


def read_all(patterns=("*.conv", os.path.join("unseen", "*.conv"))):
    """Every conversation of tests/unit/rx/*.conv and tests/unit/rx/unseen/*.conv."""
    out = []
    for p in patterns:
        for path in sorted(glob.glob(os.path.join(RX_DIR, p))):
            out.extend(read(path))
    return out
