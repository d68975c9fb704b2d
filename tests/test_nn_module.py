"""The MLP's structure, node labels, forward-pass interface and input errors."""

import gc
import math

import pytest
from chainrule.engine import Value, no_grad, topological_order
from chainrule.engine.value import identity, tanh
from chainrule.nn import MLP, Layer, Neuron


def test_structure_is_indexed_like_the_maths():
    model = MLP(3, [4, 2], seed=0)
    assert len(model.layers) == 2
    assert [len(layer.neurons) for layer in model.layers] == [4, 2]
    assert [len(n.w) for n in model.layers[1].neurons] == [4, 4]
    # W^l_jk is model.layers[l - 1].neurons[j].w[k]; b^l_j is ...neurons[j].b
    assert model.layers[1].neurons[1].w[3].label == "W[2][1][3]"
    assert model.layers[0].neurons[2].b.label == "b[1][2]"
    assert (model.layers[0].activation, model.layers[1].activation) == ("tanh", "linear")
    assert model.layers[1].neurons[0].activation == "linear"


def test_parameters_are_the_labelled_weights_then_bias_of_each_neuron():
    model = MLP(2, [2, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "W[1][0][0]", "W[1][0][1]", "b[1][0]",
        "W[1][1][0]", "W[1][1][1]", "b[1][1]",
        "W[2][0][0]", "W[2][0][1]", "b[2][0]",
    ]  # fmt: skip
    assert len(model.parameters()) == 2 * 2 + 2 + 2 * 1 + 1
    assert all(type(p) is Value for p in model.parameters())


def test_the_same_seed_gives_the_same_weights():
    weights = [[p.data for p in MLP(2, [5, 3, 1], seed=7).parameters()] for _ in range(2)]
    assert weights[0] == weights[1]
    assert weights[0] != [p.data for p in MLP(2, [5, 3, 1], seed=8).parameters()]


def test_initial_weights_lie_within_one_over_root_fan_in():
    model = MLP(16, [4], seed=0)
    assert all(-0.25 <= p.data <= 0.25 for p in model.parameters())  # 1/√16


def test_forward_labels_every_node_in_the_notation():
    model = MLP(2, [3, 2], seed=0)
    out = model([0.5, -1.0])
    assert [v.label for v in out] == ["a[2][0]", "a[2][1]"]
    assert [x.label for x in model.inputs] == ["x[0]", "x[1]"]
    labels = {v.label for v in topological_order(out[0])}
    assert {"x[0]", "x[1]", "W[1][2][1]", "b[1][2]", "z[1][2]", "a[1][2]", "z[2][0]"} <= labels
    neuron = model.layers[0].neurons[1]
    assert (neuron.z.label, neuron.a.label) == ("z[1][1]", "a[1][1]")
    assert neuron.a.parents == (neuron.z,) and neuron.a.op is tanh


def test_z_is_the_weighted_sum_and_a_its_activation():
    model = MLP(2, [1], output_activation="tanh", seed=0)
    neuron = model.layers[0].neurons[0]
    x = [0.5, -2.0]
    a = model(x)
    w0, w1, b = (p.data for p in neuron.parameters())
    assert neuron.z.data == w0 * x[0] + w1 * x[1] + b
    assert a is neuron.a and a.data == pytest.approx(math.tanh(neuron.z.data))


def test_z_a_and_inputs_are_none_before_the_first_forward_and_latest_after():
    model = MLP(1, [2, 1], seed=0)
    neuron = model.layers[0].neurons[0]
    assert (neuron.z, neuron.a, model.inputs) == (None, None, None)
    model([1.0])
    first = neuron.z
    model([2.0])
    assert neuron.z is not first
    assert model.inputs[0].data == 2.0 and neuron.z.parents[0].parents[1] is model.inputs[0]


def test_linear_activation_is_its_own_identity_node():
    model = MLP(2, [1], seed=0)  # output_activation="linear"
    a = model([1.0, 2.0])
    z = model.layers[0].neurons[0].z
    assert a is not z
    assert a.op is identity
    assert (a.parents, a.local_grads, a.data) == ((z,), (1.0,), z.data)


def test_one_output_is_a_value_and_several_a_list():
    assert isinstance(MLP(2, [3, 1], seed=0)([0.0, 0.0]), Value)
    out = MLP(2, [3, 2], seed=0)([0.0, 0.0])
    assert isinstance(out, list) and len(out) == 2


def test_inputs_may_be_values_and_receive_gradients():
    model = MLP(2, [3, 1], seed=0)
    x0, x1 = Value(0.5), Value(-1.0, "mine")
    out = model([x0, x1])
    out.backward()
    assert model.inputs == [x0, x1]
    assert (x0.label, x1.label) == ("x[0]", "mine")  # unlabelled ones are named x[k]
    assert x0.grad != 0.0


def test_no_grad_forward_records_no_graph():
    model = MLP(2, [3, 1], seed=0)
    with no_grad():
        out = model([0.5, 0.5])
    assert out.parents == ()


def test_reprs_read_like_the_architecture():
    model = MLP(2, [16, 16, 1], seed=0)
    assert repr(model) == "MLP(2 → 16 tanh → 16 tanh → 1 linear)"
    assert repr(model.layers[1]) == "Layer(l=2: 16 → 16, tanh)"
    assert repr(model.layers[2].neurons[0]) == "Neuron(l=3, j=0: 16 inputs, linear)"


def test_neuron_and_layer_work_on_their_own():
    neuron = Neuron(2, "relu", layer=2, index=5)
    assert neuron.w[1].label == "W[2][5][1]"
    assert neuron([1.0, 2.0]).label == "a[2][5]"
    layer = Layer(3, 2, "sigmoid", layer=1)
    outs = layer([0.1, 0.2, 0.3])
    assert [o.label for o in outs] == ["a[1][0]", "a[1][1]"]
    assert all(0.0 < o.data < 1.0 for o in outs)


def test_zero_grad_clears_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_forward_and_backward_leave_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        model = MLP(2, [4, 1], seed=0)
        model([0.5, 0.5]).backward()
        del model
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        ([1.0], ValueError, "takes 2 inputs, got 1"),
        ([1.0, 2.0, 3.0], ValueError, "takes 2 inputs, got 3"),
        (1.5, TypeError, "wrap a single input as"),
        (Value(1.5), TypeError, "wrap a single input as"),
        ("ab", TypeError, "list of 2 numbers"),
        ([1.0, "2"], TypeError, "input 1 must be a number or a Value, got str"),
        ([True, 1.0], TypeError, "input 0 must be a number"),
        ([float("nan"), 1.0], ValueError, "input 0 must be finite"),
        ({"a": 1, "b": 2}, TypeError, "list of 2 numbers"),
    ],
)
def test_bad_input_raises_before_anything_is_built(x, error, message):
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(error, match=message):
        model(x)
    assert model.inputs is None and model.layers[0].neurons[0].z is None


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((2, [3, 1]), {"activation": "softmax"}, ValueError,
         "unknown activation 'softmax'; choose one of 'tanh', 'relu', 'sigmoid', 'linear'"),
        ((2, [3, 1]), {"output_activation": "Tanh"}, ValueError, "unknown activation 'Tanh'"),
        ((2, [3, 1]), {"activation": None}, TypeError, "given by name"),
        ((0, [3]), {}, ValueError, "nin .* must be ≥ 1, got 0"),
        ((2, []), {}, ValueError, "nouts is empty"),
        ((2, [3, 0]), {}, ValueError, r"nouts\[1\] \(the width of layer 2\) must be ≥ 1"),
        ((2, 3), {}, TypeError, "list of layer widths"),
        ((2.0, [3]), {}, TypeError, "nin .* must be an int, got float"),
        ((2, [3]), {"seed": "x"}, TypeError, "seed must be an int or None"),
    ],
)  # fmt: skip
def test_bad_construction_arguments_are_explained(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        MLP(*args, **kwargs)
