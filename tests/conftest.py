import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def raw_dir(tmp_path):
    """A copy of the frozen raw files of a real run (tf18, tf19, tf115, tf221)."""
    dest = tmp_path / "raw"
    shutil.copytree(DATA / "raw", dest)
    return dest
