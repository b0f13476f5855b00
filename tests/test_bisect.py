"""Bisection as a pure function, version order, and the bisect command on frozen results (no TF)."""
import json
import math
import shutil

import pytest
from packaging.version import Version

from harness.host.anyrelease import bisection as bisect, index, installs as releases, probes, versions
from harness.host.tables import matrix
from harness.host.errors import UserError
from harness.inside.running import cache, rawfile
from harness.schema import SCHEMA_VERSION
from tests.conftest import ROOT
from tests.test_index import LINUX, recorded
from tests.test_load import SEED, SEED_VARIANT

KERNEL = "layer_cell/conv1d/kernel"


def versions_list(n):
    return [f"1.{i}.0" for i in range(n)]


@pytest.mark.parametrize("n", range(2, 18))
def test_finds_every_single_change_in_about_log2_steps_without_asking_the_ends(n):
    ordered = versions_list(n)
    for change in range(1, n):
        asked = []

        def is_new(v):
            asked.append(v)
            return ordered.index(v) >= change

        got = bisect.first_change(ordered, is_new)
        assert (got.last_old, got.first_new) == (ordered[change - 1], ordered[change])
        assert ordered[0] not in asked and ordered[-1] not in asked
        assert len(asked) <= math.ceil(math.log2(n - 1)) if n > 2 else asked == []
        assert [v for v, _ in got.tested] == asked and got.skipped == []


@pytest.mark.parametrize("n", range(2, 40))
def test_two_versions_per_step_find_every_single_change_in_fewer_steps(n):
    ordered = versions_list(n)
    for change in range(1, n):
        rounds, asked = [], []

        def one(v):
            rounds.append([v])
            asked.append(v)
            return ordered.index(v) >= change

        def both(a, b):
            rounds.append([a, b])
            asked.extend([a, b])
            assert ordered.index(a) < ordered.index(b)
            return tuple(ordered.index(v) >= change for v in (a, b))

        got = bisect.first_change(ordered, one, both)
        assert (got.last_old, got.first_new) == (ordered[change - 1], ordered[change])
        assert ordered[0] not in asked and ordered[-1] not in asked
        assert len(rounds) <= bisect.steps_about(n - 2) + 1
        assert len(rounds) <= max(1, math.ceil(math.log2(n - 1))) if n > 2 else rounds == []
        assert all(len(r) == 2 for r in rounds[:-3]) and len(set(asked)) == len(asked)


@pytest.mark.parametrize("two", [False, True])
def test_a_version_that_costs_little_is_asked_near_the_split_point(two):
    ordered = versions_list(31)
    ready = {"1.13.0", "1.17.0", "1.9.0", "1.21.0"}  # within a sixth of the window of a split
    asked = []

    def one(v):
        asked.append(v)
        return ordered.index(v) >= 25

    def both(a, b):
        return one(a), one(b)

    bisect.first_change(ordered, one, both if two else None, lambda v: v in ready)
    assert asked[:2] == (["1.9.0", "1.21.0"] if two else ["1.13.0", "1.21.0"])


def test_two_untestable_versions_of_a_step_are_stepped_around_too():
    ordered = versions_list(12)
    broken = {"1.4.0", "1.7.0"}

    def both(a, b):
        return tuple(None if v in broken else v >= "1.5.0" for v in (a, b))

    got = bisect.first_change(ordered, lambda v: None if v in broken else v >= "1.5.0", both)
    assert (got.last_old, got.first_new) == ("1.3.0", "1.5.0")
    assert got.unresolved == ["1.4.0"]


def test_untestable_releases_are_stepped_around_never_blamed():
    ordered = versions_list(9)
    broken = {"1.4.0", "1.5.0"}
    got = bisect.first_change(ordered, lambda v: None if v in broken else v >= "1.6.0")
    assert (got.last_old, got.first_new) == ("1.3.0", "1.6.0")
    assert set(got.skipped) == broken and got.unresolved == ["1.4.0", "1.5.0"]


def test_untestable_release_away_from_the_change_is_not_in_the_answer():
    ordered = versions_list(9)
    got = bisect.first_change(ordered, lambda v: None if v == "1.4.0" else v >= "1.7.0")
    assert (got.last_old, got.first_new) == ("1.6.0", "1.7.0")
    assert got.skipped == ["1.4.0"] and got.unresolved == []


def test_everything_between_untestable_leaves_the_ends():
    got = bisect.first_change(versions_list(5), lambda v: None)
    assert (got.last_old, got.first_new) == ("1.0.0", "1.4.0")
    assert got.unresolved == ["1.1.0", "1.2.0", "1.3.0"] and got.tested == []


def test_several_changes_give_one_adjacent_pair_as_git_bisect_does():
    ordered = versions_list(10)
    flips = {"1.2.0": True, "1.3.0": False, "1.6.0": True}
    state = {}
    current = False
    for v in ordered:
        current = flips.get(v, current)
        state[v] = current
    state[ordered[-1]] = True
    got = bisect.first_change(ordered, state.get)
    i = ordered.index(got.first_new)
    assert ordered[i - 1] == got.last_old and state[got.first_new] and not state[got.last_old]


def test_fewer_than_two_versions_is_a_programming_error():
    with pytest.raises(ValueError):
        bisect.first_change(["1.0.0"], lambda v: True)


def test_version_order_knows_candidates_post_releases_and_two_digit_minors():
    shuffled = ["2.10.0", "2.15.0.post1", "1.15.0", "2.9.1", "1.15.0rc1", "2.15.0", "2.16.0rc0",
                "2.15.1", "1.9.0", "2.1.0"]
    assert sorted(shuffled, key=matrix.version_key) == [
        "1.9.0", "1.15.0rc1", "1.15.0", "2.1.0", "2.9.1", "2.10.0", "2.15.0", "2.15.0.post1",
        "2.15.1", "2.16.0rc0"]


def test_the_index_lists_versions_in_release_order():
    catalog = {pkg: index.releases(pkg, recorded(pkg), LINUX) for pkg in index.PACKAGES}
    got = versions.known(catalog)
    assert got == sorted(got, key=matrix.version_key)
    assert got.index("2.15.0") < got.index("2.15.0.post1") < got.index("2.16.0rc0") < got.index(
        "2.16.1")


def test_tags_and_the_upstream_diff_link():
    assert bisect.tag("1.8.0") == "v1.8.0"
    assert bisect.tag("2.10.0rc1") == "v2.10.0-rc1"
    assert bisect.compare_url("1.8.0", "1.9.0") == \
        "https://github.com/tensorflow/tensorflow/compare/v1.8.0...v1.9.0"


def test_status_of_a_pair_in_frozen_results(raw_dir):
    query = bisect.Query(SEED, SEED_VARIANT, "new_state", KERNEL)
    assert bisect.earlier(raw_dir, "1.8.0", query).status == "none"
    assert bisect.earlier(raw_dir, "1.9.0", query).status == "grad"
    assert bisect.earlier(raw_dir, "1.7.1", query) is None
    other = bisect.Query(SEED, "batch=77", "new_state", KERNEL)
    assert bisect.earlier(raw_dir, "1.8.0", other) is None
    typo = bisect.Query(SEED, SEED_VARIANT, "new_stat", KERNEL)
    probe = bisect.earlier(raw_dir, "1.8.0", typo)
    assert probe.status == "missing" and "new_state / layer_cell/conv1d/kernel" in probe.detail


@pytest.fixture
def cases(tmp_path):
    """A case file with the seed case's axes as the frozen results know them (no TF needed)."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / f"{SEED}.py").write_text(
        'VARIANTS = {"batch": [None, 34], "input": ["cond", "direct"], "cell": ["gru", "lstm"],\n'
        '            "seq_len": ["inputs", "none"]}\n\n\ndef build(tf, **variant):\n'
        '    raise NotImplementedError\n')
    return folder


def test_query_is_the_default_configuration_changed_by_overrides(cases):
    q = bisect.resolve_query(cases, SEED, [], "new_state", KERNEL)
    assert (q.variant, q.all_variants) == (SEED_VARIANT, False)
    q = bisect.resolve_query(cases, SEED, ["cell=lstm"], "new_state", KERNEL)
    assert (q.variant, q.all_variants) == ("batch=None,input=cond,cell=lstm,seq_len=inputs", False)
    q = bisect.resolve_query(cases, SEED, ["cell=lstm", "batch=34"], "new_state", KERNEL)
    assert (q.variant, q.all_variants) == ("batch=34,input=cond,cell=lstm,seq_len=inputs", True)
    with pytest.raises(UserError, match=r"values: gru, lstm"):
        bisect.resolve_query(cases, SEED, ["cell=rnn"], "new_state", KERNEL)
    with pytest.raises(UserError, match="axes: batch, input, cell, seq_len"):
        bisect.resolve_query(cases, SEED, ["depth=3"], "new_state", KERNEL)


def stamped(doc, case_file):
    """A frozen raw document as the current runner would write it for case_file: each cell's cache
    key that of the current case file and inside code (bisect reuses a result only where it holds)."""
    inputs = {"schema": SCHEMA_VERSION, "inside": cache.inside_hash(), "env": "frozen",
              "options": {}}
    doc.setdefault("run", {})["cache"] = dict(inputs)
    for cell in doc["cells"]:
        cell["cache_key"] = cache.cell_key({"case": cell["case"], "mode": "graph",
                                            "variant": cell["variant"]},
                                           cache.case_hash(str(case_file)), inputs)
    return doc


@pytest.fixture
def offline(raw_dir, cases, monkeypatch):
    """The command over the recorded index and frozen results (stamped for the case file of
    `cases`); 'running' a release copies tf18.json (none) for releases before 1.9 and tf19.json
    (grad) from 1.9 on, and remembers what ran."""
    for path in raw_dir.glob("*.json"):
        rawfile.write(str(path), stamped(json.loads(path.read_text()), cases / f"{SEED}.py"))
    catalog = {pkg: index.releases(pkg, recorded(pkg), LINUX) for pkg in index.PACKAGES}
    monkeypatch.setattr(index, "read", lambda refresh=False: ("https://i", catalog))
    monkeypatch.setattr(versions, "available", lambda python: f"/py/{python}")
    ran, failing = [], {"1.15.0"}

    def fake_run(plan, url, cases_dir, names, out_dir, all_variants=False, quiet=False, script=None,
                 cache=True):
        ran.append((plan.version, names))
        if plan.version in failing:
            return releases.Outcome(plan.version, out_dir / "x.json", "install_failed", "boom")
        frozen = "tf18.json" if Version(plan.version) < Version("1.9") else "tf19.json"
        doc = stamped(json.loads((raw_dir / frozen).read_text()), cases_dir / f"{names[0]}.py")
        doc["env"]["tf_version"] = plan.version
        rawfile.write(str(out_dir / f"rel-{plan.version}.json"), doc)
        return releases.Outcome(plan.version, out_dir / f"rel-{plan.version}.json", "ran",
                                exit_code=0)

    monkeypatch.setattr(releases, "run_release", fake_run)
    return raw_dir, ran, cases, failing


def bisect_cli(capsys, offline, *args, source=KERNEL, case=SEED):
    from harness.host.cli import main
    raw_dir, _, cases, _ = offline
    code = main(["bisect", "--case", case, "--target", "new_state", "--source", source,
                 "--out", str(raw_dir), "--cases", str(cases), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bisect_command_fixed_direction_reuses_results_and_skips_the_uninstallable(offline, capsys):
    raw_dir, ran, _, _ = offline
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--json")
    assert code == 0, err
    got = json.loads(out)
    assert (got["last_old"], got["first_new"], got["old_status"], got["new_status"]) == (
        "1.8.0", "1.9.0", "none", "grad")
    assert got["direction"] == "fixed" and got["compare_url"].endswith("v1.8.0...v1.9.0")
    assert got["skipped"] == [] and got["untested_between"] == []
    # 1.8.0, 1.9.0 and 1.15.5 are frozen results; only the others were run, with the case alone
    assert {v for v, _ in ran} <= {"1.5.1", "1.15.0"} and all(n == [SEED] for _, n in ran)
    assert "1.5.1" in err and "earlier result" in err


def test_releases_that_fail_to_install_are_reported_not_blamed(offline, capsys):
    raw_dir, _, _, failing = offline
    (raw_dir / "tf19.json").unlink()
    failing.add("1.9.0")
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--json")
    got = json.loads(out)
    assert code == 0, err
    assert (got["last_old"], got["first_new"]) == ("1.8.0", "1.15.5")
    assert got["untested_between"] == ["1.9.0", "1.15.0"]
    assert got["skipped"] == [{"version": "1.9.0", "reason": "install_failed: boom"},
                              {"version": "1.15.0", "reason": "install_failed: boom"}]


def test_bisect_command_introduced_direction(offline, capsys):
    raw_dir, _, _, _ = offline
    code, out, _ = bisect_cli(capsys, offline, "--good", "1.5.1", "--bad", "1.9.0")
    assert code == 0
    assert "last none: 1.8.0" in out and "first grad: 1.9.0" in out and "introduced" in out


def test_same_status_at_both_ends_is_nothing_to_bisect(offline, capsys):
    raw_dir, _, _, _ = offline
    code, _, err = bisect_cli(capsys, offline, "--good", "1.9.0", "--bad", "1.15.5")
    assert code == 2
    assert err.strip().splitlines()[-1].startswith(
        "harness: nothing to bisect: --good 1.9.0 and --bad 1.15.5 are both grad")


def test_bad_ends_are_one_line_each(offline, capsys):
    raw_dir, _, _, _ = offline
    for args, message in ((("--good", "1.15.1", "--bad", "1.8.0"), "is not on the index"),
                          (("--good", "0.12.0", "--bad", "1.8.0"), "no wheel for any interpreter"),
                          (("--good", "1.15.0", "--bad", "1.8.0"), "install_failed: boom")):
        code, _, err = bisect_cli(capsys, offline, *args)
        assert code == 2 and message in err.strip().splitlines()[-1]


def test_nothing_computed_is_lost_when_an_end_fails(offline, capsys):
    raw_dir, _, _, _ = offline
    before = sorted(p.name for p in raw_dir.iterdir())
    bisect_cli(capsys, offline, "--good", "1.15.0", "--bad", "1.5.1")
    after = sorted(p.name for p in raw_dir.iterdir())
    assert set(before) <= set(after)


def test_missing_pair_at_an_end_says_what_the_case_has(offline, capsys):
    code, _, err = bisect_cli(capsys, offline, "--good", "1.9.0", "--bad", "1.8.0", source="nope")
    assert code == 2 and "no pair new_state / nope" in err


def test_unknown_case_is_refused_before_anything_runs(offline, capsys):
    code, _, err = bisect_cli(capsys, offline, "--good", "1.9.0", "--bad", "1.8.0", case="nosuch")
    assert code == 2 and "unknown case 'nosuch'" in err and offline[1] == []


def test_run_releases_refuses_unknown_versions_before_running_any(offline, capsys, tmp_path):
    _, ran, _, _ = offline
    from harness.host.cli import main
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    code = main(["run-releases", "1.8.0", "1.15.1", "9.9.9", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and ran == [] and len(err) == 2
    assert "1.15.1 is not on the index" in err[0] and "9.9.9" in err[1]


def _set_status(path, status, version=None, finished=None):
    """A frozen raw file with the bisected pair's status changed (and its release, run time)."""
    doc = json.loads(path.read_text())
    for cell in doc["cells"]:
        if cell["case"] == SEED and cell["variant_label"] == SEED_VARIANT:
            for pair in cell["pairs"]:
                if (pair["target"], pair["source"]) == ("new_state", KERNEL):
                    pair.update({"status": status, "detail": f"planted {status}"})
    if version:
        doc["env"]["tf_version"] = version
    if finished:
        doc["run"]["finished"] = finished
    return doc


def test_any_two_statuses_can_be_the_ends(offline, capsys):
    raw_dir, _, _, _ = offline
    rawfile.write(str(raw_dir / "tf18.json"), _set_status(raw_dir / "tf18.json", "nonfinite"))
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--json")
    assert code == 0, err
    got = json.loads(out)
    assert (got["old_status"], got["new_status"], got["last_old"], got["first_new"]) == (
        "nonfinite", "grad", "1.8.0", "1.9.0")


def test_a_probe_with_a_third_status_is_skipped_and_named(offline, capsys):
    raw_dir, _, _, _ = offline
    rawfile.write(str(raw_dir / "tf18.json"), _set_status(raw_dir / "tf18.json", "nonfinite"))
    rawfile.write(str(raw_dir / "rel-1.8.0.json"), _set_status(
        raw_dir / "tf18.json", "mismatch", "1.8.0", "2099-01-01T00:00:00Z"))
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--json")
    assert code == 0, err
    got = json.loads(out)
    # the index holds no release between 1.5.1 and 1.8.0 for these interpreters: the window is
    # 1.5.1 - 1.9.0, with 1.8.0 inside it untested, never taken for either side
    assert (got["last_old"], got["first_new"]) == ("1.5.1", "1.9.0")
    assert got["untested_between"] == ["1.8.0"]
    assert {"version": "1.8.0", "reason": "mismatch, a third status: planted mismatch"} in \
        got["skipped"]


def test_an_end_without_an_outcome_is_refused_in_one_line(offline, capsys):
    raw_dir, _, _, _ = offline
    rawfile.write(str(raw_dir / "tf18.json"), _set_status(raw_dir / "tf18.json", "harness_error"))
    code, _, err = bisect_cli(capsys, offline, "--good", "1.9.0", "--bad", "1.8.0")
    assert code == 2 and err.strip().splitlines()[-1] == (
        "harness: 1.8.0 cannot be an end of the search: harness_error: planted harness_error")


def test_the_markdown_answer_pastes_as_it_is(offline, capsys):
    raw_dir, _, cases, _ = offline
    rawfile.write(str(raw_dir / "tf18.json"), _set_status(raw_dir / "tf18.json", "nonfinite"))
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--markdown")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == (f"**Bisected**: `{SEED}` [{SEED_VARIANT}], d `new_state` / d `{KERNEL}` "
                        "(fixed between these two adjacent builds)")
    assert "| last old | release 1.8.0 | `v1.8.0` | `nonfinite` |" in lines
    assert "| first new | release 1.9.0 | `v1.9.0` | `grad` |" in lines
    assert "Upstream diff: https://github.com/tensorflow/tensorflow/compare/v1.8.0...v1.9.0" in lines
    command = lines[-1].split("`")[1]
    # --out: where the builds' results are, so the command reads them again instead of running
    assert command == (f"python -m harness bisect --cases {cases} --case {SEED} --target new_state "
                       f"--source {KERNEL} --good 1.15.5 --bad 1.5.1 --out {raw_dir}")
    assert not any("\t" in line for line in lines)


def test_an_earlier_result_holds_only_for_the_case_file_and_inside_code_it_ran(raw_dir, cases,
                                                                                tmp_path):
    doc = stamped(json.loads((raw_dir / "tf18.json").read_text()), cases / f"{SEED}.py")
    cell = next(c for c in doc["cells"] if c["variant_label"] == SEED_VARIANT)
    query = bisect.Query(SEED, SEED_VARIANT, "new_state", KERNEL, path=str(cases / f"{SEED}.py"))
    assert probes.holds(cell, doc, query)
    other = tmp_path / "other" / f"{SEED}.py"  # another file of the same name
    other.parent.mkdir()
    other.write_text((cases / f"{SEED}.py").read_text() + "# changed\n")
    assert not probes.holds(cell, doc, bisect.Query(SEED, SEED_VARIANT, "new_state", KERNEL,
                                                    path=str(other)))
    assert not probes.holds(dict(cell, cache_key=""), doc, query)  # older than the cache
    moved = dict(doc, run=dict(doc["run"], cache=dict(doc["run"]["cache"], inside="0" * 16)))
    assert probes.holds(cell, moved, query)  # the inside hash compared is today's, not the file's


def test_results_of_another_case_file_of_the_same_name_are_run_again(offline, capsys, tmp_path):
    raw_dir, ran, cases, _ = offline
    other = tmp_path / "other"
    other.mkdir()
    (other / f"{SEED}.py").write_text((cases / f"{SEED}.py").read_text() + "# another file\n")
    from harness.host.cli import main
    code = main(["bisect", "--case", SEED, "--target", "new_state", "--source", KERNEL,
                 "--out", str(raw_dir), "--cases", str(other), "--good", "1.9.0", "--bad", "1.8.0",
                 "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert {v for v, _ in ran} == {"1.8.0", "1.9.0"}  # the frozen results were not reused
    got = json.loads(out.out)
    assert (got["last_old"], got["first_new"]) == ("1.8.0", "1.9.0")


def _set_value(path, x, version=None, finished=None):
    """A frozen raw file whose bisected pair is `grad` with the one-element value [x]."""
    doc = _set_status(path, "grad", version, finished)
    for cell in doc["cells"]:
        for pair in cell["pairs"]:
            if (cell["variant_label"], pair["target"], pair["source"]) == (
                    SEED_VARIANT, "new_state", KERNEL):
                pair.update({"detail": "", "value": {"size": 1, "nan": 0, "inf": 0,
                                                     "scale": abs(x), "values": [x]}})
    return doc


def test_bisect_value_narrows_a_move_of_the_value_and_names_a_third_one(offline, capsys):
    raw_dir, _, _, _ = offline
    for name, x in (("tf18.json", 1.0), ("tf19.json", 2.0), ("tf115.json", 2.0)):
        rawfile.write(str(raw_dir / name), _set_value(raw_dir / name, x))
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--value",
                                "--json")
    assert code == 0, err
    got = json.loads(out)
    assert (got["last_old"], got["first_new"], got["old_value"], got["new_value"]) == (
        "1.8.0", "1.9.0", "[1]", "[2]")
    rawfile.write(str(raw_dir / "rel-1.8.0.json"), _set_value(
        raw_dir / "tf18.json", 1.5, "1.8.0", "2099-01-01T00:00:00Z"))
    code, out, err = bisect_cli(capsys, offline, "--good", "1.15.5", "--bad", "1.5.1", "--value",
                                "--markdown")
    assert code == 0, err
    assert "| first new | release 1.9.0 | `v1.9.0` | `grad` [2] |" in out
    assert "- 1.8.0: grad, a third value: [1.5]" in out
    assert out.strip().splitlines()[-1].endswith(f"--good 1.15.5 --bad 1.5.1 --value --out {raw_dir}`")


def test_bisect_value_refuses_ends_whose_values_agree(offline, capsys):
    raw_dir, _, _, _ = offline
    for name in ("tf18.json", "tf19.json"):
        rawfile.write(str(raw_dir / name), _set_value(raw_dir / name, 1.0))
    code, _, err = bisect_cli(capsys, offline, "--good", "1.9.0", "--bad", "1.8.0", "--value")
    assert code == 2 and "nothing to bisect: the values at 1.8.0 and 1.9.0 are within 0.001" in err


def test_a_release_candidate_s_result_is_found_by_its_pep_440_version(raw_dir):
    """TensorFlow says '2.12.0-rc0' of a candidate, the index and bisect '2.12.0rc0': bisect --pre
    once read every candidate as 'the runner wrote no result' and skipped it."""
    doc = json.loads((raw_dir / "tf18.json").read_text())
    doc["env"]["tf_version"] = "2.12.0-rc0"
    rawfile.write(str(raw_dir / "rel-2.12.0rc0.json"), doc)
    query = bisect.Query(SEED, SEED_VARIANT, "new_state", KERNEL)
    assert bisect.earlier(raw_dir, "2.12.0rc0", query).status == "none"


def test_bisect_all_lines_say_the_answer_the_size_or_why_not(tmp_path):
    from harness.host.anyrelease import sweep
    found = {"command": "python -m harness bisect --case c --target y --source x --good 1.10.1 "
                        "--bad 1.9.0 --pre", "old_status": "none", "new_status": "grad",
             "last_old_name": "release 1.10.0rc0", "first_new_name": "release 1.10.0rc1",
             "compare_url": "https://github.com/tensorflow/tensorflow/compare/v1.10.0-rc0..."
                            "v1.10.0-rc1", "untested_between": [], "steps": 2}
    assert sweep.line(found) == (
        "narrowed down (bisect-all, 2 steps): `none` at release 1.10.0rc0, `grad` at release "
        "1.10.0rc1 ([compare](https://github.com/tensorflow/tensorflow/compare/v1.10.0-rc0..."
        "v1.10.0-rc1))")
    size = {"command": "x", "dry_run": True, "old": "2.21.0", "new": "2.23.0.dev20261026",
            "searchable": 165, "steps": 8}
    assert sweep.line(size) == ("163 builds on the index between 2.21.0 and 2.23.0.dev20261026: "
                                "about 8 steps (`bisect-all --dry-run`)")
    assert "already as narrow as it gets" in sweep.line(dict(size, searchable=2, steps=0))
    assert sweep.line({"command": "y", "error": "2.21.0 cannot be an end"}) == (
        "bisect-all could not narrow it down: 2.21.0 cannot be an end")
    (tmp_path / "bisect.json").write_text(json.dumps({"bisections": [found, size]}))
    assert [e["command"] for e in sweep.read(tmp_path)] == [found["command"], "x"]
    assert sweep.read(tmp_path / "none") == []


def test_bisect_all_runs_the_later_searches_cases_at_the_builds_of_the_same_window():
    from harness.host.anyrelease import sweep
    a = ["--cases", "cases/known", "--case", "cumprod_zero", "--target", "c", "--source", "s",
         "--good", "2026-10-26", "--bad", "2.21.0", "--out", "results/known/raw"]
    b = [*a[:3], "norm_zero_eager", *a[4:]]
    c = [*a[:3], "qr_wide_grad", *a[4:8], "--good", "2.4.4", "--bad", "2.3.4", *a[12:]]
    assert sweep.companions(a, [b, c, b]) == ["--also", "norm_zero_eager"]
    assert sweep.companions(b, []) == [] and sweep.companions(c, [a, b]) == []


def test_a_window_with_no_build_between_its_ends_gets_no_command():
    from harness.host.anyrelease import sweep
    from harness.host.tables.findings import Finding
    f = Finding("c", "", "y", ["x"], "none", "grad", "1.8.0", "1.9.0")
    assert sweep.final({"dry_run": True, "searchable": 2, "steps": 0}, f)
    assert not sweep.final({"dry_run": True, "searchable": 5, "steps": 2}, f)
    assert sweep.final({"last_old": "1.8.0", "first_new": "1.9.0", "untested_between": []}, f)
    assert not sweep.final({"last_old": "1.8.0", "first_new": "1.9.0",
                            "untested_between": ["1.9.0rc0"]}, f)
    assert not sweep.final(None, f)
