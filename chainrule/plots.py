"""Pictures of training with matplotlib (the ``plot`` extra): decision boundary, a
regression's predictions, and curves."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from chainrule.engine import Value, no_grad
from chainrule.engine.i18n import language, message
from chainrule.nn import MLP, History
from chainrule.outputs import UsageError

GRID = 60
"""Points per side of the grid on which the model's decision is evaluated."""


def check_available() -> None:
    """Refuse (a usage error) before any work when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(message("terminal.plot_needs_matplotlib")) from None


CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
"""Fonts with Chinese characters, in the order a Chinese picture tries them after the
default (``fonts-noto-cjk`` on Debian gives the first)."""


def _pyplot():
    check_available()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if language() == "zh":  # each glyph from the first font that has it
        plt.rcParams["font.family"] = ["DejaVu Sans", *_cjk_fonts()]
    return plt


@cache
def _cjk_fonts() -> tuple[str, ...]:
    """The fonts of :data:`CJK_FONTS` matplotlib can use here, made known to it first when
    they were installed after its font cache was built."""
    from matplotlib import font_manager

    def installed() -> tuple[str, ...]:
        known = {font.name for font in font_manager.fontManager.ttflist}
        return tuple(name for name in CJK_FONTS if name in known)

    if not installed():
        for path in font_manager.findSystemFonts():
            if "CJK" in Path(path).name and "Sans" in Path(path).name:
                font_manager.fontManager.addfont(path)
    return installed()


def decision_boundary(
    model: MLP,
    points: Sequence[Sequence[float]],
    labels: Sequence[float],
    predicts_positive: Callable[[Value], bool],
    path: Path,
    title: str,
) -> Path:
    """The data points over the regions the model assigns to each class, saved as PNG."""
    plt = _pyplot()
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    grid_x, grid_y = _grid(xs), _grid(ys)
    x_lo, x_hi, y_lo, y_hi = grid_x[0], grid_x[-1], grid_y[0], grid_y[-1]
    with no_grad():
        regions = [[float(predicts_positive(model([x, y]))) for x in grid_x] for y in grid_y]
    figure, axes = plt.subplots(figsize=(5.5, 5))
    axes.contourf(grid_x, grid_y, regions, levels=[-0.5, 0.5, 1.5], colors=["#fde0c5", "#c6dbef"])
    positive = [i for i, label in enumerate(labels) if label > 0]
    negative = [i for i, label in enumerate(labels) if label <= 0]
    axes.scatter(
        [xs[i] for i in negative],
        [ys[i] for i in negative],
        c="#e6550d",
        edgecolors="white",
        linewidths=0.5,
        label=message("terminal.plot_class", k=0),
        s=28,
    )
    axes.scatter(
        [xs[i] for i in positive],
        [ys[i] for i in positive],
        c="#3182bd",
        edgecolors="white",
        linewidths=0.5,
        label=message("terminal.plot_class", k=1),
        s=28,
    )
    axes.set(title=title, xlabel="x[0]", ylabel="x[1]", xlim=(x_lo, x_hi), ylim=(y_lo, y_hi))
    axes.legend(loc="upper right", framealpha=0.9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


CLASS_COLOURS = ("#e6550d", "#3182bd", "#31a354", "#756bb1", "#636363")
"""Class k's colour in a picture of K classes (0 and 1 as in the two-class pictures)."""


def class_regions(
    model: MLP,
    points: Sequence[Sequence[float]],
    labels: Sequence[int],
    classes: int,
    path: Path,
    title: str,
) -> Path:
    """K classes: each region in the colour of the class the model gives it (its largest
    logit), fainter where softmax's probability of that class is lower; the points on top."""
    plt = _pyplot()
    from matplotlib.colors import to_rgb

    xs, ys = [p[0] for p in points], [p[1] for p in points]
    grid_x, grid_y = _grid(xs), _grid(ys)
    image = []
    with no_grad():
        for y in grid_y:
            row = []
            for x in grid_x:
                logits = [a.data for a in model([x, y])]
                top = max(logits)
                chosen = logits.index(top)
                confidence = 1.0 / sum(math.exp(z - top) for z in logits)  # softmax's largest
                strength = 0.15 + 0.45 * (confidence - 1 / classes) / (1 - 1 / classes)
                colour = to_rgb(CLASS_COLOURS[chosen])
                row.append([1.0 - strength * (1.0 - c) for c in colour])  # towards white
            image.append(row)
    figure, axes = plt.subplots(figsize=(5.5, 5))
    extent = (grid_x[0], grid_x[-1], grid_y[0], grid_y[-1])
    axes.imshow(image, origin="lower", extent=extent, aspect="auto", interpolation="bilinear")
    for k in range(classes):
        chosen_points = [i for i, label in enumerate(labels) if label == k]
        axes.scatter(
            [xs[i] for i in chosen_points],
            [ys[i] for i in chosen_points],
            c=CLASS_COLOURS[k],
            edgecolors="white",
            linewidths=0.5,
            label=message("terminal.plot_class", k=k),
            s=28,
        )
    axes.set(title=title, xlabel="x[0]", ylabel="x[1]")
    axes.legend(loc="upper right", framealpha=0.9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def predictions(
    model: MLP,
    points: Sequence[Sequence[float]],
    targets: Sequence[float],
    path: Path,
    title: str,
) -> Path:
    """A regression: the model's prediction ŷ over the plane, and each point in the colour of
    its target y on the same scale (orange −1, white 0, blue +1, as the playground paints)."""
    plt = _pyplot()
    from matplotlib.colors import LinearSegmentedColormap

    scale = LinearSegmentedColormap.from_list("y", ["#e6550d", "#ffffff", "#3182bd"])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    grid_x, grid_y = _grid(xs), _grid(ys)
    with no_grad():
        values = [[model([x, y]).data for x in grid_x] for y in grid_y]
    figure, axes = plt.subplots(figsize=(5.5, 5))
    shown = axes.pcolormesh(grid_x, grid_y, values, cmap=scale, vmin=-1, vmax=1, shading="auto")
    axes.scatter(xs, ys, c=targets, cmap=scale, vmin=-1, vmax=1, edgecolors="#111827", s=28)
    figure.colorbar(shown, ax=axes, label=message("terminal.plot_prediction_bar"))
    axes.set(title=title, xlabel="x[0]", ylabel="x[1]")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _grid(coordinates: Sequence[float]) -> list[float]:
    """GRID values from a little below the smallest coordinate to a little above the largest."""
    pad = 0.1 * (max(coordinates) - min(coordinates)) + 0.1
    lo, hi = min(coordinates) - pad, max(coordinates) + pad
    return [lo + (hi - lo) * i / (GRID - 1) for i in range(GRID)]


def training_curves(
    history: History, path: Path, title: str, final: tuple[float, float] | None = None
) -> Path:
    """Loss and accuracy per epoch, side by side, saved as PNG.

    The curves are ``fit``'s history: each epoch's batches scored as they were trained on,
    before their step. ``final`` = (loss, accuracy) of the model after the last step, on
    all the points, is drawn as its own marker after the last epoch, and named as such.
    """
    plt = _pyplot()
    epochs = list(range(1, len(history.loss) + 1))
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(9, 3.6))
    running = message("terminal.plot_running")
    loss_axes.plot(epochs, history.loss, color="#e6550d", marker="o", markersize=3, label=running)
    epoch = message("terminal.plot_epoch")
    loss_axes.set(
        title=message("terminal.plot_loss_title"),
        xlabel=epoch,
        ylabel=message("terminal.plot_mean_loss"),
    )
    accuracy_axes.plot(
        epochs, history.accuracy, color="#3182bd", marker="o", markersize=3, label=running
    )
    accuracy_axes.set(
        title=message("terminal.plot_accuracy_title"),
        xlabel=epoch,
        ylabel=message("terminal.plot_accuracy"),
        ylim=(0, 1.02),
    )
    if final is not None:
        after = len(epochs) + 0.5
        marks = (
            (loss_axes, final[0], message("terminal.plot_final_loss", value=f"{final[0]:.4f}")),
            (
                accuracy_axes,
                final[1],
                message("terminal.plot_final_accuracy", value=f"{final[1]:.3f}"),
            ),
        )
        for axes, value, label in marks:
            axes.plot(
                [after],
                [value],
                "D",
                color="#111827",
                markersize=5,
                label=label,
            )
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
        axes.legend(loc="best", fontsize=7, framealpha=0.9)
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
