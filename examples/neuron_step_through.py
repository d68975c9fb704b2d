"""One neuron, o = tanh(x1·w1 + x2·w2 + b), forward and then backward one edge at a time.

Run it with `make demo` (or `python examples/neuron_step_through.py`).
"""

from chainrule.engine import Value


def main() -> None:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")

    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"

    print("Forward pass: o = tanh(x1·w1 + x2·w2 + b)")
    for v in (x1, w1, x2, w2, b, x1w1, x2w2, n, o):
        print(f"  {v.label:>6} = {v.data: .4f}")

    print("\nBackward pass, one chain-rule step per edge (parent.grad += local × upstream):")
    for number, step in enumerate(o.backward_steps(), start=1):
        print(f"  {number:>2}. {step}")

    print("\nGradients of o:")
    for v in (x1, w1, x2, w2, b):
        print(f"  ∂o/∂{v.label:<2} = {v.grad: .4f}")


if __name__ == "__main__":
    main()
