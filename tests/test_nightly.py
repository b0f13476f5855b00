"""tf-nightly builds: version order among releases, lookups and refusals, the hash-to-link step, and
the bisect command over nightlies, on the recorded index (tests/data/index/tf-nightly.json, no TF)."""
import json
import math

import pytest

from harness.host.anyrelease import bisection as bisect, index, installs as releases, versions
from harness.host.tables import matrix, nightly
from harness.host.envs import toxini
from harness.host.errors import UserError
from harness.inside.running import rawfile
from tests.test_index import EVERYTHING, LINUX, only, recorded
from tests.test_bisect import stamped

NEWEST = "2.23.0.dev20261026"
GIT = "v1.12.1-148158-gef696751006"  # tf.version.GIT_VERSION of NEWEST, as the build says


@pytest.fixture
def catalog():
    return {pkg: index.releases(pkg, recorded(pkg), LINUX) for pkg in (*index.PACKAGES, index.NIGHTLY)}


def test_nightly_versions_sort_between_releases_by_pep_440():
    shuffled = ["nightly", "2.22.0", "2.23.0.dev20261026", "2.21.0", "2.22.0rc0",
                "2.22.0.dev20260204", "2.21.0.dev20260203", "2.22.0.dev20260924", "2.20.0"]
    assert sorted(shuffled, key=matrix.version_key) == [
        "2.20.0", "2.21.0.dev20260203", "2.21.0", "2.22.0.dev20260204", "2.22.0.dev20260924",
        "2.22.0rc0", "2.22.0", "2.23.0.dev20261026", "nightly"]


def test_the_recorded_index_holds_the_builds_newest_last(catalog):
    builds = versions.nightlies(catalog)
    assert len(builds) == 179 and builds[-1] == NEWEST and builds[0] == "2.21.0.dev20260202"
    assert builds == sorted(builds, key=matrix.version_key)
    assert all(nightly.is_nightly(v) for v in builds)
    # the nightlies are not releases: a range of releases does not list them
    assert not any(nightly.is_nightly(v) for v in versions.between(catalog, "2.0", None, pre=True))


def test_between_a_release_and_a_nightly_walks_both_in_pep_440_order(catalog):
    got = versions.between(catalog, "2.21.0", NEWEST, with_nightlies=True)
    assert got[0] == "2.21.0" and got[-1] == NEWEST and got == sorted(got, key=matrix.version_key)
    # 2.21.0.dev* builds come before the 2.21.0 release; every 2.22.0.dev and 2.23.0.dev one after
    assert "2.21.0.dev20260203" not in got and "2.22.0.dev20260204" in got
    assert len(got) == 1 + 177


def test_version_scheme_dates_and_names():
    assert nightly.is_nightly("2.23.0-dev20261026") and nightly.is_nightly(NEWEST)
    assert not nightly.is_nightly("2.21.0") and not nightly.is_nightly("2.22.0rc0")
    assert not nightly.is_nightly("2.16.0.dev0") and not nightly.is_nightly("nightly")
    assert nightly.canonical("2.23.0-dev20261026") == NEWEST
    assert nightly.build_date(NEWEST) == "2026-10-26"
    assert nightly.as_date("20261026") == nightly.as_date("2026-10-26") == "2026-10-26"
    assert nightly.as_date("2026-13-01") is None and nightly.as_date("2.21") is None
    assert nightly.name(NEWEST, GIT) == "nightly of 2026-10-26 (commit ef696751006)"
    assert nightly.name(NEWEST) == "nightly of 2026-10-26"


def test_the_commit_is_read_from_the_git_version():
    assert nightly.commit_of(GIT) == "ef696751006"
    assert nightly.commit_of("v2.21.0-rc0-12-g0123abcd") == "0123abcd"
    assert nightly.commit_of("0123abcdef") == "0123abcdef"
    assert nightly.commit_of("v2.21.0") is None and nightly.commit_of("") is None
    assert nightly.commit_of("unknown") is None


def test_compare_link_of_two_builds_is_between_their_commits():
    gits = {"2.23.0.dev20261025": "v1.12.1-148101-g1a2b3c4d5e6", NEWEST: GIT}
    assert bisect.compare_url("2.23.0.dev20261025", NEWEST, gits) == (
        "https://github.com/tensorflow/tensorflow/compare/1a2b3c4d5e6...ef696751006")
    assert bisect.compare_url("2.21.0", NEWEST, gits) == (
        "https://github.com/tensorflow/tensorflow/compare/v2.21.0...ef696751006")
    # a build whose commit is not known gives no link rather than a wrong one
    assert bisect.compare_url("2.23.0.dev20261024", NEWEST, gits) == ""
    assert bisect.ref("2.22.0rc0") == "v2.22.0-rc0"


def test_learned_commits_are_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert index.known_commits() == {}
    index.remember_commit(NEWEST, GIT)
    index.remember_commit("2.23.0.dev20261025", "")
    assert index.known_commits() == {NEWEST: GIT}


def test_nightly_plan_takes_the_nightly_env_pins(catalog):
    p = versions.plan(NEWEST, catalog, toxini.read(), only(*EVERYTHING))
    assert (p.package, p.python, p.pins_from) == ("tf-nightly", "3.13", "tfnightly")
    assert p.deps == (f"tf-nightly=={NEWEST}", "tf-keras-nightly")
    assert p.set_env == {"TF_USE_LEGACY_KERAS": "1"} and p.problem is None
    assert p.wheels == ("3.11", "3.12", "3.13", "3.14")
    assert releases.env_dir(p).name == f"tf-{NEWEST}-py3.13"  # the releases' cache of envs
    # a release after the matrix's last minor still takes that minor's pins, never the nightly's
    assert versions.pins_env("2.22.0", toxini.read()).name == "tf221"


def test_builds_without_a_usable_wheel_say_why(catalog):
    envs = toxini.read()
    gone = versions.plan("2.23.0.dev20261009", catalog, envs, only(*EVERYTHING))
    assert gone.problem == "no wheel for any interpreter here: no wheel for this platform"
    newer = versions.plan("2.22.0.dev20260411", catalog, envs, only(*EVERYTHING))
    assert "wheels for Python 3.14, none installed (pyenv install 3.14)" in newer.problem


def test_user_names_a_build_by_version_date_or_nightly(catalog):
    envs = toxini.read()
    assert versions.lookup("nightly", catalog, envs, "https://i").version == NEWEST
    assert versions.lookup("2026-10-26", catalog, envs, "https://i").version == NEWEST
    assert versions.lookup("20261025", catalog, envs, "https://i").version == "2.23.0.dev20261025"
    assert versions.lookup("2.23.0-dev20261026", catalog, envs, "https://i").version == NEWEST
    # 'nightly' is the newest build that runs here: with Python 3.10 only, the last 3.10 build
    assert versions.lookup("nightly", catalog, envs, "https://i",
                           only("3.10")).version == "2.22.0.dev20260302"


def test_refusals_name_the_version_and_the_nearest_builds(catalog):
    envs = toxini.read()
    with pytest.raises(UserError, match=r"^no tf-nightly build of 2026-03-01 on the index https://i "
                                        r"\(nearest builds: 2\.22\.0\.dev20260227, "
                                        r"2\.22\.0\.dev20260302\)$"):
        versions.lookup("2026-03-01", catalog, envs, "https://i")
    with pytest.raises(UserError, match=r"^tf-nightly 2\.22\.0\.dev20260301 is not on the index "
                                        r"https://i \(nearest builds: 2\.22\.0\.dev20260227, "
                                        r"2\.22\.0\.dev20260302; "):
        versions.lookup("2.22.0.dev20260301", catalog, envs, "https://i")
    with pytest.raises(UserError, match=r"nearest builds: 2\.23\.0\.dev20261026;"):
        versions.lookup("2.23.0.dev20261127", catalog, envs, "https://i")
    # only Python 3.10 here: the 2.23 builds have no wheel for it, the early 2.22 ones do
    p = versions.lookup(NEWEST, catalog, envs, "https://i", only("3.10"))
    assert p.problem.endswith("(pyenv install 3.14); nearest builds that run here: "
                              "2.22.0.dev20260302")


# --- the bisect command over nightlies, offline: recorded index, a fake runner -------------------

CASE, TARGET, SOURCE = "iso", "y1", "t"
FIXED = "2.22.0.dev20260920"  # the first build of the fake history with the new status


def fake_git(version):
    return f"v1.12.1-{140000 + int(version[-4:])}-g{int(version[-8:]):011x}"


@pytest.fixture
def offline_nightly(tmp_path, catalog, monkeypatch):
    """The command over the recorded index; 'running' a version writes a raw file saying `error` up
    to 2.21.0 and before FIXED, `grad` from FIXED on, with the build's fake GIT_VERSION."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(index, "read", lambda refresh=False: ("https://i", catalog))
    monkeypatch.setattr(versions, "available", lambda python: f"/py/{python}")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / f"{CASE}.py").write_text("def build(tf):\n    raise NotImplementedError\n")
    raw = tmp_path / "raw"
    ran = []

    def fake_run(plan, url, cases_dir, names, out_dir, all_variants=False, quiet=False, script=None,
                 cache=True):
        ran.append(plan.version)
        fake_run.cached.append(cache)
        new = matrix.version_key(plan.version) >= matrix.version_key(FIXED)
        git = fake_git(plan.version) if nightly.is_nightly(plan.version) else "v2.21.0"
        doc = rawfile.new(releases.env_name(plan.version),
                          {"tf_version": plan.version, "tf_git_version": git}, {})
        doc["cells"] = [{"case": CASE, "variant": [], "variant_label": "", "status": "ok",
                         "pairs": [{"target": TARGET, "source": SOURCE,
                                    "status": "grad" if new else "error"}]}]
        rawfile.write(str(out_dir / f"rel-{plan.version}.json"),
                      stamped(doc, cases_dir / f"{CASE}.py"))
        return releases.Outcome(plan.version, out_dir / f"rel-{plan.version}.json", "ran",
                                exit_code=0)

    fake_run.cached = []  # each run's cache=: bisect --drop-envs installs without uv's cache
    monkeypatch.setattr(releases, "run_release", fake_run)
    return raw, cases, ran


def bisect_cli(capsys, offline_nightly, *args):
    from harness.host.cli import main
    raw, cases, _ = offline_nightly
    code = main(["bisect", "--cases", str(cases), "--case", CASE, "--target", TARGET, "--source",
                 SOURCE, "--out", str(raw), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bisect_from_the_newest_nightly_to_the_last_release_names_two_adjacent_builds(
        offline_nightly, capsys, catalog):
    _, _, ran = offline_nightly
    code, out, err = bisect_cli(capsys, offline_nightly, "--good", NEWEST, "--bad", "2.21.0",
                                "--json")
    assert code == 0, err
    got = json.loads(out)
    runnable = [v for v in versions.between(catalog, "2.21.0", NEWEST, with_nightlies=True)
                if not versions.plan(v, catalog, toxini.read()).problem]
    i = runnable.index(FIXED)
    assert (got["last_old"], got["first_new"]) == (runnable[i - 1], FIXED)
    assert (got["old_status"], got["new_status"], got["direction"]) == ("error", "grad", "fixed")
    assert got["compare_url"] == ("https://github.com/tensorflow/tensorflow/compare/"
                                  f"{nightly.commit_of(fake_git(runnable[i - 1]))}..."
                                  f"{nightly.commit_of(fake_git(FIXED))}")
    assert got["first_new_name"] == f"nightly of 2026-09-20 (commit {int(FIXED[-8:]):011x})"
    # two builds per step on two cores (a three-way split) while more than three are left: about
    # log3 steps of two installs, plus the two ends
    about = bisect.steps_about(len(runnable) - 2)
    assert about == 6 and got["steps"] <= about + 1 and len(ran) <= 2 * got["steps"] + 2
    assert got["asked"] == len(ran) - 2
    steps = [ln for ln in err.splitlines() if "step " in ln and " of about " in ln]
    assert len(steps) == len(ran) - 2 and " so far" in steps[0]
    assert any("step 1 of about 6 (1/2)" in s for s in steps) and any(
        "step 1 of about 6 (2/2)" in s for s in steps)
    # what was learned is cached: the commits of the builds that ran
    assert index.known_commits()[FIXED] == fake_git(FIXED)
    # builds without a wheel for this platform were never asked
    assert not set(ran) & {"2.22.0.dev20260321", "2.23.0.dev20261009"}


def test_one_build_per_step_finds_the_same_pair_in_more_steps(offline_nightly, capsys, catalog):
    _, _, ran = offline_nightly
    code, out, err = bisect_cli(capsys, offline_nightly, "--good", NEWEST, "--bad", "2.21.0",
                                "--json", "--serial")
    assert code == 0, err
    got = json.loads(out)
    runnable = [v for v in versions.between(catalog, "2.21.0", NEWEST, with_nightlies=True)
                if not versions.plan(v, catalog, toxini.read()).problem]
    assert got["first_new"] == FIXED and got["steps"] == got["asked"] == len(ran) - 2
    assert len(ran) <= math.ceil(math.log2(len(runnable) - 1)) + 2
    assert bisect.steps_about(len(runnable) - 2, two=False) == 8 and 6 <= got["steps"] <= 9
    assert "step 1 of about 8 " in err and "(1/2)" not in err


def test_the_text_answer_names_the_builds(offline_nightly, capsys):
    code, out, _ = bisect_cli(capsys, offline_nightly, "--good", "nightly", "--bad", "2.21.0")
    assert code == 0
    assert f"first grad: {FIXED} (nightly of 2026-09-20 (commit " in out
    assert "upstream diff: https://github.com/tensorflow/tensorflow/compare/" in out


def test_nightly_refusals_are_one_line(offline_nightly, capsys, monkeypatch):
    monkeypatch.setattr(versions, "available", lambda python: None if python == "3.14" else "/py")
    for args, message in (
            (("--good", "2026-03-01", "--bad", "2.21.0"),
             "no tf-nightly build of 2026-03-01 on the index https://i (nearest builds: "
             "2.22.0.dev20260227, 2.22.0.dev20260302)"),
            (("--good", "2.22.0.dev20260301", "--bad", "2.21.0"),
             "tf-nightly 2.22.0.dev20260301 is not on the index https://i (nearest builds: "),
            (("--good", NEWEST, "--bad", "2.23.0.dev20261017"),
             f"nothing to bisect: --good {NEWEST} and --bad 2.23.0.dev20261017 are both grad"),
            (("--good", "2.22.0.dev20260411", "--bad", "2.21.0"),
             "2.22.0.dev20260411 cannot be an end of the search: no wheel for any interpreter "
             "here: wheels for Python 3.14, none installed (pyenv install 3.14); nearest builds "
             "that run here: 2.22.0.dev20260409, 2.22.0.dev20260415")):
        code, _, err = bisect_cli(capsys, offline_nightly, *args)
        lines = err.strip().splitlines()
        assert code == 2 and message in lines[-1], lines[-1]


def test_versions_nightly_lists_the_builds_newest_first_with_known_commits(
        offline_nightly, capsys):
    from harness.host.cli import main
    index.remember_commit(NEWEST, GIT)
    assert main(["versions", "--nightly", "--from", "2.23.0.dev20261019"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].split()[:5] == ["build", "date", "python", "wheels", "commit"]
    assert [r.split()[0] for r in rows[2:-1]] == [
        NEWEST, "2.23.0.dev20261025", "2.23.0.dev20261024", "2.23.0.dev20261023",
        "2.23.0.dev20261019"]
    assert rows[2].split()[1:5] == ["2026-10-26", "python3.13", "3.11,3.12,3.13,3.14", "ef696751006"]
    assert rows[3].split()[4] == "-"
    assert rows[-1].startswith("5 tf-nightly builds, 5 can run here")
    assert main(["versions", "--nightly", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["nightlies"]
    assert len(got) == 179 and got[0]["version"] == NEWEST and got[0]["git_version"] == GIT


def test_pictures_label_a_nightly_by_its_date_and_a_release_as_it_is():
    assert nightly.label("2.23.0.dev20261026") == "nightly 2026-10-26"
    assert nightly.label("2.21.0") == "2.21.0"


def test_drop_envs_deletes_what_the_search_made_between_steps(offline_nightly, capsys,
                                                               monkeypatch):
    _, _, ran = offline_nightly
    dropped = []
    monkeypatch.setattr(releases, "drop_env", lambda plan: dropped.append(plan.version))
    code, out, err = bisect_cli(capsys, offline_nightly, "--good", NEWEST, "--bad", "2.21.0",
                                "--json", "--drop-envs")
    assert code == 0, err
    assert json.loads(out)["first_new"] == FIXED
    # every environment the search made (the fake runner makes new ones) is gone, once each, and
    # was installed without uv's cache (deleting it frees its disk; the cache is never emptied)
    assert sorted(dropped) == sorted(ran) and len(set(dropped)) == len(dropped)
    assert releases.run_release.cached == [False] * len(ran)


def test_dropping_an_environment_never_empties_uvs_cache(tmp_path, monkeypatch):
    """`uv cache clean tensorflow` dropped every release's wheels: the next tox environments
    downloaded them all again and filled the disk. Only the environment itself goes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    plan = versions.Plan("2.23.0.dev20261018", "tf-nightly", "3.13", "/py", ("tf-nightly",))
    where = releases.env_dir(plan)
    (where / "bin").mkdir(parents=True)
    calls = []
    monkeypatch.setattr(releases.subprocess, "run", lambda *a, **k: calls.append(a))
    releases.drop_env(plan)
    assert not where.exists() and calls == []
