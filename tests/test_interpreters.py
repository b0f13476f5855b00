"""Interpreter discovery on a fake pyenv tree and an empty PATH."""
import os

import pytest

from harness.host.envs import interpreters


@pytest.fixture
def fake_pyenv(tmp_path, monkeypatch):
    for version in ("3.6.9", "3.6.15", "3.7.16", "3.11.7"):
        bindir = tmp_path / "versions" / version / "bin"
        bindir.mkdir(parents=True)
        exe = bindir / ("python" + version.rsplit(".", 1)[0])
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    return tmp_path


def test_newest_patch_of_the_minor(fake_pyenv):
    exe, origin = interpreters.find("python3.6")
    assert origin == "pyenv"
    assert exe == fake_pyenv / "versions" / "3.6.15" / "bin" / "python3.6"


def test_pick_takes_first_available_of_newest_first_list(fake_pyenv):
    spec, exe, _ = interpreters.pick(("python3.8", "python3.7", "python3.6"))
    assert spec == "python3.7"


def test_missing_interpreter_says_how_to_get_it(fake_pyenv):
    spec, exe, why = interpreters.pick(("python3.9",))
    assert spec is None and exe is None
    assert "python3.9" in why and "pyenv install 3.9" in why


def test_link_dir_exposes_found_interpreters(fake_pyenv, tmp_path):
    links = interpreters.link_dir({"python3.6", "python3.9"}, tmp_path / "links")
    assert os.readlink(links / "python3.6").endswith("3.6.15/bin/python3.6")
    assert not (links / "python3.9").exists()


def test_bad_spec():
    with pytest.raises(ValueError):
        interpreters.parse_spec("py36")


def test_link_dir_from_many_threads_at_once(fake_pyenv, tmp_path):
    """`tox -p` narrows base_python in one thread per environment of one process: the first run fills an
    empty links folder from all of them at once (issue 24: a shared temporary name lost tf19/tf18)."""
    import threading

    for attempt in range(20):
        links = tmp_path / f"links{attempt}"
        start = threading.Barrier(16)
        errors = []

        def fill():
            start.wait()
            try:
                for _ in range(5):
                    interpreters.link_dir({"python3.6", "python3.7"}, links)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=fill) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert os.readlink(links / "python3.6").endswith("3.6.15/bin/python3.6")
        assert os.readlink(links / "python3.7").endswith("3.7.16/bin/python3.7")
        assert sorted(p.name for p in links.iterdir()) == ["python3.6", "python3.7"]  # no temporaries left


def test_link_dir_replaces_a_stale_link(fake_pyenv, tmp_path):
    links = tmp_path / "links"
    links.mkdir()
    (links / "python3.6").symlink_to(fake_pyenv / "versions" / "3.6.9" / "bin" / "python3.6")
    interpreters.link_dir({"python3.6"}, links)
    assert os.readlink(links / "python3.6").endswith("3.6.15/bin/python3.6")
