"""The example notebook runs end to end on the bundled example (executed with nbclient)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOK = EXAMPLES / "analyze_report.ipynb"


@pytest.mark.slow
def test_example_notebook_runs_end_to_end():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # kernel "python3" is the ipykernel of the interpreter running the tests (the venv's).
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 5  # attributions, framing, cues, the two-panel figure, corpus
    htmls = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    view = [h for h in htmls if "biaslens-report" in h]
    assert view and "bl-cue" in view[-1] and "<script" not in view[-1].lower()
    # the report's repr in the first analysis cell is the HTML view, not a plain repr
    assert any("bl-summary" in h for h in htmls)


def test_notebook_is_committed_without_outputs():
    # outputs would embed a rendering of the example; keeping them out keeps diffs reviewable
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
