"""Local derivatives by hand: the numbers backprop multiplies along every edge.

An op takes its operands and computes its value, out. Its *local derivative* towards an
operand is how fast out moves when that operand alone moves:

    ∂out/∂a = lim (out(a + h, b) − out(a, b)) / h   as h → 0   (b held fixed)

chainrule records one on every edge of a graph (node.local_grads), and backprop multiplies
them: parent.grad += ∂node/∂parent × node.grad.

Write each function below: it gets the numbers the op saw, its operands (and, where that is
natural, its value out), and returns the local derivative towards each operand. Replace each
`raise NotImplementedError(...)` with your code (import math if you need it). Then run the
tests:

    pytest FOLDER/test_ops.py              every op
    pytest FOLDER/test_ops.py -k tanh      one op
"""


def d_mul(a: float, b: float) -> tuple[float, float]:
    """out = a · b. Return (∂out/∂a, ∂out/∂b), a pair of numbers.

    Move a by h with b fixed: out changes from a·b to (a + h)·b.
    """
    # solution
    return b, a
    # end of solution


def d_div(a: float, b: float) -> tuple[float, float]:
    """out = a / b (b ≠ 0). Return (∂out/∂a, ∂out/∂b), a pair of numbers.

    a / b is a · b⁻¹: the a-part is a product, the b-part a power of b.
    """
    # solution
    return 1.0 / b, -a / (b * b)
    # end of solution


def d_power(x: float, k: float) -> float:
    """out = x ** k, for a constant exponent k (a plain number, not a Value). Return ∂out/∂x.

    The power rule: the slope of x^k for any real k (x > 0 when k is not a whole number).
    """
    # solution
    return k * x ** (k - 1)
    # end of solution


def d_exp(x: float, out: float) -> float:
    """out = e^x (math.exp(x)), where out is given. Return ∂out/∂x.

    Like tanh and sigmoid below, its local derivative is easiest written with out.
    """
    # solution
    return out
    # end of solution


def d_log(x: float) -> float:
    """out = ln x, the natural logarithm (math.log), for x > 0. Return ∂out/∂x.

    ln is the inverse of exp: if out = ln x then x = e^out.
    """
    # solution
    return 1.0 / x
    # end of solution


def d_tanh(x: float, t: float) -> float:
    """out = tanh x = (e^x − e^−x) / (e^x + e^−x), where t = tanh x is given. Return ∂out/∂x.

    Write it with t, the op's value: that is what backprop has at hand on the edge.
    """
    # solution
    return 1.0 - t * t
    # end of solution


def d_sigmoid(x: float, s: float) -> float:
    """out = σ(x) = 1 / (1 + e^−x), where s = σ(x) is given. Return ∂out/∂x.

    Write it with s, the op's value, as for tanh.
    """
    # solution
    return s * (1.0 - s)
    # end of solution


def d_relu(x: float) -> float:
    """out = relu(x) = max(0, x). Return ∂out/∂x.

    At x = 0 relu has a kink and no derivative; chainrule (like PyTorch) takes 0 there.
    """
    # solution
    return 1.0 if x > 0 else 0.0
    # end of solution
