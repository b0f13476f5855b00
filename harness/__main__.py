"""Entry point: `run` is the in-environment runner; every other command runs on the host.

Inside rules apply to this module: Python 3.6+, standard library only.
"""
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "run":
        from harness.inside.running.cli import main as run_main
        return run_main(argv[1:])
    if sys.version_info < (3, 10):
        sys.stderr.write(
            "harness: only 'run' works on Python {}.{}; the other commands run on the host "
            "(Python >= 3.10 with pandas), e.g. tox -e report\n".format(*sys.version_info[:2]))
        return 2
    from harness.host.cli import main as host_main
    return host_main(argv)


if __name__ == "__main__":
    sys.exit(main())
