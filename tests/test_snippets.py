"""Every Python block of README.md and of the user guide runs as written, top to bottom.

The README's blocks share one namespace, and so do the guide's pages, in the
order of the guide's table of contents, as a reader pasting them in order into
a notebook would; each block carries the set-up it needs. They run in a
temporary folder, so the files they write go nowhere.
"""

import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"


def guide_pages() -> list[Path]:
    """The guide's pages in the order of its table of contents (docs/guide/index.md)."""
    toc = re.search(r"```\{toctree\}\n(.*?)```", (GUIDE / "index.md").read_text(), re.S).group(1)
    stems = [line.strip() for line in toc.splitlines() if line.strip() and ":" not in line]
    return [GUIDE / f"{stem}.md" for stem in stems]


FILES = {"README.md": [ROOT / "README.md"], "guide": guide_pages()}


def blocks(paths: list[Path]) -> list[str]:
    return [b for path in paths for b in re.findall(r"```python\n(.*?)```", path.read_text(), re.S)]


def run_all(name: str, tmp_path, monkeypatch, checks=None) -> dict:
    """Run every block of ``name`` in order; ``checks[fragment](namespace)`` runs right after
    the block that contains ``fragment`` (later blocks may reuse its names)."""
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__snippets__"}
    checked = set()
    for number, block in enumerate(blocks(FILES[name])):
        try:
            exec(compile(block, f"{name} block {number}", "exec"), namespace)  # noqa: S102 - our docs
        except Exception as error:
            raise AssertionError(f"{name} block {number} failed:\n{block}") from error
        for fragment, check in (checks or {}).items():
            if fragment in block:
                check(namespace)
                checked.add(fragment)
    assert checked == set(checks or {}), f"no block holds {set(checks or {}) - checked}"
    return namespace


def test_both_files_have_blocks():
    assert len(blocks(FILES["README.md"])) >= 3 and len(blocks(FILES["guide"])) >= 10
    assert len(FILES["guide"]) == len(list(GUIDE.glob("*.md"))) - 1  # every page in the toc


def test_the_readme_runs(tmp_path, monkeypatch):
    namespace = run_all("README.md", tmp_path, monkeypatch)
    assert len(namespace["scores"]["train_acc"]) == 20  # the resumed run kept all 20 epochs


def round_trip(namespace):
    """cnnlab's view of the PyTorch-trained weights gives PyTorch's outputs."""
    back, X_val = namespace["back"], namespace["X_val"]
    np.testing.assert_allclose(back.predict_proba(X_val), namespace["probabilities"], atol=1e-5)
    assert namespace["accuracy"] > 0.8


def test_the_guide_runs(tmp_path, monkeypatch, capsys):
    pytest.importorskip("torch")
    checks = {
        "class Square(Layer)": lambda namespace: namespace["report"].passed or pytest.fail(),
        "to_torch(cnn)": round_trip,
    }
    run_all("guide", tmp_path, monkeypatch, checks)
    assert "dshift" in capsys.readouterr().out
