"""chainrule's neural networks: an MLP of scalar ``Value`` nodes, named as in BP1–BP4.

    >>> from chainrule.nn import MLP, mse_loss
    >>> model = MLP(2, [3, 1], seed=0)         # z^l = W^l a^{l-1} + b^l, a^l = σ(z^l)
    >>> C = mse_loss(model([0.5, -1.0]), 1.0)  # C = ½ ‖a^L − y‖²
    >>> C.backward()                           # δ^l_j = model.layers[l - 1].neurons[j].z.grad

Builds on ``engine`` only (plus tqdm for ``fit``'s progress bar).
"""

from .activations import ACTIVATIONS
from .bp_check import BPCheck, BPLine, bp_check
from .bp_equations import BPQuantities, backprop_by_hand
from .datasets import (
    make_blobs,
    make_circles,
    make_gauss,
    make_moons,
    make_reg_gauss,
    make_reg_plane,
    make_spiral,
    make_xor,
    signed_labels,
)
from .features import FEATURES, check_features, featurize
from .losses import bce_loss, cross_entropy, decision_rule, hinge_loss, mean_loss, mse_loss
from .module import MLP, Layer, Module, Neuron
from .optim import SGD, Adam, Optimizer
from .points_csv import PointsFileError, load_points, read_points, write_points
from .train import History, TrainingDivergedError, accuracy, batch_orders, fit

__all__ = [
    "ACTIVATIONS",
    "FEATURES",
    "MLP",
    "SGD",
    "Adam",
    "BPCheck",
    "BPLine",
    "BPQuantities",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "PointsFileError",
    "TrainingDivergedError",
    "accuracy",
    "backprop_by_hand",
    "batch_orders",
    "bce_loss",
    "bp_check",
    "check_features",
    "cross_entropy",
    "decision_rule",
    "featurize",
    "fit",
    "hinge_loss",
    "load_points",
    "make_blobs",
    "make_circles",
    "make_gauss",
    "make_moons",
    "make_reg_gauss",
    "make_reg_plane",
    "make_spiral",
    "make_xor",
    "mean_loss",
    "mse_loss",
    "read_points",
    "signed_labels",
    "write_points",
]
