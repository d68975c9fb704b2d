"""手算一个神经元的反向传播：沿着从 o 回到某个输入的每条路径运用链式法则。

一个神经元有输入 x = [x_0, x_1, …]、权重 w = [w_0, w_1, …] 和偏置 b，它计算

    n = w·x + b = Σ_i w_i·x_i + b        （加权和）
    o = tanh n                           （神经元的输出）

计算图是 x_i, w_i → (×) → (+) ← b → n → (tanh) → o。从 o 回到任何一个叶子的路径都
经过 n，所以链式法则给出，例如

    ∂o/∂w_i = ∂o/∂n · ∂n/∂w_i

写出 `neuron_backward`；`math.tanh` 可以直接用。然后：CHAINRULE_LANG=zh pytest FOLDER/test_neuron.py
"""

import math


def neuron_backward(
    x: list[float], w: list[float], b: float
) -> tuple[list[float], list[float], float]:
    """o = tanh(w·x + b) 的梯度：返回 (∂o/∂w, ∂o/∂x, ∂o/∂b)。

    ∂o/∂w 和 ∂o/∂x 是列表，每个输入一个数（∂o/∂w[i] = ∂o/∂w_i），∂o/∂b 是一个数。
    先做前向传播（先 n，再 o），再做反向传播：先求 ∂o/∂n，然后用 n 的每个局部导数
    乘以 ∂o/∂n。
    """
    # solution
    n = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
    o = math.tanh(n)
    do_dn = 1.0 - o * o  # tanh' = 1 − tanh²，其中 o = tanh n
    do_dw = [xi * do_dn for xi in x]  # ∂n/∂w_i = x_i
    do_dx = [wi * do_dn for wi in w]  # ∂n/∂x_i = w_i
    do_db = do_dn  # ∂n/∂b = 1
    return do_dw, do_dx, do_db
    # end of solution
