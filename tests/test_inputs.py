import pytest

import biaslens


@pytest.mark.parametrize("bad,code", [("", "E002"), ("   \n\t ", "E002"), ("... !!! ---", "E015")])
def test_empty_or_no_sentences(bad, code):
    with pytest.raises(biaslens.InputError, match=code):
        biaslens.analyze(bad)


@pytest.mark.parametrize("bad", [None, 42, b"Ms F attended.", ["Ms F attended."]])
def test_non_string(bad):
    with pytest.raises(biaslens.InputError, match="E001"):
        biaslens.analyze(bad)


def test_five_megabytes_is_a_clear_error():
    text = "Mr B attended the meeting. " * 200_000
    with pytest.raises(biaslens.InputError, match="E003") as exc:
        biaslens.analyze(text)
    assert "Mr B" not in str(exc.value)


def test_not_english_warns(nlp):
    text = ("Der Vater hat das Kind am Wochenende nicht gebracht und die Mutter war sehr "
            "wütend darüber, weil sie lange gewartet hatte und niemand angerufen hat.")
    with pytest.warns(biaslens.BiasLensWarning, match="W004"):
        biaslens.analyze(text, nlp=nlp)


def test_bad_backend():
    with pytest.raises(biaslens.InputError, match="E009"):
        biaslens.load(backend="nonsense")
