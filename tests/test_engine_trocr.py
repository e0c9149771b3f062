"""The ``trocr`` engine and ``ocrxtract fetch``: model lookup, the explicit fetch, and a real
(tiny, untrained) TrOCR model built here from configs, since no published one can be downloaded
in tests. The engine runs where transformers is installed (``make install-deep``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from ocrxtract.cli.main import app
from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.trocr_engine import (
    MODEL_ENV,
    MODELS_DIR_ENV,
    TrocrEngine,
    fetch_model,
    fetched_models_dir,
    find_model,
    model_folder_name,
)
from ocrxtract.errors import ModelDownloadError, ModelNotFoundError
from ocrxtract.io import PageImage

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SYMBOLS = "abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(autouse=True)
def _own_models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "models"))
    monkeypatch.delenv(MODEL_ENV, raising=False)


def _page(tmp_path: Path) -> PageImage:
    image = Image.new("RGB", (1000, 400), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    for number, text in enumerate(("Premier alinéa du texte", "Second alinéa ici")):
        draw.text((60, 80 + number * 150), text, fill="black", font=font)
    path = tmp_path / "page.png"
    image.save(path)
    return PageImage(image=image, source=path, index=0, dpi=150)


# --- without transformers ----------------------------------------------------------------------


def test_no_model_names_the_explicit_fetch() -> None:
    with pytest.raises(ModelNotFoundError, match="ocrxtract fetch trocr"):
        find_model(None)


def test_a_folder_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"config\.json missing"):
        find_model(str(tmp_path))


def test_a_fetched_model_is_found_by_its_hub_name(tmp_path: Path) -> None:
    folder = fetched_models_dir() / model_folder_name("someone/trocr-fr")
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    assert fetched_models_dir() == tmp_path / "models" / "trocr"
    assert find_model("someone/trocr-fr") == folder


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Hugging Face hub cannot be reached (as on the development machine)."""
    huggingface_hub = pytest.importorskip("huggingface_hub", reason="ocrxtract[trocr]")

    def offline(*args: Any, **kwargs: Any) -> None:
        raise OSError("no network")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)


@pytest.mark.usefixtures("offline_hub")
def test_fetch_failure_says_where_to_put_the_files() -> None:
    with pytest.raises(ModelDownloadError) as caught:
        fetch_model("microsoft/trocr-base-handwritten")
    message = str(caught.value)
    assert "microsoft--trocr-base-handwritten" in message and "no network" in message
    assert "copy a TrOCR folder" in message


def test_fetch_command_refuses_engines_without_models() -> None:
    result = CliRunner().invoke(app, ["fetch", "tesseract", "fra"])
    assert result.exit_code == 2
    assert "trocr, kraken" in result.output


@pytest.mark.usefixtures("offline_hub")
def test_fetch_command_exit_code_of_a_failed_download() -> None:
    result = CliRunner().invoke(app, ["fetch", "trocr", "microsoft/trocr-small-printed"])
    assert result.exit_code == 6


# --- with transformers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TrOCR folder (ViT encoder, TrOCR decoder, image processor, character tokenizer),
    random weights: its text is noise, its files and code paths are those of a real one."""
    pytest.importorskip("transformers", reason="pip install 'ocrxtract[trocr]'")
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import (
        PreTrainedTokenizerFast,
        TrOCRConfig,
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessor,
    )

    folder = tmp_path_factory.mktemp("trocr")
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    vocab.update({symbol: 4 + i for i, symbol in enumerate(SYMBOLS)})
    characters = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    characters.pre_tokenizer = pre_tokenizers.Split(Regex("."), "isolated")
    PreTrainedTokenizerFast(
        tokenizer_object=characters,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    ).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    encoder = ViTConfig(
        image_size=32,
        patch_size=16,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
    )
    decoder = TrOCRConfig(
        vocab_size=len(vocab),
        d_model=32,
        decoder_layers=1,
        decoder_attention_heads=2,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id, config.pad_token_id, config.eos_token_id = 2, 1, 2
    VisionEncoderDecoderModel(config=config).save_pretrained(folder)
    return folder


def test_trocr_reads_one_text_per_ground_truth_box(tiny_model: Path, tmp_path: Path) -> None:
    engine = create_engine("trocr", {"model": str(tiny_model), "max_new_tokens": 6, "threads": 1})
    assert engine.check().available
    boxes = [BBox(x0=50, y0=70, x1=700, y1=130), BBox(x0=50, y0=220, x1=600, y1=280)]
    boxes.append(BBox(x0=3000, y0=3000, x1=3100, y1=3050))  # off the page
    texts = engine.recognize_lines(_page(tmp_path), boxes)
    assert len(texts) == 3
    assert texts[2] == ""
    assert set("".join(texts)) <= set(SYMBOLS + " ")


def test_trocr_pages_are_pp_ocr_lines_read_by_the_model(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = TrocrEngine({"model": str(tiny_model), "threads": 1})
    read: list[int] = []

    def fixed(crops: list[Any]) -> list[str]:
        read.append(len(crops))
        return ["mot lu"] * len(crops)

    monkeypatch.setattr(engine, "read", fixed)
    page = engine.recognize(_page(tmp_path))
    lines = sorted(page.lines(), key=lambda line: line.bbox.y0)
    assert read == [len(lines)] and len(lines) == 2
    for number, line in enumerate(lines):
        assert [w.text for w in line.words] == ["mot", "lu"]
        assert line.polygon is not None
        assert abs(line.bbox.y0 - (80 + number * 150)) < 30
    assert page.provenance is not None and page.provenance.engine == "trocr"
