"""What a newcomer meets on a first run, on real TensorFlow (issue 24): the commands the report hands
out run as printed, and a case none of whose gradients could be checked is said so."""
import re
import shutil
import subprocess
import sys

import pytest

from harness.host.reports import report
from tests.conftest import ROOT, tox

pytestmark = pytest.mark.integration


def test_a_case_whose_forward_pass_fails_is_said_unchecked_and_none_dim_fixes_it(tmp_path):
    cases = ROOT / "tests" / "cases_point"
    tox("-e", "tf18", "--", "--cases", str(cases), "--case", "fixed_batch", "--out",
        str(tmp_path / "two"))
    tables = report.build(tmp_path / "two", envs=[])
    assert set(tables.tidy["status"]) == {"grad"}  # present gradients ...
    [line] = [ln for ln in report.summary(tables) if ln.startswith("not checked: ")]
    assert line.startswith("not checked: fixed_batch: none of its gradients was checked on 1.8.0: "
                           "the forward pass fails at the generated inputs (")
    assert "--none-dim N (this run: 2)" in line
    tox("-e", "tf18", "--", "--cases", str(cases), "--case", "fixed_batch", "--none-dim", "5",
        "--out", str(tmp_path / "five"))
    tables = report.build(tmp_path / "five", envs=[])
    assert tables.analysis.unchecked == []
    assert not any(ln.startswith("not checked") for ln in report.summary(tables))
    assert not tables.tidy["detail"].str.contains("no numeric verdict").any()


def test_every_command_of_the_reproduce_section_runs_as_printed(tmp_path):
    """A case in a directory of the user's own, results outside the checkout."""
    mine = tmp_path / "my cases"
    mine.mkdir()
    shutil.copy(ROOT / "cases" / "minimal_rnn_trigger.py", mine / "so_trigger.py")
    raw, out = tmp_path / "raw", tmp_path / "out"
    tox("-e", "tf18,tf19", "--", "--cases", str(mine), "--out", str(raw))
    made = subprocess.run([sys.executable, "-m", "harness", "report", "--raw", str(raw), "--out",
                           str(out), "--no-plots"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert made.returncode == 0, made.stdout + made.stderr
    md = (out / "report.md").read_text()
    section = md.split("## Reproduce", 1)[1]
    commands = re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).splitlines()
    assert len(commands) == 3 and "--cases" in commands[1] and "--raw" in commands[2]
    for command in commands:
        ran = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                             timeout=1800)
        assert ran.returncode == 0, command + "\n" + ran.stdout[-2000:] + ran.stderr[-2000:]
    assert (out / "report.md").read_text().count("none` up to 1.8.0") >= 1


@pytest.mark.parametrize("attempt", [1, 2])
def test_the_five_python_3_6_environments_set_up_at_once_into_an_empty_work_dir(attempt, tmp_path):
    """The race of issue 24 for real: `tox -p` fills an empty .interpreters from one thread per
    environment; five of them want the same python3.6 link at once."""
    envs = ["tf18", "tf19", "tf110", "tf111", "tf112"]
    proc = subprocess.run([sys.executable, "-m", "tox", "run-parallel", "-p", "all", "--notest",
                           "--workdir", str(tmp_path / "wd"), "-e", ",".join(envs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "internal error" not in proc.stdout + proc.stderr
    for env in envs:
        assert f"{env}: OK" in proc.stdout, proc.stdout[-3000:]
    links = tmp_path / "wd" / ".interpreters"
    assert sorted(p.name for p in links.iterdir()) == ["python3.6"]
