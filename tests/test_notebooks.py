"""The classroom notebooks in notebooks/ run top to bottom, and are committed without outputs.

Each notebook is executed with nbclient, cell after cell, in a kernel of this very Python:
a kernelspec named ``python3`` whose command is ``sys.executable -m ipykernel_launcher`` is
installed (by ipykernel itself, offline) into a temporary prefix, and that prefix's
``share/jupyter`` is put first on ``JUPYTER_PATH``, so no other Python's kernel on the machine
can be picked up. The kernel works in a fresh temporary folder, and its ``TMPDIR``,
``IPYTHONDIR`` and Jupyter runtime folder are inside the test's own ``tmp_path``; the test
checks that a notebook adds no file to the repository. A failing cell fails the test with
the notebook's name, the cell's number, its source and the error; each cell has
``CELL_TIMEOUT`` seconds.

The notebooks draw with Graphviz, except the training one, which draws with matplotlib. They
are marked ``pages``: ``make test`` runs them again without ``dot`` (``--without-dot``), where
every diagram and page must show laid out in the browser, and no cell may print a traceback.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = (
    "01_chain_rule_one_neuron.ipynb",
    "02_bp1_to_bp4.ipynb",
    "03_training_on_moons.ipynb",
    "04_your_own_op.ipynb",
    "05_second_derivatives.ipynb",
)
"""The lessons, in the order of docs/backprop.md."""
DRAWS = {
    "01_chain_rule_one_neuron.ipynb",
    "02_bp1_to_bp4.ipynb",
    "04_your_own_op.ipynb",
    "05_second_derivatives.ipynb",
}
SLOW = {"03_training_on_moons.ipynb"}
"""Over about two seconds (training 20 epochs); the others take about one."""
KERNEL = "python3"
CELL_TIMEOUT = 120
"""Seconds one cell may take; the slowest (training on moons) takes about two."""
STARTUP_TIMEOUT = 60
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


@pytest.fixture(scope="session")
def kernel_prefix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prefix holding the kernelspec ``python3`` of this Python, installed by ipykernel."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    install(prefix=str(prefix), kernel_name=KERNEL)
    return prefix


@pytest.fixture
def kernel_environment(
    kernel_prefix: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point Jupyter at that kernelspec first, and every folder the kernel writes into tmp_path.

    Returns the temporary folder the notebook runs in.
    """
    folders = {name: tmp_path / name for name in ("work", "tmp", "ipython", "runtime")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_prefix / "share" / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's future default, no warning
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(folders["runtime"]))  # connection files
    monkeypatch.setenv("IPYTHONDIR", str(folders["ipython"]))  # the kernel's profile, history
    monkeypatch.setenv("TMPDIR", str(folders["tmp"]))  # tempfile.mkdtemp() in a notebook
    return folders["work"]


def test_the_lessons_are_all_there() -> None:
    assert tuple(path.name for path in notebook_paths()) == EXPECTED


def test_the_kernel_is_this_python(kernel_environment: Path, kernel_prefix: Path) -> None:
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert Path(spec.resource_dir).is_relative_to(kernel_prefix), spec.resource_dir
    assert spec.argv[0] == sys.executable, spec.argv
    assert "ipykernel_launcher" in spec.argv, spec.argv


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda path: path.stem)
def test_committed_without_outputs(path: Path) -> None:
    """Outputs and execution counts stay out of the repository: the notebooks diff as text."""
    notebook = read(path)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == KERNEL
    for number, cell in enumerate(notebook.cells, start=1):
        where = f"{path.name}, cell {number}"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{where} has an execution count: clear it"
        assert "execution" not in cell.metadata, f"{where} has execution timings in its metadata"


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda path: path.stem)
def test_every_notebook_checks_its_numbers(path: Path) -> None:
    """Where a learner should see two numbers agree, an assert says so."""
    sources = [cell.source for cell in read(path).cells if cell.cell_type == "code"]
    assert any(re.search(r"^\s*assert ", source, re.M) for source in sources), path.name


def run_params() -> list[object]:
    params = []
    for path in notebook_paths():
        marks = [pytest.mark.pages]
        marks += [pytest.mark.slow] if path.name in SLOW else []
        params.append(pytest.param(path, marks=marks, id=path.stem))
    return params


def failure_report(path: str, notebook: nbformat.NotebookNode, index: int, error: str) -> str:
    """The notebook, the failing cell's number and source, and the error without colour codes."""
    cell = notebook.cells[index]
    code_number = sum(1 for c in notebook.cells[: index + 1] if c.cell_type == "code")
    shown = error
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            shown = "\n".join(output.get("traceback", [])) or f"{output.ename}: {output.evalue}"
    return (
        f"{path}: code cell {code_number} (cell {index + 1} of {len(notebook.cells)}) failed.\n"
        f"---- the cell ----\n{cell.source}\n"
        f"---- the error ----\n{ANSI.sub('', shown)}"
    )


def execute(notebook: nbformat.NotebookNode, name: str, folder: Path) -> str | None:
    """Run every cell of ``notebook`` in a kernel working in ``folder``; a failure's report."""
    running = {"index": 0}

    def remember(cell: nbformat.NotebookNode, cell_index: int, **_: object) -> None:
        running["index"] = cell_index

    client = NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},  # the kernel's working folder
        on_cell_execute=remember,
    )
    try:
        client.execute()
    except (CellControlSignal, DeadKernelError, TimeoutError) as error:
        return failure_report(name, notebook, running["index"], str(error))
    return None


@pytest.mark.parametrize("path", run_params())
def test_notebook_runs_top_to_bottom(path: Path, kernel_environment: Path) -> None:
    notebook = read(path)
    repository_before = sorted(p.name for p in ROOT.iterdir())
    notebooks_before = {p.name: p.stat().st_mtime_ns for p in NOTEBOOKS.iterdir()}

    failure = execute(notebook, str(path.relative_to(ROOT)), kernel_environment)
    if failure:
        pytest.fail(failure, pytrace=False)

    assert sorted(p.name for p in ROOT.iterdir()) == repository_before, "wrote into the repo"
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    printed = "".join(output.get("text", "") for output in outputs)
    assert "Traceback" not in printed and "NotFound" not in printed  # a repr that failed
    if path.name in DRAWS and shutil.which("dot") is None:  # shown laid out in the browser
        shown = [output.get("data", {}).get("text/html", "") for output in outputs]
        assert any("chainrule-dot" in html for html in shown)
    assert {p.name: p.stat().st_mtime_ns for p in NOTEBOOKS.iterdir()} == notebooks_before


def test_a_failing_cell_fails_with_its_source_and_error(kernel_environment: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A lesson with a mistake"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("y = x + 1\nassert y == 3, f'y is {y}'"),
        nbformat.v4.new_code_cell("never = 'run'"),
    ]
    report = execute(notebook, "lesson.ipynb", kernel_environment)
    assert report is not None
    assert report.startswith("lesson.ipynb: code cell 2 (cell 3 of 4) failed.")
    assert "---- the cell ----\ny = x + 1\nassert y == 3, f'y is {y}'\n" in report
    assert "AssertionError: y is 2" in report
    assert "\x1b[" not in report
    assert notebook.cells[3].outputs == []  # the run stopped at the failing cell
