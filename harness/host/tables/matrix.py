"""Views of the tidy table: the release x column pivot and the transitions (host side)."""
from __future__ import annotations

import pandas as pd
from packaging.version import InvalidVersion, Version

from harness.schema import AVAILABILITY, NOT_OUTCOMES

KEY = ["case", "variant", "target", "source"]
SEP = " | "
TRANSITION_COLUMNS = [*KEY, "old_status", "new_status", "last_old", "first_new"]


def version_key(text: str) -> tuple:
    """Release order, never string order ('2.10' after '2.9'); unparsable names sort last."""
    try:
        return (0, Version(text), "")
    except InvalidVersion:
        return (1, Version("0"), text)


def releases(df: pd.DataFrame) -> list[str]:
    """The table's TF versions in release order."""
    return sorted(df["tf_version"].unique(), key=version_key)


def column_name(row) -> str:
    return SEP.join(str(row[k]) for k in KEY)


def to_matrix(df: pd.DataFrame) -> pd.DataFrame:
    """One row per TF version (release order), one column per case/variant/target/source."""
    keyed = df.assign(column=df.apply(column_name, axis=1) if len(df) else "")
    order = list(dict.fromkeys(keyed["column"]))
    wide = keyed.pivot_table(index="tf_version", columns="column", values="status",
                             aggfunc="first")
    wide = wide.reindex(index=releases(df), columns=order)
    wide.index.name = "tf_version"
    wide.columns.name = None
    return wide


def transitions(df: pd.DataFrame) -> pd.DataFrame:
    """Each change of status along releases, per column, ignoring releases with no outcome."""
    rows = []
    wide = to_matrix(df)
    for col in wide.columns:
        prev_version = prev_status = None
        for version, status in wide[col].items():
            if pd.isna(status) or status in NOT_OUTCOMES:
                continue
            if prev_status is not None and status != prev_status:
                rows.append([*col.split(SEP, 3), prev_status, status, prev_version, version])
            prev_version, prev_status = version, status
    return pd.DataFrame(rows, columns=TRANSITION_COLUMNS)


def is_availability(trans: pd.DataFrame) -> pd.Series:
    """Transitions from or to a status about what a release offers (an API that appears or goes)."""
    return trans["old_status"].isin(AVAILABILITY) | trans["new_status"].isin(AVAILABILITY)


def transition_lines(trans: pd.DataFrame) -> list[str]:
    """One sentence per finding: the sources that changed together are named together."""
    lines = []
    group_cols = ["case", "variant", "target", "old_status", "new_status", "last_old", "first_new"]
    for keys, grp in trans.groupby(group_cols, sort=False):
        case, variant, target, old, new, last_old, first_new = keys
        sources = ", ".join(grp["source"])
        lines.append(f"{case} [{variant}] d {target} / d ({sources}): {old} -> {new} at "
                     f"{first_new} (last {old}: {last_old})")
    return lines
