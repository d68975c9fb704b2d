"""手算局部导数：反向传播沿着每条边相乘的那些数。

一个运算接收它的操作数，算出它的值 out。它对某个操作数的*局部导数*，就是只让这个操作数
变动时，out 变化得有多快：

    ∂out/∂a = lim (out(a + h, b) − out(a, b)) / h   当 h → 0   （b 保持不变）

chainrule 在计算图的每条边上记下一个局部导数（node.local_grads），反向传播把它们相乘：
parent.grad += ∂node/∂parent × node.grad。

写出下面的每个函数：它拿到运算看到的数，即它的操作数（在自然的地方，还有它的值 out），
返回对每个操作数的局部导数。把每个 `raise NotImplementedError(...)` 换成你的代码（需要的话
import math）。然后运行测试：

    CHAINRULE_LANG=zh pytest FOLDER/test_ops.py              所有运算
    CHAINRULE_LANG=zh pytest FOLDER/test_ops.py -k tanh      一个运算
"""


def d_mul(a: float, b: float) -> tuple[float, float]:
    """out = a · b。返回 (∂out/∂a, ∂out/∂b)，一对数。

    让 a 变动 h、b 不变：out 从 a·b 变成 (a + h)·b。
    """
    # solution
    return b, a
    # end of solution


def d_div(a: float, b: float) -> tuple[float, float]:
    """out = a / b（b ≠ 0）。返回 (∂out/∂a, ∂out/∂b)，一对数。

    a / b 就是 a · b⁻¹：对 a 来说是一个乘积，对 b 来说是 b 的一个幂。
    """
    # solution
    return 1.0 / b, -a / (b * b)
    # end of solution


def d_power(x: float, k: float) -> float:
    """out = x ** k，指数 k 是常数（一个普通的数，不是 Value）。返回 ∂out/∂x。

    幂法则：对任意实数 k，x^k 的斜率（k 不是整数时 x > 0）。
    """
    # solution
    return k * x ** (k - 1)
    # end of solution


def d_exp(x: float, out: float) -> float:
    """out = e^x（math.exp(x)），out 已经给出。返回 ∂out/∂x。

    和下面的 tanh、sigmoid 一样，它的局部导数用 out 来写最容易。
    """
    # solution
    return out
    # end of solution


def d_log(x: float) -> float:
    """out = ln x，自然对数（math.log），x > 0。返回 ∂out/∂x。

    ln 是 exp 的反函数：如果 out = ln x，那么 x = e^out。
    """
    # solution
    return 1.0 / x
    # end of solution


def d_tanh(x: float, t: float) -> float:
    """out = tanh x = (e^x − e^−x) / (e^x + e^−x)，t = tanh x 已经给出。返回 ∂out/∂x。

    用 t（这个运算的值）来写：反向传播在这条边上手头有的正是它。
    """
    # solution
    return 1.0 - t * t
    # end of solution


def d_sigmoid(x: float, s: float) -> float:
    """out = σ(x) = 1 / (1 + e^−x)，s = σ(x) 已经给出。返回 ∂out/∂x。

    和 tanh 一样，用 s（这个运算的值）来写。
    """
    # solution
    return s * (1.0 - s)
    # end of solution


def d_relu(x: float) -> float:
    """out = relu(x) = max(0, x)。返回 ∂out/∂x。

    relu 在 x = 0 处有一个折点，没有导数；chainrule（和 PyTorch 一样）在那里取 0。
    """
    # solution
    return 1.0 if x > 0 else 0.0
    # end of solution
