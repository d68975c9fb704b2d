"""A neuron's backward pass by hand: the chain rule along each path from o back to an input.

One neuron with inputs x = [x_0, x_1, …], weights w = [w_0, w_1, …] and bias b computes

    n = w·x + b = Σ_i w_i·x_i + b        (the weighted sum)
    o = tanh n                           (the neuron's output)

The graph is x_i, w_i → (×) → (+) ← b → n → (tanh) → o. Every path from o back to a
leaf passes through n, so the chain rule gives, for instance,

    ∂o/∂w_i = ∂o/∂n · ∂n/∂w_i

Write `neuron_backward`; `math.tanh` is there for you. Then: pytest FOLDER/test_neuron.py
"""

import math


def neuron_backward(
    x: list[float], w: list[float], b: float
) -> tuple[list[float], list[float], float]:
    """The gradients of o = tanh(w·x + b): return (∂o/∂w, ∂o/∂x, ∂o/∂b).

    ∂o/∂w and ∂o/∂x are lists with one number per input (∂o/∂w[i] = ∂o/∂w_i), ∂o/∂b is one
    number. Do the forward pass first (n, then o), then the backward pass: ∂o/∂n first,
    then each local derivative of n times ∂o/∂n.
    """
    # solution
    n = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
    o = math.tanh(n)
    do_dn = 1.0 - o * o  # tanh' = 1 − tanh², with o = tanh n
    do_dw = [xi * do_dn for xi in x]  # ∂n/∂w_i = x_i
    do_dx = [wi * do_dn for wi in w]  # ∂n/∂x_i = w_i
    do_db = do_dn  # ∂n/∂b = 1
    return do_dw, do_dx, do_db
    # end of solution
