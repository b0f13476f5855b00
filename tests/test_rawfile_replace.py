"""Raw results are replaced only by better ones (rawfile.Writer), and the host sees partial runs
without taking them for environments; provenance in the report (frozen files)."""
import json

from harness.host.reports import mdreport, report
from harness.host.envs import toxini
from harness.host.tables import load, provenance
from harness.inside.running import rawfile
from tests.conftest import ROOT


def doc(*labels, complete=False):
    d = rawfile.new("tf18", {"tf_version": "1.8.0"}, {"started": "2026-11-27T12:00:00Z"})
    d["cells"] = [{"case": "c", "variant_label": label, "status": "ok", "pairs": []}
                  for label in labels]
    d["complete"] = complete
    return d


def test_a_rerun_writes_beside_the_old_file_until_it_has_every_cell_the_old_one_had(tmp_path):
    path = tmp_path / "tf18.json"
    rawfile.write(str(path), doc("a", "b", "c", complete=True))
    before = path.read_bytes()
    writer = rawfile.Writer(str(path))
    assert writer.write(doc()) == str(path) + ".partial"
    assert writer.write(doc("a", "b")) == str(path) + ".partial"
    assert path.read_bytes() == before
    assert len(json.loads((tmp_path / "tf18.json.partial").read_text())["cells"]) == 2
    assert writer.write(doc("a", "b", "c")) == str(path)
    assert not (tmp_path / "tf18.json.partial").exists()
    assert writer.write(doc("a")) == str(path)  # replaced for good: the run's own file now


def test_a_complete_run_replaces_the_old_file_even_with_fewer_cells(tmp_path):
    path = tmp_path / "tf18.json"
    rawfile.write(str(path), doc("a", "b", complete=True))
    writer = rawfile.Writer(str(path))
    writer.write(doc("a"))
    assert len(json.loads(path.read_text())["cells"]) == 2
    writer.write(doc("a", complete=True))
    assert len(json.loads(path.read_text())["cells"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tf18.json"]


def test_a_run_whose_worker_could_not_start_never_replaces_results(tmp_path):
    """TensorFlow failed to import once (memory, disk): the cells' errors say nothing about them."""
    path = tmp_path / "tf18.json"
    rawfile.write(str(path), doc("a", "b", complete=True))
    before = path.read_bytes()
    failed = doc("a", "b", complete=True)
    for cell in failed["cells"]:
        cell.update(status="error", detail="worker exited with code 1 before running a cell "
                                           "(importing TensorFlow): MemoryError")
    writer = rawfile.Writer(str(path))
    assert writer.write(failed) == str(path) + ".partial"
    assert path.read_bytes() == before
    half = doc("a", "b", complete=True)
    half["cells"][1].update(status="error", detail="importing TensorFlow failed: OSError")
    assert writer.write(half) == str(path) + ".partial"  # b has no result: a is not enough
    assert path.read_bytes() == before
    assert rawfile.transient(failed["cells"][0]) and not rawfile.transient(doc("a")["cells"][0])
    crashed = doc("a", "b", complete=True)
    crashed["cells"][0].update(status="crash", detail="killed by signal 6 (SIGABRT): ...")
    assert writer.write(crashed) == str(path)  # a crash is the case's result: it replaces


def test_nothing_to_keep_missing_corrupt_or_failed_environment_is_written_at_once(tmp_path):
    for old in (None, "{not json", json.dumps(rawfile.failed_env("tf18", "1.8", "skipped", "x"))):
        path = tmp_path / "tf18.json"
        if path.exists():
            path.unlink()
        if old is not None:
            path.write_text(old)
        assert rawfile.Writer(str(path)).write(doc()) == str(path)
        assert json.loads(path.read_text())["cells"] == []


def tables(raw_dir):
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf115", "tf221")]
    return report.build(raw_dir, envs, pick=lambda specs: (specs[0], "x", "PATH"))


def test_partial_files_are_noticed_never_read_as_environments(raw_dir):
    plain = tables(raw_dir)
    partial = json.loads((raw_dir / "tf18.json").read_text())
    partial["cells"] = partial["cells"][:2]
    (raw_dir / "tf18.json.partial").write_text(json.dumps(partial))
    (raw_dir / "tf99.json.partial").write_text("{broken")
    docs, problems = load.load_dir(raw_dir)
    assert sorted(d["env_name"] for d in docs) == ["tf115", "tf18", "tf19", "tf221"]
    assert problems == []
    got = tables(raw_dir)
    assert got.tidy.equals(plain.tidy)
    lines = provenance.partial_lines(got.partials)
    assert lines[0].startswith("tf18: a newer partial run exists (tf18.json.partial: 2 cells")
    assert lines[1].startswith("tf99: a newer partial run exists (tf99.json.partial: unreadable")
    assert lines[0] in report.summary(got)
    assert lines[0] + "." in mdreport.render(got, ROOT).split("## What changed")[0]
    assert not provenance.partial_lines(plain.partials)


def test_report_header_names_runs_carried_cells_and_reported_devices(raw_dir):
    for name, devices, carried in (("tf18", ["CPU:0"], 3), ("tf19", None, 0)):
        d = json.loads((raw_dir / f"{name}.json").read_text())
        d["run"].update({"harness_commit": "fc7a6973aef3+dirty", "host": "vm"})
        if devices:
            d["env"]["devices"] = devices
        for cell in d["cells"][:carried]:
            cell["carried_over"] = True
        (raw_dir / f"{name}.json").write_text(json.dumps(d))
    got = tables(raw_dir)
    head = mdreport.render(got, ROOT).split("## What changed")[0]
    assert "(commit fc7a6973aef3+dirty) (2 environments)" in head
    assert "(commit unknown) (2 environments)" in head  # the frozen tf115/tf221 predate commits
    assert "3 of " in head and "carried over from earlier runs" in head and "tf18 3/" in head
    md = mdreport.render(got, ROOT)
    assert "CPU only (no GPU)" not in md
    assert "Devices: CPU:0 in 1.8.0; not recorded (older raw file) in 1.9.0, 1.15.5, 2.21.0." in md
    assert any("carried over" in line for line in report.summary(got))


def test_no_carried_line_when_every_cell_was_computed(raw_dir):
    assert provenance.carried_line(tables(raw_dir).docs) == ""


def test_byte_string_git_version_of_old_raw_files_is_decoded_on_reading(raw_dir):
    d = json.loads((raw_dir / "tf115.json").read_text())
    d["env"]["tf_git_version"] = "b'v1.13.2-5-g04256c8'"
    (raw_dir / "tf115.json").write_text(json.dumps(d))
    assert load.load_raw(raw_dir / "tf115.json")["env"]["tf_git_version"] == "v1.13.2-5-g04256c8"
    assert "b'v1.13" not in mdreport.render(tables(raw_dir), ROOT)


def test_a_document_of_cells_alone_is_written_as_json():
    assert json.loads(rawfile.text({"cells": [{"case": "c"}]})) == {"cells": [{"case": "c"}]}
    assert json.loads(rawfile.text({})) == {"cells": []}
    full = doc("a", "b")
    assert json.loads(rawfile.text(full)) == full
