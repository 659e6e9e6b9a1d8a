"""The README's lecture example in a real Jupyter kernel, run headless (nbclient + ipykernel).

What a student sees in a notebook: figures as images without any %matplotlib
line, no TqdmWarning when ipywidgets is missing, the summary table once, and
a CNN that shows its layer table.
"""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

README = Path(__file__).resolve().parents[1] / "README.md"


def lecture_example() -> str:
    """The README's lecture example, with 3 epochs instead of 100."""
    text = README.read_text()
    section = text.split("## The lecture example", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "epochs=100" in code and code.rstrip().endswith("cnn.summary()")
    return code.replace("epochs=100", "epochs=3")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    cells = [
        lecture_example(),
        "scores.plot()",
        "from cnnlab.plotting import plot_images, plot_kernels\nplot_images(x_train[:8])",
        'plot_kernels(cnn.layers[0].params["W"])',
        "figure = scores.plot()  # assigned: shows nothing",
        "cnn",
    ]
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return book


def outputs(cell, kind):
    return [output for output in cell.outputs if output.output_type == kind]


def test_no_cell_needs_a_matplotlib_magic(notebook):
    assert not any("%matplotlib" in cell.source for cell in notebook.cells)


def test_figures_show_as_images(notebook):
    for cell in notebook.cells[1:4]:
        results = outputs(cell, "execute_result")
        assert len(results) == 1, cell.source
        assert "image/png" in results[0].data, cell.source
        assert results[0].data["image/png"]  # base64 of a PNG
    assert notebook.cells[4].outputs == []


def test_no_tqdm_warning_and_one_line_per_epoch(notebook):
    for cell in notebook.cells:
        for stream in outputs(cell, "stream"):
            assert "TqdmWarning" not in stream.text and "IProgress" not in stream.text
    stderr = "".join(s.text for s in outputs(notebook.cells[0], "stream") if s.name == "stderr")
    for epoch in (1, 2, 3):
        assert f"epoch {epoch}/3" in stderr


def test_the_summary_appears_once(notebook):
    cell = notebook.cells[0]
    shown = "".join(s.text for s in outputs(cell, "stream") if s.name == "stdout")
    shown += "".join(str(r.data) for r in outputs(cell, "execute_result"))
    assert shown.count("Total parameters") == 1


def test_a_cnn_shows_its_layer_table(notebook):
    (result,) = outputs(notebook.cells[5], "execute_result")
    assert "<table>" in result.data["text/html"]
    assert result.data["text/plain"].startswith("<CNN: 6 layers")
