"""Views of the tidy table: the release x column pivot and the transitions (host side)."""
from __future__ import annotations

import pandas as pd
from packaging.version import InvalidVersion, Version

from harness.schema import NOT_OUTCOMES

KEY = ["case", "variant", "target", "source"]
SEP = " | "
# no_result_between: the releases between last_old and first_new with no outcome for the column
# ('; '-joined): the change happened somewhere in that window, not at first_new.
TRANSITION_COLUMNS = [*KEY, "old_status", "new_status", "last_old", "first_new", "no_result_between"]


def version_key(text: str) -> tuple:
    """Release order, never string order ('2.10' after '2.9'); unparsable names sort last."""
    try:
        return (0, Version(text), "")
    except InvalidVersion:
        return (1, Version("0"), text)


def releases(df: pd.DataFrame) -> list[str]:
    """The table's TF versions in release order."""
    return sorted(df["tf_version"].unique(), key=version_key)


def to_matrix(df: pd.DataFrame, no_result: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """One row per TF version (release order), one column per (case, variant, target, source): a
    column MultiIndex with those four levels, in the order the columns first appear. `no_result`:
    releases with no row in df (never ran), kept as empty rows in their place."""
    order = pd.MultiIndex.from_frame(df[KEY].drop_duplicates()) if len(df) else \
        pd.MultiIndex.from_tuples([], names=KEY)
    wide = df.pivot_table(index="tf_version", columns=KEY, values="status", aggfunc="first") \
        if len(df) else pd.DataFrame(columns=order)
    index = sorted(set(releases(df)) | set(no_result), key=version_key) if len(df) else []
    wide = wide.reindex(index=index, columns=order)
    wide.index.name = "tf_version"
    return wide


def flat(wide: pd.DataFrame) -> pd.DataFrame:
    """The matrix with one 'case | variant | target | source' name per column (matrix.csv)."""
    out = wide.copy()
    out.columns = [SEP.join(col) for col in wide.columns]
    return out


def transitions(df: pd.DataFrame, no_result: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Each change of status along releases, per column, ignoring releases with no outcome; the
    releases between the two ends that have no outcome for the column are named with it."""
    rows = []
    wide = to_matrix(df, no_result)
    for col in wide.columns:
        prev_version = prev_status = None
        gap: list[str] = []
        for version, status in wide[col].items():
            if pd.isna(status) or status in NOT_OUTCOMES:
                if prev_status is not None:
                    gap.append(version)
                continue
            if prev_status is not None and status != prev_status:
                rows.append([*col, prev_status, status, prev_version, version, "; ".join(gap)])
            prev_version, prev_status, gap = version, status, []
    return pd.DataFrame(rows, columns=TRANSITION_COLUMNS)
