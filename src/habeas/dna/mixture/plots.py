"""Figures for mixture reports (matplotlib, Agg backend, imported lazily).

The numeric code of :mod:`habeas.dna.mixture` never imports this module; matplotlib is loaded
only when a figure is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from habeas.dna.errors import DNAError

__all__ = ["plot_sensitivity"]


def plot_sensitivity(sens, path, estimates: Sequence = (), title: str | None = None,
                     conservative=None) -> Path:
    """Draw log10 LR against drop-out probability and write it to ``path`` (``.png`` or
    ``.svg``, chosen by suffix).

    ``sens``: a :class:`habeas.dna.mixture.dropout.SensitivityResult` (three curves: d under
    Hp and Hd, under Hp only, under Hd only). ``estimates``: drop-out estimates
    (:class:`DropoutEstimate`) whose 5-95% ranges are shaded. ``conservative``: a
    :class:`ConservativeLR` marked with a point. Returns the path written.

    Raises :class:`DNAError` for a suffix other than .png / .svg.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in {"png", "svg"}:
        raise DNAError(f"sensitivity plot must be .png or .svg, got {path.name!r}")
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.0, 4.5), dpi=120)
    ax = fig.add_subplot(1, 1, 1)
    x = np.asarray(sens.grid, dtype=float)

    def clean(a):
        a = np.asarray(a, dtype=float).copy()
        a[~np.isfinite(a)] = np.nan
        return a

    ax.plot(x, clean(sens.both), color="black", lw=2, label="drop-out d under Hp and Hd")
    ax.plot(x, clean(sens.vary_hp), color="tab:red", lw=1.2, ls="--",
            label="d under Hp only (Hd as stated)")
    ax.plot(x, clean(sens.vary_hd), color="tab:blue", lw=1.2, ls=":",
            label="d under Hd only (Hp as stated)")
    colours = {"Hp": "tab:red", "Hd": "tab:blue"}
    for e in estimates:
        q = e.quantiles
        if len(q) >= 2:
            lo, hi = min(q.values()), max(q.values())
            ax.axvspan(lo, hi, color=colours.get(e.proposition, "grey"), alpha=0.12,
                       label=f"drop-out estimate under {e.proposition} "
                             f"({min(q)}-{max(q)}%: {lo:.2f}-{hi:.2f})")
    if conservative is not None:
        ax.plot([conservative.dropout], [conservative.log10_lr], "o", color="black",
                label=f"conservative log10 LR {conservative.log10_lr:.2f} "
                      f"(d = {conservative.dropout:.2f})")
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xlabel("drop-out probability d")
    ax.set_ylabel("log10 LR")
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.set_title(title or f"Sensitivity of the LR to drop-out "
                          f"(stated log10 LR {sens.at_stated:.2f})", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt)
    return path
