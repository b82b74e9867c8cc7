"""lib/ is grouped by subsystem: one folder each, a README.md per folder that says what
it owns and which folders it may include ("May include: a, b"), and includes that keep
to it, so the folders form layers with no cycle. The receptionist is used through its
one public header."""
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIB = os.path.join(ROOT, "lib")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
MAY_INCLUDE = re.compile(r"^May include: (.*)$", re.M)


def lib_folders():
    return sorted(d for d in os.listdir(LIB) if os.path.isdir(os.path.join(LIB, d)))


def allowed_includes():
    """folder -> the folders its README says it may include."""
    out = {}
    for folder in lib_folders():
        with open(os.path.join(LIB, folder, "README.md"), encoding="utf-8") as f:
            m = MAY_INCLUDE.search(f.read())
        assert m, "lib/%s/README.md has no 'May include:' line" % folder
        names = m.group(1).rstrip(".").strip()
        out[folder] = set() if names.startswith("nothing") else {
            n.strip() for n in names.split(",")}
    return out


def sources(*folders):
    for top in folders:
        for folder, _, names in os.walk(os.path.join(ROOT, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    path = os.path.join(folder, n)
                    with open(path, encoding="utf-8") as f:
                        yield os.path.relpath(path, ROOT), f.read()


def test_every_lib_file_is_in_a_subsystem_folder_with_a_readme():
    loose = [n for n in os.listdir(LIB) if os.path.isfile(os.path.join(LIB, n))]
    assert not loose, "files directly in lib/: %s" % loose
    for folder in lib_folders():
        assert os.path.isfile(os.path.join(LIB, folder, "README.md")), folder


def test_readmes_name_only_folders_that_exist_and_form_no_cycle():
    allowed = allowed_includes()
    for folder, deps in allowed.items():
        unknown = deps - set(allowed)
        assert not unknown, "lib/%s/README.md names %s" % (folder, sorted(unknown))
    # Depth-first search for a cycle: with none, the folders are layers.
    state = {}

    def visit(folder, path):
        if state.get(folder) == "done":
            return
        assert state.get(folder) != "open", "include cycle: %s" % " -> ".join(path + [folder])
        state[folder] = "open"
        for dep in sorted(allowed[folder]):
            visit(dep, path + [folder])
        state[folder] = "done"

    for folder in allowed:
        visit(folder, [])


def test_lib_includes_only_what_its_readme_allows():
    allowed = allowed_includes()
    folders = set(allowed)
    problems = []
    for rel, text in sources("lib"):
        me = rel.split(os.sep)[1]
        for inc in INCLUDE.findall(text):
            top = inc.split("/", 1)[0] if "/" in inc else None
            if top is None:
                if os.path.exists(os.path.join(LIB, me, inc)):
                    problems.append("%s: include \"%s/%s\", by its folder" % (rel, me, inc))
                continue        # a generated or system header
            if top in folders and top != me and top not in allowed[me]:
                problems.append("%s includes %s: lib/%s may not include lib/%s" % (rel, inc, me, top))
    assert not problems, "\n".join(problems)


def test_the_receptionist_is_used_through_its_public_header():
    problems = []
    for rel, text in sources("lib", "api", "web", "workers", "ops"):
        if rel.startswith(os.path.join("lib", "receptionist")):
            continue
        for inc in INCLUDE.findall(text):
            if inc.startswith("receptionist/") and inc != "receptionist/receptionist.h":
                problems.append("%s includes %s" % (rel, inc))
    assert not problems, "\n".join(problems)


def test_a_forbidden_include_is_seen():
    """The rules above can fail: a core file including the receptionist breaks them."""
    allowed = allowed_includes()
    assert "receptionist" not in allowed["core"]
    assert INCLUDE.findall('#include "receptionist/rx_text.h"\n') == ["receptionist/rx_text.h"]
