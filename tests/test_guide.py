"""The guide's code blocks marked ``<!-- tested -->`` run as they are."""

import re
from pathlib import Path

import numpy as np
import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide.md"
BLOCKS = re.findall(
    r"<!-- tested: tests/test_guide.py -->\n```python\n(.*?)```", GUIDE.read_text(), re.S
)


def run(fragment: str) -> dict:
    (block,) = [block for block in BLOCKS if fragment in block]
    namespace: dict = {}
    exec(compile(block, "guide.md", "exec"), namespace)  # noqa: S102 - our own guide
    return namespace


def test_the_guide_has_tested_blocks():
    assert len(BLOCKS) == 2


def test_a_layer_of_your_own_passes_gradcheck(capsys):
    namespace = run("class Square(Layer)")
    assert namespace["report"].passed
    assert "dshift" in capsys.readouterr().out


def test_the_round_trip_to_pytorch_and_back():
    pytest.importorskip("torch")
    namespace = run("to_torch(cnn)")
    # cnnlab's view of the PyTorch-trained weights gives PyTorch's outputs
    np.testing.assert_allclose(
        namespace["back"].predict_proba(namespace["X_val"]), namespace["probabilities"], atol=1e-5
    )
    assert namespace["accuracy"] > 0.8
