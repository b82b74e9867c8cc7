"""The repository is complete on its own: a clone with nothing beside it builds, runs and
tests. These checks read every tracked file for a path that leaves the repository: an
absolute path into someone's machine, a relative path that climbs above the root, or the
root joined with "..". System paths (/usr, /tmp, /etc, /proc, ...) are fine."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Where a project's own files live on a developer's or CI's machine, never on a user's.
FOREIGN_ABSOLUTE = re.compile(r"(?<![\w.~/-])/(?:work|home|root|Users|mnt|srv|workspace)/[\w.-]+")
# "../x", "../../x": checked by resolving it from the file's folder.
RELATIVE = re.compile(r"(?<![\w.-])((?:\.\./)+)[\w.-]*")
# The repository root (or this file's grandparents) joined with "..".
ROOT_PARENT = re.compile(r"""\b(?:ROOT|REPO|REPO_ROOT|root_dir|repo_root)\b[}"')]*\s*(?:/|,\s*["'])\.\.(?!\w)""")
# The other folder of the development machines, by name.
SHARED_FOLDER = re.compile(r"\.\./shared\b|\bshared/(?:reference|tools|seed)/")


def repository_files():
    """Tracked files; every file but build output when this is not a git checkout."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if out.returncode == 0:
        return out.stdout.decode().split("\0")
    skip = {".git", "build", "bin", ".run", "node_modules", "__pycache__"}
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        files += [os.path.relpath(os.path.join(folder, n), ROOT) for n in names]
    return files


def tracked_text_files():
    for rel in repository_files():
        if not rel or rel.startswith("tests/schemas/") and rel.endswith(".json"):
            continue        # the schema extracts quote the provider's own URLs and paths
        path = os.path.join(ROOT, rel)
        try:
            with open(path, encoding="utf-8") as f:
                yield rel, f.read()
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue


def escapes_root(rel_file, climb):
    """True if climb ("../../") from rel_file's folder leaves the repository."""
    folder = os.path.dirname(os.path.join(ROOT, rel_file))
    target = os.path.normpath(os.path.join(folder, climb))
    return not (target == ROOT or target.startswith(ROOT + os.sep))


def find_outside_paths():
    problems = []
    for rel, text in tracked_text_files():
        if rel == "tests/repo/test_self_contained.py":
            continue        # this file names the patterns it looks for
        for n, line in enumerate(text.splitlines(), 1):
            where = "%s:%d: %s" % (rel, n, line.strip()[:120])
            if FOREIGN_ABSOLUTE.search(line) or ROOT_PARENT.search(line) or SHARED_FOLDER.search(line):
                problems.append(where)
                continue
            for m in RELATIVE.finditer(line):
                if escapes_root(rel, m.group(1)):
                    problems.append(where)
                    break
    return problems


def test_no_tracked_file_reads_a_path_outside_the_repository():
    problems = find_outside_paths()
    assert not problems, "paths outside the repository:\n  " + "\n  ".join(problems)


def test_the_checker_sees_each_kind_of_outside_path():
    """The patterns above catch what they are for (a checker that finds nothing proves nothing)."""
    # The outside paths below are assembled, so that this file names none itself.
    assert FOREIGN_ABSOLUTE.search('#define V "/' + 'home/dev/tools/x.py"')
    assert not FOREIGN_ABSOLUTE.search('open("/usr/share/zoneinfo/UTC")')
    assert ROOT_PARENT.search('SPEC = os.path.join(ROOT, "..", "other")')
    assert ROOT_PARENT.search('cat "$ROOT/../x"')
    assert not ROOT_PARENT.search('os.path.join(ROOT, "tests")')
    assert SHARED_FOLDER.search("see .." + "/shared/DESIGN.md")
    assert escapes_root("tests/sim/x.py", "../../../")
    assert not escapes_root("tests/sim/x.py", "../../")
