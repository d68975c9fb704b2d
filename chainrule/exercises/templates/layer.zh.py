"""一层的 BP1 和 BP2：按 docs/backprop.zh.md 的推导，求一层的误差 δ。

沿用 backprop.zh.md 的记号：第 l 层逐个神经元地计算

    z^l = W^l a^(l−1) + b^l              （激活前的值）
    a^l = σ(z^l)                         （激活值；这里 σ 是 sigmoid）

W^l_jk 是从第 l−1 层的神经元 k 到第 l 层的神经元 j 的权重。一个样本的代价是
C = ½‖a^L − y‖²，L 是输出层；第 l 层的误差 δ 是

    δ^l = ∂C/∂z^l                        （第 l 层的每个神经元一个数）

⊙ 是逐元素乘积，σ'(z) = σ(z)(1 − σ(z))，所以 σ'(z^l_k) = a^l_k(1 − a^l_k)。

    (BP1)  δ^L = ∂C/∂a^L ⊙ σ'(z^L)
    (BP2)  δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)

向量是浮点数的列表，矩阵是行的列表：w_next[j][k] 就是 W^(l+1)_jk。写出 `bp1` 和 `bp2`。
然后：CHAINRULE_LANG=zh pytest FOLDER/test_layer.py
"""

import math


def sigmoid(z: float) -> float:
    """σ(z) = 1 / (1 + e^−z)，已经替你写好。"""
    return 1.0 / (1.0 + math.exp(-z))


def bp1(z: list[float], a: list[float], y: list[float]) -> list[float]:
    """BP1：输出层的 δ^L，代价函数 C = ½‖a^L − y‖² = ½ Σ_j (a_j − y_j)²。

    z 是 z^L，a 是 a^L = σ(z^L)，y 是目标值；返回 δ^L，每个输出神经元一个数。
    """
    # solution
    return [(aj - yj) * aj * (1.0 - aj) for aj, yj in zip(a, y, strict=True)]
    # end of solution


def bp2(
    w_next: list[list[float]],
    b_next: list[float],
    delta_next: list[float],
    z: list[float],
    a: list[float],
) -> list[float]:
    """BP2：隐藏层 l 的 δ^l，由下一层的权重和误差 δ 算出。

    w_next 是 W^(l+1)（第 l+1 层的每个神经元一行，第 l 层的每个神经元一列），b_next 是
    b^(l+1)，delta_next 是 δ^(l+1)，z 是 z^l，a 是 a^l = σ(z^l)。返回 δ^l，第 l 层的每个
    神经元一个数。（b^(l+1) 有没有影响？BP2 会告诉你。）
    """
    # solution
    delta = []
    for k in range(len(z)):
        back = sum(w_next[j][k] * delta_next[j] for j in range(len(delta_next)))  # (Wᵀδ)_k
        delta.append(back * a[k] * (1.0 - a[k]))  # ⊙ σ'(z_k) = a_k(1 − a_k)
    return delta
    # end of solution
