"""tox.ini is the single source of truth for releases, interpreters and pins."""
import re

from harness.host.envs import toxini

EXPECTED_MINORS = [f"1.{n}" for n in range(8, 16)] + [f"2.{n}" for n in range(0, 22)]


def releases():
    return [env for env in toxini.read() if not env.nightly]


def test_one_environment_per_minor_from_1_8_to_2_21_then_the_nightly():
    assert [env.minor for env in toxini.read()] == EXPECTED_MINORS + ["nightly"]
    assert [env.name for env in toxini.read()][-1] == "tfnightly"


def test_nightly_env_installs_the_newest_build_with_legacy_keras():
    env = toxini.by_name()["tfnightly"]
    assert env.nightly and env.package == "tf-nightly"
    assert env.deps == ("tf-nightly", "tf-keras-nightly")
    assert env.set_env.get("TF_USE_LEGACY_KERAS") == "1"
    assert env.base_python[0] == "python3.13"


def test_base_python_is_newest_first():
    for env in toxini.read():
        versions = [tuple(map(int, re.findall(r"\d+", s))) for s in env.base_python]
        assert versions == sorted(versions, reverse=True), env.name
        assert versions[-1] >= (3, 6), env.name


def test_each_env_pins_its_own_minor():
    for env in releases():
        assert any(dep.endswith(f"=={env.minor}.*") and dep.startswith(env.package)
                   for dep in env.deps), env.name


def test_cpu_package_where_it_exists():
    for env in releases():
        major, minor = map(int, env.minor.split("."))
        expected = "tensorflow" if major == 1 or (major, minor) == (2, 0) else "tensorflow-cpu"
        assert env.package == expected, env.name


def test_legacy_keras_from_2_16():
    for env in releases():
        major, minor = map(int, env.minor.split("."))
        legacy = major == 2 and minor >= 16
        assert (env.set_env.get("TF_USE_LEGACY_KERAS") == "1") == legacy, env.name
        assert any(d.startswith("tf-keras==") for d in env.deps) == legacy, env.name


def test_old_releases_cap_protobuf():
    for env in releases():
        major, minor = map(int, env.minor.split("."))
        if major == 1 or minor <= 8:
            assert "protobuf<3.20" in env.deps, env.name


def test_minor_of():
    assert toxini.minor_of("tf115") == "1.15"
    assert toxini.minor_of("tf221") == "2.21"
    assert toxini.minor_of("tfnightly") == "nightly"
    assert toxini.minor_of("report") is None


def test_requirement_names_come_from_packaging_not_a_pattern():
    assert toxini.requirement_name("tensorflow-cpu==2.1.*") == "tensorflow-cpu"
    assert toxini.requirement_name("TF_Keras >= 2.16 ; python_version >= '3.9'") == "tf-keras"
    assert toxini.requirement_name("tf-nightly[and-cuda]") == "tf-nightly"
    assert toxini.requirement_name("-r requirements.txt") == ""
    env = toxini.TfEnv("tf99", "9.9", ("python3.9",), ("numpy<2", "Tensorflow_CPU ~= 9.9.0"))
    assert env.package == "tensorflow-cpu"
