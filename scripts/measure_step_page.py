"""Time the step-through page at size, as issue #18 measures it: until the next frame is painted.

    .venv/bin/python scripts/measure_step_page.py [rounds]

Prints, for the 305-node page of MLP(2, [8, 8, 1]) and the 985-node page of
MLP(2, [16, 16, 1]): opening, ``goto`` to a late frame and ``setLeaf``, each the median
of ``rounds`` in headless Chromium at 1400 × 900 (``benchmarks.in_browser.responsiveness``,
which ``make bench`` runs too).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the benchmarks package

from benchmarks import in_browser


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    result = in_browser.responsiveness(rounds)
    if result is None:
        raise SystemExit("headless Chromium (and Selenium) are not installed")
    for nodes, times in result.items():
        cells = ", ".join(
            f"{name} {in_browser.median_ms(seconds):.1f} ms (min {min(seconds) * 1000:.1f})"
            for name, seconds in times.items()
        )
        print(f"{nodes} nodes: {cells}")


if __name__ == "__main__":
    main()
