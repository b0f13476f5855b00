"""Compare the cells of two sets of raw files (old code vs new code), ignoring timings.

    python bench/compare_raw.py OLD_DIR NEW_DIR [OLD_ROOT NEW_ROOT]

Each directory holds <env>.json raw files (python -m harness run --out DIR). Cells are matched by
(case, variant label); everything a cell records is compared exactly (statuses, details, break ops,
numeric numbers, value fingerprints) except durations and timing laps. A checkout's own path in a
detail is replaced by <root> (OLD_ROOT / NEW_ROOT). Prints one line per difference and a summary;
exit status 1 when anything differs.
"""
import json
import sys
from pathlib import Path

IGNORED = {"duration", "timings"}


def _clean(value, root):
    if isinstance(value, dict):
        return {k: _clean(v, root) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [_clean(v, root) for v in value]
    if isinstance(value, str) and root:
        return value.replace(root, "<root>")
    return value


def _diff(old, new, where, out):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _diff(old.get(key, "<absent>"), new.get(key, "<absent>"), where + "." + key, out)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            _diff(a, b, "{}[{}]".format(where, i), out)
    elif old != new:
        out.append("{}: {!r} -> {!r}".format(where, old, new))


def compare(old_dir, new_dir, old_root="", new_root=""):
    """(files, cells, pairs compared, difference lines, {env: (old workers, new workers)})."""
    files = cells = pairs = 0
    diffs, workers = [], {}
    for old_file in sorted(Path(old_dir).glob("*.json")):
        new_file = Path(new_dir) / old_file.name
        if not new_file.exists():
            diffs.append("{}: missing in {}".format(old_file.name, new_dir))
            continue
        old, new = json.loads(old_file.read_text()), json.loads(new_file.read_text())
        files += 1
        workers[old_file.stem] = (old["run"].get("workers"), new["run"].get("workers"))
        key = lambda c: (c["case"], c["variant_label"])  # noqa: E731
        olds = {key(c): _clean(c, old_root) for c in old["cells"]}
        news = {key(c): _clean(c, new_root) for c in new["cells"]}
        for k in sorted(set(olds) | set(news), key=str):
            if k not in olds or k not in news:
                diffs.append("{} {}: only in {}".format(old_file.stem, k, "old" if k in olds else "new"))
                continue
            cells += 1
            pairs += len(olds[k].get("pairs", []))
            _diff(olds[k], news[k], "{} {} [{}]".format(old_file.stem, *k), diffs)
        if [key(c) for c in old["cells"]] != [key(c) for c in new["cells"]]:
            diffs.append("{}: cells in another order".format(old_file.stem))
    return files, cells, pairs, diffs, workers


def main(argv):
    old_root = argv[2] if len(argv) > 2 else ""
    new_root = argv[3] if len(argv) > 3 else ""
    files, cells, pairs, diffs, workers = compare(argv[0], argv[1], old_root, new_root)
    for line in diffs:
        print(line)
    print("{} files, {} cells, {} pairs compared, {} differences; workers old -> new: {}".format(
        files, cells, pairs, len(diffs), ", ".join("{} {}->{}".format(e, *w)
                                                    for e, w in sorted(workers.items()))))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
