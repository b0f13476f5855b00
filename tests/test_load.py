"""Raw files -> tidy table, on frozen files of a real run; broken files are rows, not crashes."""
import json

import pytest

from harness.host.tables import load
from harness.host.reports import report
from harness.host.envs import toxini
from harness.schema import ERROR, SCHEMA_VERSION, SKIPPED

SEED = "seed_conv_bn_gru"
SEED_VARIANT = "batch=None,input=cond,cell=gru,seq_len=inputs"
CONV_BN = ["layer_cell/conv1d/kernel", "layer_cell/conv1d/bias", "layer_cell/bn/gamma",
           "layer_cell/bn/beta"]


def always(specs):
    return specs[0], "/usr/bin/" + specs[0], "PATH"


def never(specs):
    return None, None, "none of {} found; get one with: pyenv install".format(", ".join(specs))


def envs(*names):
    return [env for env in toxini.read() if env.name in names]


def test_tidy_has_exactly_the_csv_columns_and_one_row_per_pair(raw_dir):
    docs, problems = load.load_dir(raw_dir)
    tidy = load.tidy(docs, problems)
    assert problems == []
    assert list(tidy[load.CSV_COLUMNS].columns) == [
        "tf_version", "python_version", "case", "variant", "target", "source", "status", "detail",
        "break_op"]
    # 4 releases x (4 GRU variants x 20 pairs + 1 LSTM variant x 16 pairs)
    assert len(tidy) == 4 * (4 * 20 + 16)
    assert not tidy.duplicated(["tf_version", "case", "variant", "target", "source"]).any()


def test_seed_statuses_as_recorded(raw_dir):
    tidy = load.tidy(*load.load_dir(raw_dir))
    cell = tidy[(tidy["variant"] == SEED_VARIANT) & (tidy["target"] == "new_state")]
    status = {(r.tf_version, r.source): r.status for r in cell.itertuples()}
    for source in CONV_BN:
        assert status[("1.8.0", source)] == "none"
        assert status[("1.9.0", source)] == "grad"
    assert status[("1.8.0", "rnn_model/rnn/gru_cell/gates/kernel")] == "grad"
    grad_rows = cell[cell["status"] == "grad"]
    assert (grad_rows["detail"].str.startswith("float32 [")).all()


@pytest.mark.parametrize("content, fragment", [
    ('{"kind": "tf-regression-harness/raw", "sche', "not valid JSON, truncated or corrupt"),
    ("", "empty file"),
    ("\x00\x01garbage", "not valid JSON"),
    ('{"hello": 1}', "not a harness result file"),
])
def test_broken_file_is_named_and_the_rest_still_loads(raw_dir, content, fragment):
    (raw_dir / "tf27.json").write_text(content)
    docs, problems = load.load_dir(raw_dir)
    assert len(docs) == 4
    assert len(problems) == 1
    assert problems[0].env_name == "tf27" and problems[0].status == ERROR
    assert fragment in problems[0].detail and "tf27.json" in problems[0].detail
    tidy = load.tidy(docs, problems)
    broken = tidy[tidy["env_name"] == "tf27"]
    assert (broken["status"] == ERROR).all() and broken["tf_version"].eq("2.7").all()
    assert len(broken) == 96  # expanded to every known column


def test_newer_schema_is_refused_with_what_to_upgrade(raw_dir):
    doc = json.loads((raw_dir / "tf18.json").read_text())
    doc["schema"] = SCHEMA_VERSION + 1
    (raw_dir / "tf18.json").write_text(json.dumps(doc))
    with pytest.raises(load.RawFileError, match="newer than this harness reads.*upgrade"):
        load.load_raw(raw_dir / "tf18.json")


def test_artifact_subfolders_are_read(raw_dir, tmp_path):
    nested = tmp_path / "artifacts"
    for path in raw_dir.glob("*.json"):
        (nested / f"raw-{path.stem}").mkdir(parents=True)
        path.rename(nested / f"raw-{path.stem}" / path.name)
    docs, problems = load.load_dir(nested)
    assert len(docs) == 4 and problems == []


def test_release_without_interpreter_is_a_skipped_row_with_reason(raw_dir):
    tables = report.build(raw_dir, envs("tf18", "tf19", "tf115", "tf221", "tf27"), pick=never)
    skipped = tables.tidy[tables.tidy["env_name"] == "tf27"]
    assert len(skipped) == 96 and (skipped["status"] == SKIPPED).all()  # not vacuous: 96 rows
    assert skipped["detail"].str.contains("python3.9").all()
    assert "2.7" in tables.matrix.index


def test_release_not_run_is_listed_as_missing_not_invented(raw_dir):
    tables = report.build(raw_dir, envs("tf18", "tf19", "tf115", "tf221", "tf27"), pick=always)
    assert tables.missing == ["tf27"]
    assert "tf27" not in set(tables.tidy["env_name"])


def test_environment_that_never_ran_is_rows_of_its_status(raw_dir):
    from harness.inside.running import rawfile
    rawfile.write(str(raw_dir / "tf99.json"), rawfile.failed_env(
        "tf99", "9.9", "install_failed", "No solution found: tensorflow==9.9.* not on the index"))
    docs, problems = load.load_dir(raw_dir)
    assert [(p.env_name, p.tf_version, p.status) for p in problems] == [
        ("tf99", "9.9", "install_failed")]
    tidy = load.tidy(docs, problems)
    rows = tidy[tidy["tf_version"] == "9.9"]
    assert len(rows) == 96 and (rows["status"] == "install_failed").all()
    assert rows["detail"].str.contains("not on the index").all()
