"""Which releases of tox.ini have no result, and why; what that hides (host side, Python >= 3.10).

A release with no result must never move a finding: a change seen between 1.8.0 and 1.10.1 while
1.9 did not run happened somewhere in that window, not "at 1.10.1". This module says, once for every
view, which releases of the matrix have no result (their setup failed, their run failed, no
interpreter here, or no raw file at all) and what changes they can hide.
"""
from __future__ import annotations

from dataclasses import dataclass

from harness.host.envs import toxini
from harness.host.tables.matrix import version_key
from harness.schema import ERROR, INSTALL_FAILED, SKIPPED

NOT_RUN = "not run"
INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class NoResult:
    """A release of tox.ini (or one whose raw file is unusable) with no result at all."""

    env_name: str
    release: str  # the matrix row it stands for: its version when known, else the minor ('1.9')
    status: str  # install_failed, error (the run or its raw file), skipped (no interpreter), not run
    why: str

    @property
    def failed(self) -> bool:
        """Its setup or run failed; otherwise it was not run (or cannot run here: skipped)."""
        return self.status in (INSTALL_FAILED, ERROR)

    @property
    def fails_the_run(self) -> bool:
        """Failed, interrupted or cannot run here: the report's exit status says so. A release
        that simply was not asked for (`tox -e tf18,tf19`) does not."""
        return self.status != NOT_RUN

    def brief(self) -> str:
        """Why, as a finding's window says it: the status alone for a release not run or
        interrupted (the report's list says more), else status and the first words of why."""
        return self.status if self.status in (NOT_RUN, INTERRUPTED) else self.reason(160)

    def reason(self, limit: int = 200) -> str:
        """'install_failed: <the installer's words>', one line, cut to `limit` characters."""
        text = " ".join(f"{self.status}: {self.why}".split())
        return text if len(text) <= limit else text[:limit - 1] + "…"


def no_results(problems, missing: list[toxini.TfEnv], raw_dir, partial_envs: set[str]) -> list[NoResult]:
    """Every release without results, in release order: problems (environments that recorded a
    failure, or an unusable raw file) and tox.ini environments with no raw file."""
    out = [NoResult(p.env_name, p.tf_version, p.status, p.detail) for p in problems]
    for env in missing:
        if env.name in partial_envs:
            out.append(NoResult(env.name, env.minor, INTERRUPTED,
                                f"its run did not finish (interrupted, or still running): only "
                                f"{env.name}.json.partial in {raw_dir}; `tox -e {env.name}` runs it"))
        else:
            out.append(NoResult(env.name, env.minor, NOT_RUN,
                                f"no result file {env.name}.json in {raw_dir}"))
    return sorted(out, key=lambda n: version_key(n.release))


def listing(gaps: list[NoResult], raw_dir, tox_args: str = "") -> list[tuple[str, str]]:
    """(releases, why) for every view: one line per release that failed, was interrupted or cannot
    run here; the releases with no result file at all (in raw_dir) folded into one line, with the
    command that runs them (tox_args: the run's own --script/--cases and --out, commands.tox_args)."""
    out = [(f"{g.release} ({g.env_name})", g.reason(300)) for g in failed_first(gaps)
           if g.status != NOT_RUN]
    never = [g for g in gaps if g.status == NOT_RUN]
    if never:
        envs = ",".join(g.env_name for g in never)
        out.append((f"{never[0].release} ({never[0].env_name})" if len(never) == 1
                    else ", ".join(g.release for g in never),
                    f"{NOT_RUN}: no result file in {raw_dir}: not asked for, or tox stopped "
                    f"{'it' if len(never) == 1 else 'them'} before any result was written (tox's "
                    f"output names why); `tox -e {envs}{tox_args}` runs {'it' if len(never) == 1 else 'them'}"))
    return out


def failed_first(gaps: list[NoResult]) -> list[NoResult]:
    """Failures before the releases that were only not run or skipped (stable otherwise)."""
    return sorted(gaps, key=lambda n: (not n.failed, n.status == SKIPPED))


def ends(gaps: list[NoResult], expected: list[str]) -> list[str]:
    """What the missing first or last releases of the matrix hide: sentences, empty when the ends
    ran. `expected` is the matrix's releases in order, with or without results."""
    missing = {n.release for n in gaps}
    ran = [r for r in expected if r not in missing]
    out = []
    if not expected or not ran:
        return ["No release has a result: nothing can be said about any change."] if expected else []
    head = expected[:expected.index(ran[0])]
    tail = expected[expected.index(ran[-1]) + 1:]
    if head:
        out.append(f"{', '.join(head)} {'has' if len(head) == 1 else 'have'} no result: a change "
                   f"before {ran[0]} cannot be seen.")
    if tail:
        out.append(f"{', '.join(tail)} {'has' if len(tail) == 1 else 'have'} no result: a change "
                   f"after {ran[-1]} cannot be seen.")
    return out
