"""Optimisers: how a parameter p moves once backprop has filled in g = ∂C/∂p.

    SGD    v ← μ·v + g                       p ← p − η·v        (μ = 0: plain p ← p − η·g)
    Adam   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
           p ← p − η · m̂ / (√v̂ + ε)   with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)

``weight_decay`` λ adds the L2 term λ·p to g first (as ``torch.optim`` does), and ``l1``
λ₁ the L1 term λ₁·sign(p) before it (TensorFlow Playground's L1, with sign(0) = 0): the
gradients of the penalties ½λ‖p‖² and λ₁‖p‖₁ added to C. So g = ∂C/∂p + λ₁·sign(p) + λ·p.
L2 pulls a weight towards 0 in proportion to its size; L1 by the same amount whatever its
size, so small weights reach 0 and the network becomes sparse.

The learning-rate schedule hook: pass ``schedule``, a function of the number
of steps taken so far t = 0, 1, 2, …; step t then uses η_t = η · schedule(t).
For example ``schedule=lambda t: 0.5 ** (t // 100)`` halves η every 100 steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from numbers import Real

from ..engine import Value

Schedule = Callable[[int], float]


class Optimizer:
    """What SGD and Adam share: the parameters, η, λ, λ₁, the schedule and the step count."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        weight_decay: float,
        schedule: Schedule | None,
        l1: float = 0.0,
    ) -> None:
        self.params = _checked_params(params, type(self).__name__)
        self.lr = _non_negative(lr, f"{type(self).__name__} lr", positive=True)
        self.weight_decay = _non_negative(weight_decay, f"{type(self).__name__} weight_decay")
        self.l1 = _non_negative(l1, f"{type(self).__name__} l1")
        if schedule is not None and not callable(schedule):
            raise TypeError(
                f"{type(self).__name__} schedule must be a function of the step number t "
                f"returning a factor for lr, got {type(schedule).__name__}: {schedule!r:.80}"
            )
        self.schedule = schedule
        self.steps = 0

    def current_lr(self) -> float:
        """η_t = η · schedule(t) for the next step t (just η without a schedule)."""
        if self.schedule is None:
            return self.lr
        factor = self.schedule(self.steps)
        if isinstance(factor, bool) or not isinstance(factor, Real) or not 0.0 <= factor < math.inf:
            raise ValueError(
                f"the lr schedule returned {factor!r:.80} at step {self.steps}; "
                "it must return a finite number ≥ 0 (a factor for lr)"
            )
        return self.lr * float(factor)

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 before the next ``backward()``."""
        for p in self.params:
            p.grad = 0.0

    def _gradient(self, p: Value) -> float:
        """g = ∂C/∂p + λ₁·sign(p) + λ·p, added in that order (the page adds them so too)."""
        return p.grad + self.l1 * _sign(p.data) + self.weight_decay * p.data


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum μ: v ← μ·v + g, p ← p − η·v."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
        l1: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule, l1)
        self.momentum = _non_negative(momentum, "SGD momentum")
        if self.momentum >= 1.0:
            raise ValueError(f"SGD momentum must be below 1, got {momentum!r}")
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter one step against its gradient."""
        lr, mu = self.current_lr(), self.momentum
        for i, p in enumerate(self.params):
            self.velocity[i] = mu * self.velocity[i] + self._gradient(p)
            p.data -= lr * self.velocity[i]
        self.steps += 1


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): a step scaled per parameter by running moments of g and g²."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
        l1: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule, l1)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"Adam betas must be a pair (β₁, β₂), got {betas!r:.80}")
        for name, beta in zip(("β₁", "β₂"), betas, strict=True):
            if _non_negative(beta, f"Adam betas {name}") >= 1.0:
                raise ValueError(f"Adam betas {name} must be in [0, 1), got {beta!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = _non_negative(eps, "Adam eps", positive=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """Update the moments m, v and move every parameter by η·m̂/(√v̂ + ε)."""
        lr = self.current_lr()
        beta1, beta2 = self.betas
        t = self.steps + 1
        correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
        for i, p in enumerate(self.params):
            g = self._gradient(p)
            self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * g * g
            m_hat, v_hat = self.m[i] / correction1, self.v[i] / correction2
            p.data -= lr * m_hat / (math.sqrt(v_hat) + self.eps)
        self.steps = t


def _sign(x: float) -> float:
    """sign(x): −1, 0 or 1, the derivative of |x| (taken as 0 at 0)."""
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def _checked_params(params: Iterable[Value], who: str) -> list[Value]:
    try:
        checked = list(params)
    except TypeError:
        raise TypeError(
            f"{who} takes the parameters to train, e.g. model.parameters(); got "
            f"{type(params).__name__}: {params!r:.80}"
        ) from None
    if not checked:
        raise ValueError(f"{who} got no parameters to train")
    seen: set[int] = set()
    for p in checked:
        if not isinstance(p, Value):
            raise TypeError(f"{who} parameters must be Values, got {type(p).__name__}: {p!r:.80}")
        if id(p) in seen:
            raise ValueError(f"{who} got the parameter {p!r} twice; it would be updated twice")
        seen.add(id(p))
    return checked


def _non_negative(x: object, what: str, positive: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what} must be a number, got {type(x).__name__}: {x!r:.80}")
    x = float(x)
    if not math.isfinite(x) or x < 0.0 or (positive and x == 0.0):
        bound = "> 0" if positive else "≥ 0"
        raise ValueError(f"{what} must be a finite number {bound}, got {x!r}")
    return x


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam}
"""The optimisers by the names the command line and the playground use."""

LABELS: dict[str, str] = {"sgd": "SGD", "adam": "Adam"}
"""How a page's menu writes each optimiser."""
