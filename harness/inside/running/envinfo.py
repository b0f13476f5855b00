"""Facts about the environment a run happens in, gathered without importing TensorFlow (the Keras
in play: from the TensorFlow a worker has imported, never importing Keras itself).

Inside rules: Python 3.6+, standard library only, no imports from harness.host.
"""
import os
import platform
import re
import subprocess
import sys

# name-version[-pyX.Y].dist-info/.egg-info; installers write '-' in names as '_'
_DIST = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(-py\d[^-]*)?\.(dist-info|egg-info)$")


def packages():
    """Installed distributions of this interpreter's sys.path: {normalised name: version}."""
    found = {}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for fname in names:
            m = _DIST.match(fname)
            if m:
                name = re.sub(r"[-_.]+", "-", m.group("name")).lower()
                found.setdefault(name, m.group("version"))
    return dict(sorted(found.items()))


def cpu():
    """The CPU model name, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(root, *args):
    proc = subprocess.run(["git", "-C", root] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=20, check=True)
    return proc.stdout.decode("utf-8", "replace").strip()


def git_commit(root=None):
    """The checkout's commit (12 hex digits), '+dirty' when its tree differs from it (untracked
    files not ignored included) outside results/, where every run rewrites the committed tables;
    'unknown' without git or .git."""
    root = root or os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    if not os.path.exists(os.path.join(root, ".git")):
        return "unknown"
    try:
        commit = _git(root, "rev-parse", "--short=12", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--", ".", ":(exclude)results")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "") if commit else "unknown"


def host():
    """The machine's network name."""
    return platform.node() or "unknown"


def collect():
    """Plain facts as a dict; the host interprets them."""
    pkgs = packages()
    return {
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "os": "{} {}".format(platform.system(), platform.release()),
        "machine": platform.machine(),
        "cpu": cpu(),
        "cpu_count": os.cpu_count(),
        "numpy_version": pkgs.get("numpy", ""),
        "protobuf_version": pkgs.get("protobuf", ""),
        "tf_package": next((p for p in ("tensorflow", "tensorflow-cpu", "tensorflow-gpu",
                                        "tf-nightly") if p in pkgs), ""),
        "packages": pkgs,
    }


def keras_in_play(tf):
    """Which Keras the cells met: the switches (TF_USE_LEGACY_KERAS, KERAS_BACKEND) and, once a
    case has imported Keras (never imported here: it costs seconds), what `tf.keras` resolved to
    ('keras 3.15.1', 'tf_keras 2.21.0') and the versions of the Keras packages loaded."""
    info = dict((k, os.environ.get(k, "")) for k in ("TF_USE_LEGACY_KERAS", "KERAS_BACKEND"))
    loaded = [m for m in ("keras", "tf_keras") if m in sys.modules]
    for name in loaded:
        info[name] = str(getattr(sys.modules[name], "__version__", ""))
    built_in = [m for m in ("tensorflow.python.keras", "tensorflow_core.python.keras")
                if m in sys.modules]  # up to 2.5 tf.keras is TensorFlow's own copy
    if loaded or built_in:
        try:
            module = tf.keras
            top = str(getattr(module, "__name__", "")).split(".")[0]
            version = getattr(module, "__version__", "") or info.get(top, "")
            if not loaded:
                top = "tensorflow.keras (built in)"
            info["tf.keras"] = "{} {}".format(top or type(module).__name__, version).strip()
        except Exception as exc:  # a release without tf.keras: say so, never fail the run
            info["tf.keras"] = "unavailable: {}".format(type(exc).__name__)
    return info
