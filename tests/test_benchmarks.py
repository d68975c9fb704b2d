"""The benchmark's reference rows compute what chainrule computes, and its GC clock only watches."""

import gc

import pytest

from benchmarks import workloads as w
from benchmarks.bare_value import BareValue
from benchmarks.engines import bare, chainrule
from benchmarks.run import GcClock, agree


def test_w4_floor_and_flat_lists_agree_with_chainrule_on_loss_and_every_gradient():
    a_data, b_data = w.product_inputs(1001)  # odd: pairwise_sum carries a term up a level
    reference = w.w4_sum_of_products(chainrule(), a_data, b_data)
    assert reference[1] == pytest.approx(b_data)  # ∂(Σ a_i·b_i)/∂a_i = b_i
    assert agree(reference, w.w4_sum_of_products(bare(), a_data, b_data))
    assert agree(reference, w.w4_flat_lists(a_data, b_data))


def test_bare_value_backprops_through_a_shared_node_like_chainrule():
    # y = (x·x + x)·x: dy/dx = 3x² + 2x = 16 at x = 2, with x and x·x + x reused
    x = BareValue(2.0)
    u = x * x + x
    y = u * x
    y.backward()
    assert (y.data, x.grad) == (12.0, 16.0)
    y.backward()  # a second pass: operations are reset, leaves accumulate
    assert x.grad == 32.0


def test_bare_value_is_only_the_floor_so_relu_says_so():
    with pytest.raises(NotImplementedError, match="W4's floor"):
        bare().relu(BareValue(1.0))


def test_gc_clock_times_collections_and_leaves_the_callbacks_as_it_found_them():
    before = list(gc.callbacks)
    with GcClock() as clock:
        gc.collect()
    assert clock.seconds > 0.0
    assert gc.callbacks == before
