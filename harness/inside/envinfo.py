"""Facts about the environment a run happens in, gathered without importing TensorFlow.

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
    root = root or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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
