import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def nlp():
    import biaslens

    return biaslens.load()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


OMBUDSMAN_TEXT = (
    "The officer had already interviewed Ms F's son. "
    "The officer offered to meet the child but Ms F had not facilitated this request. "
    "Ms F said that the report focused on her mental health. "
    "Mr B claims that he has always supported contact."
)


@pytest.fixture
def ombudsman_text():
    return OMBUDSMAN_TEXT
