"""How a layer's weights start: the initialisations, by name, each one formula for a bound r.

Every weight W^l_jk of layer l is drawn from U(−r, r), where n_in = the width of layer
l − 1 (the inputs of each neuron) and n_out = the width of layer l:

    name       r                        b^l_j              Var(W^l_jk) = r²/3
    "uniform"  1/√n_in                  U(−r, r) as well   1/(3 n_in)      (PyTorch's default)
    "xavier"   √6 / √(n_in + n_out)     0                  2/(n_in + n_out) (Glorot & Bengio)
    "he"       √6 / √n_in               0                  2/n_in           (He et al., for ReLU)

Why it matters: z^l = W^l a^{l-1} + b^l sums n_in terms, so Var(z^l) ≈ n_in·Var(W)·E[a²].
Xavier keeps that variance about the same forwards (for a^{l-1}) and backwards (for δ^l,
BP2 sums n_out terms) for a σ with slope 1 at 0, such as tanh; He doubles it because ReLU
zeroes half of its inputs.

Each is an :class:`Initialisation`: r = √gain / √(c_in·n_in + c_out·n_out), and whether
the biases draw from U(−r, r) too. Neurons draw in ``model.parameters()`` order (each
neuron's weights, then its bias when it draws one) from one seeded ``random.Random``, so
the same seed gives the same weights. The playground reads these numbers from
:func:`init_choices`, so an initialisation added here is in its menu.

    >>> from chainrule.nn.init import INITS
    >>> INITS["xavier"].bound(2, 4) == 1.0       # √6 / √(2 + 4)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .names import check_name


@dataclass(frozen=True)
class Initialisation:
    """W ~ U(−r, r), r = √gain / √(fan_in·n_in + fan_out·n_out); b likewise if ``bias``, else 0."""

    gain: float
    fan_in: int
    fan_out: int
    bias: bool

    def bound(self, n_in: int, n_out: int) -> float:
        """The half-width r of U(−r, r) for a layer of ``n_out`` neurons on ``n_in`` inputs."""
        return math.sqrt(self.gain) / math.sqrt(self.fan_in * n_in + self.fan_out * n_out)

    def formula(self) -> str:
        """The bound as a learner reads it: ``"r = √6 / √(n_in + n_out); b = 0"``."""
        terms = [
            name if coefficient == 1 else f"{coefficient}·{name}"
            for coefficient, name in ((self.fan_in, "n_in"), (self.fan_out, "n_out"))
            if coefficient
        ]
        fans = terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"
        top = "1" if self.gain == 1 else f"√{self.gain:g}"
        bias = "b ~ U(−r, r)" if self.bias else "b = 0"
        return f"W ~ U(−r, r), r = {top} / √{fans}; {bias}"


INITS: dict[str, Initialisation] = {
    "uniform": Initialisation(gain=1, fan_in=1, fan_out=0, bias=True),
    "xavier": Initialisation(gain=6, fan_in=1, fan_out=1, bias=False),
    "he": Initialisation(gain=6, fan_in=1, fan_out=0, bias=False),
}
"""Every initialisation by name: the one list MLP, the command line and the playground read."""

LABELS: dict[str, str] = {"uniform": "Uniform", "xavier": "Xavier/Glorot", "he": "He"}
"""How a page's menu writes an initialisation (else its name)."""


def check_init(name: object) -> str:
    """``name`` if it is one of :data:`INITS`, else an error listing the choices."""
    return check_name(name, INITS, "initialisation", "an")


def init_choices() -> list[dict[str, Any]]:
    """Every initialisation as a page reads it: name, label, formula and its numbers."""
    return [
        {
            "name": name,
            "label": LABELS.get(name, name),
            "formula": init.formula(),
            "gain": init.gain,
            "fanIn": init.fan_in,
            "fanOut": init.fan_out,
            "bias": init.bias,
        }
        for name, init in INITS.items()
    ]
