"""Comments and documents that name a file of the repository name one that exists: a
path such as `lib/store/redis_conn.c` or `docs/design.md` written in any tracked file
must be there (globs like `lib/receptionist/rx_*.c` must match something), so nobody is
sent to a file that moved or was removed."""
import glob
import os
import re

from test_self_contained import ROOT, tracked_text_files

TOP = ("api", "web", "workers", "lib", "ops", "tests", "bench", "docs", "lua", "schema", "k8s", ".ci")
NAMED = re.compile(r"(?<![\w./-])((?:%s)/[\w./*{},-]*[\w*])" % "|".join(re.escape(t) for t in TOP))
# Paths that are made at build or run time, not tracked.
MADE = re.compile(r"^(?:tests/unit/rx/|k8s/overlays/)|\.(?:o|a|log|pid)$|/gen/")


def expand(path):
    """The paths a name stands for: {a,b} alternatives expanded."""
    m = re.search(r"\{([^{}]*)\}", path)
    if not m:
        return [path]
    out = []
    for alt in m.group(1).split(","):
        out += expand(path[:m.start()] + alt + path[m.end():])
    return out


def exists(path):
    path = path.rstrip(".,")
    if MADE.search(path) or "." not in os.path.basename(path) and not os.path.isdir(os.path.join(ROOT, path)):
        return True     # a folder named loosely ("tests/integration") or a made file
    return all(glob.glob(os.path.join(ROOT, p)) for p in expand(path))


def missing_names():
    problems = []
    for rel, text in tracked_text_files():
        if rel.startswith("tests/repo/"):
            continue        # these checks name made-up files on purpose
        for n, line in enumerate(text.splitlines(), 1):
            for m in NAMED.finditer(line):
                if not exists(m.group(1)):
                    problems.append("%s:%d names %s" % (rel, n, m.group(1)))
    return problems


def test_every_file_a_comment_or_document_names_exists():
    problems = missing_names()
    assert not problems, "names of files that do not exist:\n  " + "\n  ".join(problems)


def test_a_missing_file_is_seen():
    assert exists("lib/store/redis_conn.c")
    assert exists("lib/receptionist/rx_*.c")
    assert not exists("lib/receptionist_tools.c")
    assert not exists("workers/{reader,no_such_file}.c")
