"""Runs every test_* function of every tests/integration/test_*.py file (or the files
named on the command line; --dir DIR for another folder of such files), one at a time,
and ends with 'N passed, N failed'. What a file started and left running is stopped
before the next file runs. --shard K/N runs the K-th of N shares of the files (K from
1), so that N runs side by side cover every file once; each file brings up its own
servers on free ports in its own folders, so shares share nothing. Shares are balanced
by durations.txt (seconds per file, measured); --carry K=S counts S seconds of other
work the K-th share's runner does too.
A test passes when it returns; any exception fails it, with its traceback."""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


UNMEASURED_S = 30.0


def stop_leftovers(name):
    """Stops what the file left running (harness.stop_leftovers); 1 failure if that
    went wrong, else 0."""
    harness = sys.modules.get("harness")
    problems = harness.stop_leftovers() if harness is not None else []
    if problems:
        print(f"FAIL {name} (processes it left running)", flush=True)
        for line in problems:
            print("  " + line, flush=True)
    return 1 if problems else 0


def teardown(mod, name):
    """The file's own teardown_module, when it has one (it stops what its tests shared,
    checking each stop); 1 failure if it raised, else 0."""
    fn = getattr(mod, "teardown_module", None)
    if fn is None:
        return 0
    try:
        fn(mod)
    except Exception:
        print(f"FAIL {name}.teardown_module", flush=True)
        traceback.print_exc(file=sys.stdout)
        return 1
    return 0


def durations(folder):
    """Seconds each file took in a full run (durations.txt: "name seconds" lines, measured
    from a `make test` log); {} when the folder has none."""
    path = os.path.join(folder, "durations.txt")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {name: float(secs) for name, secs in (line.split() for line in f if line.strip())}


def share(files, folder, k, n, carry):
    """The k-th of n shares of files, balanced by how long each file ran last measured
    (a file not measured yet counts as UNMEASURED_S): the longest first, each to the
    share holding the least so far. carry: seconds a share spends on other work (the
    browser journeys after the first), counted in its load from the start."""
    took = durations(folder)
    loads = [carry.get(i + 1, 0.0) for i in range(n)]
    mine = []
    for f in sorted(files, key=lambda f: (-took.get(f[:-3], UNMEASURED_S), f)):
        least = loads.index(min(loads))
        loads[least] += took.get(f[:-3], UNMEASURED_S)
        if least == k - 1:
            mine.append(f)
    return sorted(mine)


def main():
    only = sys.argv[1:]
    folder = HERE
    shard = None
    carry = {}
    while only[:1] in (["--dir"], ["--shard"], ["--carry"]) and len(only) >= 2:
        if only[0] == "--dir":
            folder = os.path.abspath(only[1])
            sys.path.insert(0, folder)
        elif only[0] == "--carry":
            k, secs = only[1].split("=")
            carry[int(k)] = float(secs)
        else:
            k, n = (int(x) for x in only[1].split("/"))
            if not 1 <= k <= n:
                sys.exit("--shard K/N needs 1 <= K <= N")
            shard = (k, n)
        only = only[2:]
    files = sorted(f for f in os.listdir(folder) if f.startswith("test_") and f.endswith(".py"))
    if shard:
        files = share(files, folder, *shard, carry)
    passed = failed = 0
    for f in files:
        name = f[:-3]
        # "file.test_name" runs one test of a file
        picked = {a.split(".", 1)[1] for a in only if a.startswith(name + ".test_")}
        if only and name not in only and f not in only and not picked:
            continue
        spec = importlib.util.spec_from_file_location(name, os.path.join(folder, f))
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception:
            failed += 1
            print(f"FAIL {name} (could not load)", flush=True)
            traceback.print_exc(file=sys.stdout)
            failed += stop_leftovers(name)
            continue
        tests = [getattr(mod, t) for t in dir(mod) if t.startswith("test_") and (not picked or t in picked)]
        tests.sort(key=lambda fn: fn.__code__.co_firstlineno)
        for t in tests:
            start = time.time()
            try:
                t()
            except Exception:
                failed += 1
                print(f"FAIL {name}.{t.__name__} ({time.time() - start:.1f}s)", flush=True)
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print(f"ok   {name}.{t.__name__} ({time.time() - start:.1f}s)", flush=True)
        failed += teardown(mod, name)
        failed += stop_leftovers(name)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
