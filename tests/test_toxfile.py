"""The inline tox plugin (toxfile.py) on tiny tox projects, run in-process with tox's own test helper.

Each test writes a tox.ini and a copy of this checkout's toxfile.py into a temporary folder and runs
real tox there through `tox_project` (tox's pytest plugin, `tox.pytest`): real uv creates real
virtual environments of the interpreter running the tests, uv never touches the network
(`UV_OFFLINE`, `UV_PYTHON_DOWNLOADS=never`), and an install fails for real (a distribution that is
in no cache). No TensorFlow: the commands only copy a frozen raw file.
"""
import json
import os
import subprocess
import sys

import pytest
from tox.pytest import init_fixture  # noqa: F401 - the `tox_project` fixture, for this module only
from tox.util.cpu import auto_detect_cpus

from harness.host.envs import failures
from harness.host.tables import load
from tests.conftest import DATA, ROOT

HOST = "python%d.%d" % sys.version_info[:2]
GOOD = DATA / "raw" / "tf18.json"
COPY = f'python -c "import shutil, os; os.makedirs(\'raw\', exist_ok=True); shutil.copy(r\'{GOOD}\', \'raw/tf18.json\')"'
INI = f"""
[tox]
env_list = tf18, tf99, tf15
skip_missing_interpreters = true

[testenv]
package = skip
commands = {COPY} --out raw

[testenv:tf18]
base_python = python3.99, {HOST}

[testenv:tf99]
base_python = {HOST}
deps = no-such-dist-xyz==9.9

[testenv:tf15]
base_python = python3.1
"""


@pytest.fixture
def project(tox_project, monkeypatch):
    """A tox project with the plugin; uv offline; PATH restored after the test (the plugin extends it)."""
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    monkeypatch.setenv("UV_OFFLINE", "1")
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")

    def make(files=None):
        return tox_project({"tox.ini": INI, "toxfile.py": (ROOT / "toxfile.py").read_text(),
                            **(files or {})})

    return make


def _doc(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize(("args", "expected"), [(("-p",), auto_detect_cpus()), (("-p", "all"), None),
                                                (("-p", "1"), 1), ((), 0)])
def test_bare_p_runs_one_env_per_core_and_p_all_stays_unlimited(project, args, expected):
    out = project().run(*args, "-e", "tf18", "--notest")
    out.assert_success()
    assert out.state.conf.options.parallel == expected


def test_base_python_is_narrowed_to_the_interpreter_found_and_linked_in_the_work_dir(project, tmp_path):
    proj = project()
    out = proj.run("--workdir", str(tmp_path / "wd"), "-e", "tf18")
    out.assert_success()
    assert out.env_conf("tf18")["base_python"] == [HOST]
    assert f"-p cpython{HOST[len('python'):]}" in out.out
    assert (tmp_path / "wd" / ".interpreters" / HOST).is_symlink()


def test_notest_after_a_good_run_leaves_the_raw_file_as_it_was(project):
    proj = project()
    proj.run("-e", "tf18").assert_success()
    raw = proj.path / "raw" / "tf18.json"
    before = raw.read_bytes()
    assert _doc(raw)["cells"]
    for args in (("-e", "tf18", "--notest"), ("-r", "-e", "tf18", "--notest")):
        proj.run(*args).assert_success()
        assert raw.read_bytes() == before
    assert sorted(p.name for p in raw.parent.iterdir()) == ["tf18.json"]


def test_failed_install_keeps_the_installers_words_and_runs_no_network_command(project, monkeypatch):
    calls = []
    real_popen = subprocess.Popen

    class Recording(real_popen):
        def __init__(self, args, *rest, **kwargs):
            calls.append([str(a) for a in args] if isinstance(args, (list, tuple)) else [str(args)])
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Recording)  # what the plugin could call (tox imports its own)
    proj = project()
    out = proj.run("-e", "tf99")
    out.assert_failed()
    doc = _doc(proj.path / "raw" / "tf99.json")
    assert doc["env_status"] == "install_failed" and doc["env"]["tf_version"] == "9.9"
    detail = doc["env_detail"]
    assert detail.startswith("cannot install no-such-dist-xyz==9.9: ")
    assert "no-such-dist-xyz" in detail and "unsatisfiable" in detail, detail
    assert not [c for c in calls if "compile" in c or any(a.endswith("uv") for a in c)], calls
    subprocess.run(["true"], check=True)  # the recorder sees what the plugin would run
    assert calls[-1] == ["true"]


def test_earlier_results_stay_when_a_reinstall_fails(project):
    proj = project({"raw": {"tf99.json": GOOD.read_text()}})
    raw = proj.path / "raw"
    before = (raw / "tf99.json").read_bytes()
    proj.run("-e", "tf99").assert_failed()
    assert (raw / "tf99.json").read_bytes() == before
    note = _doc(raw / "tf99.json.failed")
    assert note["env_status"] == "install_failed" and "unsatisfiable" in note["env_detail"]
    assert load.raw_files(raw) == [raw / "tf99.json"]


def test_a_failure_document_is_replaced_and_a_run_that_reaches_its_commands_drops_the_note(project):
    proj = project({"raw": {"tf18.json.failed": "{}"}})
    raw = proj.path / "raw"
    proj.run("-e", "tf99").assert_failed()
    first = _doc(raw / "tf99.json")
    (raw / "tf99.json").write_text(json.dumps(dict(first, env_detail="an older failure")))
    proj.run("-e", "tf99").assert_failed()
    assert _doc(raw / "tf99.json")["env_detail"] == first["env_detail"]
    assert not (raw / "tf99.json.failed").exists()
    proj.run("-e", "tf18").assert_success()
    assert not (raw / "tf18.json.failed").exists()


def test_failed_install_under_notest_is_still_a_failure(project):
    proj = project()
    proj.run("-e", "tf99", "--notest").assert_failed()
    assert _doc(proj.path / "raw" / "tf99.json")["env_status"] == "install_failed"


def test_missing_interpreter_is_skipped_saying_how_to_get_it(project):
    proj = project()
    proj.run("-e", "tf15")
    doc = _doc(proj.path / "raw" / "tf15.json")
    assert doc["env_status"] == "skipped"
    assert "python3.1" in doc["env_detail"] and "get one with" in doc["env_detail"]


def test_unselected_and_never_set_up_environments_get_no_file(project):
    proj = project()
    raw = proj.path / "raw"
    proj.run("-e", "tf99").assert_failed()  # leaves a failed install in .tox/tf99/log
    (raw / "tf99.json").unlink()
    out = proj.run("-e", "tf18")
    out.assert_success()
    assert sorted(p.name for p in raw.iterdir()) == ["tf18.json"]
    # What tox does to an environment an interrupt kept from starting: a teardown without a setup.
    # The install log tox kept from the earlier run is not this run's failure.
    plugin = sys.modules["toxfile"]
    for name in ("tf99", "tf15"):
        plugin.tox_env_teardown(out.state.envs[name])
    assert sorted(p.name for p in raw.iterdir()) == ["tf18.json"]


def test_tox_c_other_ini_is_the_configuration_used(project):
    other = INI.replace(f"base_python = python3.99, {HOST}", f"base_python = python3.97, {HOST}")
    other = other.replace("deps = no-such-dist-xyz==9.9", "deps = other-missing-dist==1.0")
    proj = project({"other.ini": other,
                    "tox.ini": INI.replace(f"base_python = python3.99, {HOST}", "base_python = python3.98")})
    out = proj.run("-c", "other.ini", "config", "-e", "tf18", "-k", "base_python")
    out.assert_success()
    assert f"base_python = {HOST}\n" in out.out, out.out
    proj.run("-c", "other.ini", "-e", "tf99").assert_failed()
    assert "other-missing-dist==1.0" in _doc(proj.path / "raw" / "tf99.json")["env_detail"]


def test_the_installers_message_is_kept_without_its_decoration(tmp_path):
    log = tmp_path / "3-install_deps.log"
    log.write_text("name: tf99\nrun_id: install_deps\nenv PATH: /bin\ncmd: uv pip install x\n"
                   "exit_code: 1\nstandard error:\nUsing Python 3.6.15 environment at: .tox/tf99\n"
                   "  × No solution found when resolving dependencies:\n"
                   "  ╰─▶ Because tensorflow==9.9.* was not found in the package registry and you\n"
                   "      require tensorflow==9.9.*, we can conclude that your requirements are\n"
                   "      unsatisfiable.\n")
    logged = failures.read_log(log)
    assert (logged.run_id, logged.exit_code) == ("install_deps", 1)
    assert failures.install_detail(["tensorflow==9.9.*"], logged, tmp_path) == (
        "cannot install tensorflow==9.9.*: No solution found when resolving dependencies: Because "
        "tensorflow==9.9.* was not found in the package registry and you require tensorflow==9.9.*, "
        "we can conclude that your requirements are unsatisfiable.")
    assert failures.logs_since(tmp_path, log.stat().st_mtime + 1) == []
    silent = tmp_path / "4-install_deps.log"
    silent.write_text("run_id: install_deps\nexit_code: 2\n")
    assert "see tox's log" in failures.install_detail([], failures.read_log(silent), tmp_path)


def test_a_failure_of_the_plugin_itself_is_the_environments_recorded_failure(project, monkeypatch):
    """The race of issue 24 planted: linking the interpreter raises inside tox's own process. tox
    calls it an internal error and runs nothing; the release must not silently have no result."""
    from harness.host.envs import interpreters

    def broken(specs, target):
        raise FileNotFoundError(2, "No such file or directory", ".interpreters/.python3.6.2831")

    monkeypatch.setattr(interpreters, "link_dir", broken)
    proj = project()
    out = proj.run("-e", "tf18")
    out.assert_failed()
    doc = _doc(proj.path / "raw" / "tf18.json")
    assert doc["env_status"] == "install_failed"
    assert doc["env_detail"].startswith("tox stopped before setting it up: the harness's tox plugin "
                                        "failed (toxfile.py, base_python): FileNotFoundError: ")
