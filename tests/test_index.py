"""Index answers -> releases and install plans, on recorded index responses (no network, no TF)."""
import json
import time

import pytest

from harness.host.anyrelease import index, versions
from harness.host.envs import toxini
from harness.host.errors import UserError
from tests.conftest import DATA

INDEX = DATA / "index"
# The platform tags of a glibc 2.36 x86_64 Linux host, as packaging derives them on this machine.
LINUX = frozenset(["linux_x86_64", "manylinux2014_x86_64", "manylinux2010_x86_64",
                   "manylinux1_x86_64"] + [f"manylinux_2_{n}_x86_64" for n in range(5, 37)])
EVERYTHING = {"3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}


def recorded(package):
    return index.parse_page((INDEX / f"{package}.json").read_bytes(),
                            "application/vnd.pypi.simple.v1+json")


@pytest.fixture
def catalog():
    return {pkg: index.releases(pkg, recorded(pkg), LINUX) for pkg in index.PACKAGES}


def only(*pythons):
    return lambda python: f"/py/{python}" if python in pythons else None


def test_json_page_is_trimmed_to_the_fields_used():
    files = recorded("tensorflow")
    assert files[0].keys() == {"filename", "requires-python", "yanked"}
    assert any(f["filename"] == "tensorflow-1.8.0-cp36-cp36m-manylinux1_x86_64.whl" for f in files)


def test_html_mirror_page_gives_the_same_fields():
    files = index.parse_page((INDEX / "tensorflow-cpu-mirror.html").read_bytes(), "text/html")
    assert files == [{"filename": "tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl",
                      "requires-python": None, "yanked": False}]
    rel = index.releases("tensorflow-cpu", files, LINUX)["2.21.0"]
    assert rel.pythons == ("3.11",)


def test_html_yanked_and_requires_python_attributes():
    page = (b'<a href="x/tensorflow-9.0.0-cp36-cp36m-manylinux1_x86_64.whl#sha256=0" '
            b'data-requires-python="&gt;=3.7" data-yanked="broken">a</a>')
    files = index.parse_page(page, "text/html")
    assert files[0]["requires-python"] == ">=3.7" and files[0]["yanked"] == "broken"


def test_linux_wheels_give_the_pythons_the_runner_can_use(catalog):
    tf = catalog["tensorflow"]
    assert tf["1.8.0"].pythons == ("3.6",)
    assert tf["1.8.0"].all_pythons == ("2.7", "3.3", "3.4", "3.5", "3.6")
    assert tf["1.15.5"].pythons == ("3.6", "3.7")
    assert tf["2.15.0"].pythons == ("3.9", "3.10", "3.11")
    # 0.12.0 has Linux wheels for 2.7, 3.4 and 3.5 only: nothing the runner (3.6+) can use
    assert tf["0.12.0"].pythons == () and tf["0.12.0"].all_pythons == ("2.7", "3.4", "3.5")


def test_other_platforms_do_not_count(catalog):
    mac = index.releases("tensorflow", recorded("tensorflow"), frozenset(["macosx_10_15_x86_64"]))
    assert mac["2.15.0"].pythons == ("3.10",)  # the one mac wheel recorded
    assert mac["1.8.0"].pythons == ()


def test_requires_python_removes_wheels_and_all_yanked_marks_the_release():
    entries = [{"filename": "tensorflow-9.0.0-cp36-cp36m-manylinux1_x86_64.whl",
                "requires-python": ">=3.7", "yanked": "bad build"},
               {"filename": "tensorflow-9.0.0-cp37-cp37m-manylinux1_x86_64.whl",
                "requires-python": ">=3.7", "yanked": "bad build"},
               {"filename": "tensorflow-9.1.0-cp37-cp37m-manylinux1_x86_64.whl",
                "requires-python": "not a specifier", "yanked": False},
               {"filename": "tensorflow-9.1.0.tar.gz", "requires-python": None, "yanked": False}]
    got = index.releases("tensorflow", entries, LINUX)
    assert got["9.0.0"].pythons == ("3.7",) and got["9.0.0"].yanked
    assert got["9.1.0"].pythons == ("3.7",) and not got["9.1.0"].yanked


def test_configured_index_order(tmp_path):
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = https://mirror.example/simple/\n")
    assert index.configured_index({}, [conf]) == ("https://mirror.example/simple",
                                                   f"{conf} [global] index-url")
    assert index.configured_index({"PIP_INDEX_URL": "https://pip.example/simple"}, [conf])[0] == \
        "https://pip.example/simple"
    env = {"UV_DEFAULT_INDEX": "https://uv.example/simple", "PIP_INDEX_URL": "https://p/simple"}
    assert index.configured_index(env, [conf]) == ("https://uv.example/simple", "UV_DEFAULT_INDEX")
    assert index.configured_index({}, [tmp_path / "missing.conf"]) == (index.DEFAULT_INDEX,
                                                                       "default")


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A file:// index holding the recorded tensorflow-cpu mirror page, and an empty cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    page = tmp_path / "simple" / "tensorflow-cpu" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes((INDEX / "tensorflow-cpu-mirror.html").read_bytes())
    return (tmp_path / "simple").as_uri(), page


def test_cache_answers_while_fresh_and_stale_cache_beats_an_unreachable_index(mirror):
    url, page = mirror
    first = index.files("tensorflow-cpu", url)
    assert len(first) == 1
    page.unlink()
    page.mkdir()  # the index breaks: its page cannot be read
    assert index.files("tensorflow-cpu", url) == first  # fresh cache: the index is not asked
    warned = []
    assert index.files("tensorflow-cpu", url, refresh=True, warn=warned.append) == first
    assert len(warned) == 1 and "cannot reach" in warned[0] and url in warned[0]
    page.rmdir()
    page.parent.rmdir()  # a project the index no longer has is an answer, not an outage
    assert index.files("tensorflow-cpu", url, refresh=True) == []
    assert index.files("tensorflow", url) == []


def test_unreachable_index_without_cache_names_the_url(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(UserError, match=r"cannot reach the package index at http://127\.0\.0\.1:9/"
                                        r"tensorflow/"):
        index.files("tensorflow", "http://127.0.0.1:9", timeout=2)


def test_expired_cache_is_replaced(mirror):
    url, _ = mirror
    index.files("tensorflow-cpu", url)
    slot = next((index.cache_dir() / "index").iterdir()) / "tensorflow-cpu.json"
    doc = json.loads(slot.read_text())
    doc["files"], doc["fetched"] = [], time.time() - index.MAX_AGE - 1
    slot.write_text(json.dumps(doc))
    assert index.files("tensorflow-cpu", url) != []


def test_plan_uses_the_minor_pins_and_its_package(catalog):
    envs = toxini.read()
    p = versions.plan("1.15.5", catalog, envs, only(*EVERYTHING))
    assert (p.package, p.python, p.pins_from) == ("tensorflow", "3.7", "tf115")
    assert p.deps == ("tensorflow==1.15.5", "protobuf<3.20", "numpy<1.19")
    p = versions.plan("2.16.1", catalog, envs, only(*EVERYTHING))
    assert p.package == "tensorflow-cpu" and p.python == "3.12"
    assert p.deps == ("tensorflow-cpu==2.16.1", "tf-keras==2.16.*")
    assert p.set_env == {"TF_USE_LEGACY_KERAS": "1"}


def test_release_before_the_matrix_gets_the_first_minor_pins(catalog):
    p = versions.plan("1.5.1", catalog, toxini.read(), only(*EVERYTHING))
    assert (p.pins_from, p.python, p.deps) == ("tf18", "3.6", ("tensorflow==1.5.1",
                                                               "protobuf<3.20"))


def test_interpreter_falls_back_and_says_what_is_missing(catalog):
    envs = toxini.read()
    assert versions.plan("1.15.5", catalog, envs, only("3.6")).python == "3.6"
    p = versions.plan("1.8.0", catalog, envs, only("3.7"))
    assert p.python is None and "pyenv install 3.6" in p.problem
    p = versions.plan("0.12.0", catalog, envs, only(*EVERYTHING))
    assert p.problem == ("no wheel for any interpreter here: wheels for Python 2.7, 3.4, 3.5 "
                         "only; the runner needs 3.6+")


def test_between_covers_prefixes_and_keeps_candidates_out_unless_asked(catalog):
    # 1.15.0 is recorded for tensorflow-cpu only: a release of either package counts
    assert versions.between(catalog, "1.0", "1.15") == ["1.5.1", "1.8.0", "1.9.0", "1.15.0",
                                                        "1.15.5"]
    assert versions.between(catalog, "2.15", "2.16") == ["2.15.0", "2.15.0.post1", "2.16.1"]
    assert versions.between(catalog, "2.15", "2.16", pre=True) == [
        "2.15.0", "2.15.0.post1", "2.16.0rc0", "2.16.1"]
    assert versions.between(catalog, "2.15.0", "2.15.0") == ["2.15.0"]


def test_unknown_version_names_the_index_and_the_releases_of_its_minor(catalog):
    with pytest.raises(UserError, match=r"^tensorflow 2\.16\.0 is not on the index https://i "
                                        r"\(releases of 2\.16: 2\.16\.0rc0, 2\.16\.1\)$"):
        versions.lookup("2.16.0", catalog, toxini.read(), "https://i", only("3.12"))
    with pytest.raises(UserError, match="not a version number"):
        versions.lookup("one.two", catalog, toxini.read(), "https://i")
