"""Plots of profiles for reports and the web UI (matplotlib, Agg backend, SVG text out).

Kept apart from the numeric modules: importing :mod:`habeas.dna` never imports matplotlib.
"""

from __future__ import annotations

import io

from habeas.dna.profile import Profile, allele_sort_key


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog so the SVG can be inlined in HTML


def profile_comparison_svg(evidence: Profile, reference: Profile, *, columns: int = 5) -> str:
    """One small panel per locus: the evidence alleles as bars (peak height in RFU where the
    profile has heights, otherwise a bar of height 1 per allele) and the reference alleles as
    markers above them; a locus where the reference has an allele the evidence lacks is
    titled in red. Loci typed in either profile are shown, AMEL and Y markers included.

    Returns an SVG document as text (no XML prolog), sized about 2.2 × 1.6 in per panel.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    loci = list(dict.fromkeys([*evidence.loci, *reference.loci]))
    rows = max(1, -(-len(loci) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2.2 * columns, 1.6 * rows), squeeze=False)
    has_heights = bool(evidence.heights)
    for ax, locus in zip(axes.flat, loci):
        ev, ref = evidence.loci.get(locus, ()), reference.loci.get(locus, ())
        alleles = sorted(set(ev) | set(ref), key=allele_sort_key)
        x = {a: i for i, a in enumerate(alleles)}
        heights = evidence.heights.get(locus) if has_heights else None
        ys = list(heights) if heights else [1.0] * len(ev)
        top = max(ys, default=1.0)
        ax.bar([x[a] for a in ev], ys, width=0.6, color="#4a6b8a", label="evidence")
        ax.plot([x[a] for a in ref], [top * 1.12] * len(ref), "v", color="#b03a2e", ms=6, label="reference")
        ax.set_xticks(range(len(alleles)), alleles, fontsize=7)
        ax.set_yticks([])
        ax.set_ylim(0, top * 1.3)
        ax.set_xlim(-0.8, max(len(alleles), 1) - 0.2)
        missing = [a for a in ref if a not in ev]
        typed = locus in evidence.loci
        title = locus + ("" if typed else " (not typed)")
        ax.set_title(title, fontsize=8, color="#b03a2e" if missing and typed else "#222")
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    for ax in list(axes.flat)[len(loci):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    names = {"evidence": f"evidence: {evidence.sample}", "reference": f"reference: {reference.sample}"}
    fig.legend(handles, [names[label] for label in labels],
               loc="upper center", ncol=2, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 1.02))
    ylabel = "bars: peak height (RFU)" if has_heights else "bars: alleles observed in the evidence"
    fig.text(0.0, 0.5, ylabel, rotation=90, va="center", fontsize=7, color="#555")
    fig.tight_layout()
    return _svg(fig)
