"""The search of bisect, pure logic (host side): which versions to ask, in which order, until two
adjacent ones differ; one version per step, or two at once (two cores: a three-way split), a
version that costs little preferred near the split point. bisection drives it with a prober.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence


@dataclass
class Bisection:
    """The answer: the last version on the old side and the first on the new, and how it was found."""

    last_old: str
    first_new: str
    tested: list[tuple[str, bool]] = field(default_factory=list)  # in the order they were asked
    skipped: list[str] = field(default_factory=list)  # predicate gave None: untestable, never blamed
    unresolved: list[str] = field(default_factory=list)  # skipped ones between last_old and first_new


def first_change(ordered: Sequence[str], is_new: Callable[[str], bool | None],
                 both: Callable[[str, str], tuple] | None = None,
                 ready: Callable[[str], bool] = lambda v: False) -> Bisection:
    """Search for the change in `ordered` (old side first, new side last; ends not asked).

    `is_new(v)` says whether v behaves like the last version (True), like the first (False), or
    cannot tell (None: not installable, other status); untestable versions are stepped around.
    `both(a, b)`: two versions asked at once (two cores), used while more than three candidates
    are left: a three-way split. `ready(v)`: v costs little (an earlier result, an installed
    environment); such a version is asked instead of the exact split point when within a sixth
    of the window of it. With more than one change in the range, one of them is found.
    """
    if len(ordered) < 2:
        raise ValueError("need at least two versions: the old and the new end")
    lo, hi = 0, len(ordered) - 1
    out = Bisection(ordered[lo], ordered[hi])
    skipped: set[int] = set()

    def pick(left: list[int], at: float, slack: float) -> int:
        near = [i for i in left if abs(i - at) <= slack and ready(ordered[i])]
        return min(near or left, key=lambda i: (abs(i - at), i))

    def note(i: int, verdict: bool | None) -> None:
        if verdict is None:
            skipped.add(i)
            out.skipped.append(ordered[i])
        else:
            out.tested.append((ordered[i], verdict))

    while True:
        left = [i for i in range(lo + 1, hi) if i not in skipped]
        if not left:
            break
        slack = (hi - lo) / 6
        if both is not None and len(left) > 3:
            a = pick(left, lo + (hi - lo) / 3, slack)
            b = pick([i for i in left if i > a] or left, lo + 2 * (hi - lo) / 3, slack)
            a, b = sorted((a, b))
            verdicts = both(ordered[a], ordered[b])
            for i, verdict in zip((a, b), verdicts):
                note(i, verdict)
            if verdicts[0] is True:
                hi = a
            elif verdicts[1] is True:
                lo, hi = (a if verdicts[0] is False else lo), b
            elif verdicts[1] is False:
                lo = b
            elif verdicts[0] is False:
                lo = a
            continue
        at = pick(left, (lo + hi) / 2, slack)
        verdict = is_new(ordered[at])
        note(at, verdict)
        if verdict is not None:
            lo, hi = (lo, at) if verdict else (at, hi)
    out.last_old, out.first_new = ordered[lo], ordered[hi]
    out.unresolved = [ordered[i] for i in sorted(skipped) if lo < i < hi]
    return out


def steps_about(candidates: int, two: bool = True) -> int:
    """How many steps a search takes among `candidates` versions strictly between its ends: with
    two versions per step (first_change's both) while more than three are left, else one."""
    steps = 0
    while candidates > 0:
        steps += 1
        candidates = math.ceil((candidates - 2) / 3) if two and candidates > 3 else candidates // 2
    return steps
