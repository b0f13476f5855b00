"""repro --tf MINOR picks the newest release of that minor from any raw file (frozen raw files)."""
import json

import pytest

from harness.host import cli
from harness.host.anyrelease import repro
from harness.host.envs import interpreters
from harness.host.errors import UserError
from tests.conftest import DATA, ROOT


def raw_doc(name: str, **env) -> dict:
    doc = json.loads((DATA / "raw" / name).read_text())
    doc["env"].update(env)
    return doc


def as_release_file(doc: dict, raw_dir, version: str) -> None:
    """Write doc as run-releases/bisect would: rel-<V>.json with env_name rel-<V>."""
    doc = dict(doc, env_name=f"rel-{version}", env=dict(doc["env"], tf_version=version))
    doc["env"]["packages"] = dict(doc["env"]["packages"], tensorflow=version)
    raw_dir.mkdir(exist_ok=True)
    (raw_dir / f"rel-{version}.json").write_text(json.dumps(doc))


def test_repro_tf_minor_works_with_only_a_release_file(tmp_path, capsys):
    raw = tmp_path / "raw"
    as_release_file(raw_doc("tf18.json"), raw, "1.8.0")
    out = tmp_path / "out"
    code = cli.main(["repro", "--case", "seed_conv_bn_gru", "--tf", "1.8", "--cases",
                     str(ROOT / "cases"), "--raw", str(raw), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "tensorflow==1.8.0" in (out / "requirements.txt").read_text().split()
    assert "TensorFlow 1.8.0" in (out / "repro.py").read_text()
    exe, _ = interpreters.find("python3.6")
    assert (out / "command.txt").read_text().startswith(f"{exe} -m venv venv")


def test_repro_tf_minor_takes_the_newest_final_release_of_the_minor():
    docs = [raw_doc("tf115.json", tf_version="1.15.0"), raw_doc("tf115.json"),
            raw_doc("tf115.json", tf_version="1.15.6rc0"), raw_doc("tf19.json")]
    assert repro.find_result(docs, "1.15")["env"]["tf_version"] == "1.15.5"
    assert repro.find_result(docs, "1.15.0")["env"]["tf_version"] == "1.15.0"
    only_rc = [raw_doc("tf115.json", tf_version="1.15.6rc0")]
    assert repro.find_result(only_rc, "1.15")["env"]["tf_version"] == "1.15.6rc0"


def test_repro_tf_minor_prefers_a_release_with_results_of_the_case():
    newer = raw_doc("tf115.json")
    newer["cells"] = [dict(c, case="other_case") for c in newer["cells"]]
    older = raw_doc("tf115.json", tf_version="1.15.2")
    assert repro.find_result([older, newer], "1.15", "seed_conv_bn_gru")["env"]["tf_version"] == "1.15.2"
    assert repro.find_result([older, newer], "1.15")["env"]["tf_version"] == "1.15.5"


def test_repro_tf_minor_does_not_take_another_minor_that_shares_a_prefix():
    docs = [raw_doc("tf115.json")]
    with pytest.raises(UserError, match=r"no results for TensorFlow 1\.1 .*1\.15\.5"):
        repro.find_result(docs, "1.1")
