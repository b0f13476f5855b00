"""The pivot and the transitions, on frozen files of a real run."""
import pandas as pd

from harness.host.tables import load, matrix
from harness.host.reports import report
from harness.host.envs import toxini
from tests.test_load import CONV_BN, SEED, SEED_VARIANT


def tables(raw_dir):
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf115", "tf221")]
    return report.build(raw_dir, envs, pick=lambda specs: (specs[0], "x", "PATH"))


def test_versions_sort_by_release_not_string():
    versions = ["2.10.0", "2.9.3", "1.15.5", "1.8.0", "2.21.0", "2.2.3", "1.9.0", "2.0.0rc1",
                "2.0.0", "2.0.0.post1"]
    assert sorted(versions, key=matrix.version_key) == [
        "1.8.0", "1.9.0", "1.15.5", "2.0.0rc1", "2.0.0", "2.0.0.post1", "2.2.3", "2.9.3",
        "2.10.0", "2.21.0"]


def test_matrix_rows_in_release_order_one_column_per_pair(raw_dir):
    wide = tables(raw_dir).matrix
    assert list(wide.index) == ["1.8.0", "1.9.0", "1.15.5", "2.21.0"]
    assert wide.shape[1] == 96
    assert list(wide.columns.names) == matrix.KEY
    col = (SEED, SEED_VARIANT, "new_state", "layer_cell/conv1d/kernel")
    assert list(wide[col]) == ["none", "grad", "grad", "grad"]


def test_seed_transition_none_to_grad_at_1_9(raw_dir):
    trans = tables(raw_dir).transitions
    seed = trans[(trans["variant"] == SEED_VARIANT) & (trans["target"] == "new_state")]
    assert sorted(seed["source"]) == sorted(CONV_BN)
    assert set(zip(seed["old_status"], seed["new_status"], seed["last_old"], seed["first_new"])) \
        == {("none", "grad", "1.8.0", "1.9.0")}
    assert trans[trans["target"] == "output"].empty


def test_terminal_lines_group_sources(raw_dir):
    lines = [f.line() for f in tables(raw_dir).analysis.changes]
    assert lines[0] == (
        f"{SEED} [{SEED_VARIANT}] d new_state / d ({', '.join(CONV_BN)}): none -> grad at 1.9.0 "
        "(last none: 1.8.0)")


def test_statuses_without_outcome_do_not_make_transitions():
    df = pd.DataFrame([
        {"tf_version": v, "case": "c", "variant": "", "target": "t", "source": "s", "status": s}
        for v, s in [("1.8.0", "none"), ("1.9", "skipped"), ("1.10.0", "none"), ("1.11.0", "grad")]])
    trans = matrix.transitions(df)
    assert list(zip(trans["last_old"], trans["first_new"])) == [("1.10.0", "1.11.0")]


def test_csv_files_written(raw_dir, tmp_path):
    paths = report.write_tables(tables(raw_dir), tmp_path)
    grads = pd.read_csv(paths[0], keep_default_na=False)
    assert list(grads.columns) == load.CSV_COLUMNS
    assert list(dict.fromkeys(grads["tf_version"])) == ["1.8.0", "1.9.0", "1.15.5", "2.21.0"]
    wide = pd.read_csv(paths[1], index_col=0)
    assert wide.shape == (4, 96)
    trans = pd.read_csv(paths[2])
    assert list(trans.columns) == matrix.TRANSITION_COLUMNS and len(trans) == 12


def test_runs_of_one_release_merge_into_one_row_latest_cell_wins(raw_dir):
    import json
    doc = json.loads((raw_dir / "tf18.json").read_text())
    doc["env_name"] = "rel-1.8.0"
    doc["run"]["finished"] = "2099-01-01T00:00:00Z"
    doc["cells"] = [dict(doc["cells"][0], status="error", pairs=[], detail="rerun failed")]
    (raw_dir / "rel-1.8.0.json").write_text(json.dumps(doc))
    t = tables(raw_dir)
    assert t.missing == []
    rows = t.tidy[t.tidy["tf_version"] == "1.8.0"]
    assert set(rows[rows["variant"] == SEED_VARIANT]["status"]) == {"error"}
    others = rows[rows["variant"] != SEED_VARIANT]
    assert len(others) == 76 and "none" in set(others["status"])
