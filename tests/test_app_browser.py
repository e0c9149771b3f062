"""The app in a real browser: ``streamlit run`` on 127.0.0.1, driven by Playwright with Debian's
Chromium.

Upload a generated two-page PDF, run Tesseract and RapidOCR, check that both panels show the
known text of each page, and that the Results page draws the leaderboard of a results folder.
The whole "your own documents" flow: two documents added to a folder, a Tesseract draft,
saved, a line corrected (Enter goes to the next line), saved again, and the leaderboard's CER
for Tesseract moving from 0 to what the corrected files give.
Screenshots go to ``tmp_path``, or to ``$OCRXTRACT_SCREENSHOT_DIR`` when set (the wiki's are
made with ``OCRXTRACT_SCREENSHOT_DIR=wiki/img``).

Skipped, with the reason, when Chromium, Playwright, Streamlit or one of the engines is absent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from appdata import FIGURES, png_bytes, sample_page, two_page_pdf, write_results
from conftest import REPO_ROOT, require_engine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP = REPO_ROOT / "app" / "streamlit_app.py"
MAX_SCREENSHOT_BYTES = 1024 * 1024

pytestmark = pytest.mark.slow

if not CHROMIUM.is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (install it with: apt-get install chromium)",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
pytest.importorskip("streamlit", reason="streamlit is not installed (pip install 'ocrxtract[app]')")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(os.environ.get("OCRXTRACT_RESULTS_DIR", ""))
    if os.environ.get("OCRXTRACT_RESULTS_DIR") and root.is_dir():
        return root
    root = tmp_path_factory.mktemp("results")
    write_results(root)
    return root


@pytest.fixture(scope="module")
def server(results_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "OCRXTRACT_RESULTS_DIR": str(results_dir),
        "OCRXTRACT_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
    }
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_healthy(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


def screenshot_dir(tmp_path: Path) -> Path:
    target = Path(os.environ.get("OCRXTRACT_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def full_screenshot(page: object, path: Path) -> None:
    """Screenshot of the whole app: Streamlit scrolls inside its main element, so the window
    is made as tall as that element's content first."""
    page.wait_for_timeout(800)  # type: ignore[attr-defined]  # let expanders finish opening
    height = page.evaluate(  # type: ignore[attr-defined]
        "() => document.querySelector('[data-testid=stMain]').scrollHeight"
    )
    page.set_viewport_size({"width": 1500, "height": max(1000, int(height))})  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    check_screenshot(path)


def check_screenshot(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG"), path
    assert len(data) < MAX_SCREENSHOT_BYTES, f"{path} has {len(data)} bytes"


def test_results_page_shows_the_leaderboard(
    server: str, browser: object, results_dir: Path, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})  # type: ignore[attr-defined]
    page.set_default_timeout(60_000)
    # First visit of a fresh server, straight to the Results URL: the navigation of the entry
    # file is still in charge (a folder named pages/ beside it would take over here).
    page.goto(f"{server}/results")
    page.get_by_role("heading", name="Résultats de benchmark").wait_for()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Comparer les moteurs").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.get_by_text("Classement").first.wait_for()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    if (results_dir / "demo").is_dir():  # the hand-made results (not real ones given by env)
        body = page.locator("[data-testid='stMain']").inner_text()
        for engine in {engine for engine, _ in FIGURES}:
            assert engine in body
    full_screenshot(page, screenshot_dir(tmp_path) / "app-results.png")
    page.close()


def test_compare_two_page_pdf_with_tesseract_and_rapidocr(
    server: str, browser: object, tmp_path: Path
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect

    require_engine("tesseract")
    require_engine("rapidocr")
    pdf = tmp_path / "deux-pages.pdf"
    pdf.write_bytes(two_page_pdf())
    _, first_text = sample_page(0)
    _, second_text = sample_page(1)
    # "Référence du dossier : 2024-QL-73691": the file number differs between the two pages.
    first_line, second_line = (
        t.splitlines()[3].split(":")[1].strip() for t in (first_text, second_text)
    )
    assert first_line != second_line

    page = browser.new_page(viewport={"width": 1500, "height": 1000})  # type: ignore[attr-defined]
    page.set_default_timeout(90_000)
    page.goto(server)
    page.get_by_text("Comparer les moteurs OCR").first.wait_for()
    reference = page.locator(".st-key-compare-reference textarea")
    reference.fill(first_text + "\n" + second_text)
    reference.press("Control+Enter")
    # Tesseract and RapidOCR are selected by default: check it rather than assume it.
    engines = page.locator(".st-key-compare-engines")
    for name in ("tesseract", "rapidocr"):
        engines.get_by_text(name, exact=True).wait_for()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(pdf))
    page.get_by_text("deux-pages.pdf").first.wait_for()
    page.get_by_role("button", name="Lancer").click()

    panels = {
        name: page.locator(f".st-key-compare-panel-{name}") for name in ("tesseract", "rapidocr")
    }
    for name, panel in panels.items():
        panel.locator("code").first.wait_for()
        text = panel.locator("code").first.inner_text()
        assert "Quittance de loyer" in text, (name, text)
        assert first_line in text, (name, text)
        metrics = panel.locator("[data-testid='stMetric']")
        expect(metrics).to_have_count(3)
        assert "CER" in metrics.nth(1).inner_text(), (name, metrics.nth(1).inner_text())
    # The diff of the engine with the more edits, open in the screenshot.
    panels["rapidocr"].locator("summary").filter(has_text="Différences").click()
    expect(panels["rapidocr"].locator(".ocrx-diff")).to_be_visible()
    full_screenshot(page, screenshot_dir(tmp_path) / "app-compare.png")

    # Page 2 of the PDF: the panels show the second page's own text.
    page.set_viewport_size({"width": 1500, "height": 1000})
    selector = page.get_by_role("combobox", name="Page")
    selector.click()
    selector.press("ArrowDown")
    selector.press("Enter")
    expect(selector).to_have_value("page 2 sur 2")
    for name, panel in panels.items():
        code = panel.locator("code").first
        expect(code).to_contain_text(second_line)
        assert first_line not in code.inner_text(), name

    # The key fields of both readings side by side, their boxes drawn on the page.
    # Open the expander and click its button, again if needed: a rerun of the app (the page
    # change above) can still be redrawing the expander, which closes it or detaches the button.
    run = page.get_by_role("button", name="Extraire les champs")
    expander = page.locator("[data-testid='stExpander']").filter(has_text="Champs clés").first
    for attempt in range(4):
        try:
            if not run.is_visible():
                expander.locator("summary").click(timeout=30_000)
            run.click(timeout=30_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 3:
                raise
    page.get_by_text("champ non trouvé").wait_for()
    fields = page.locator("[data-testid='stExpander']").filter(has_text="Champs clés")
    shown = 60_000  # ms: the extraction of two readings, on a loaded machine
    expect(fields.locator("[data-testid='stDataFrame']")).to_be_visible(timeout=shown)
    expect(fields.locator("[data-testid='stImage']")).to_be_visible(timeout=shown)  # the boxes
    expect(page.get_by_role("combobox", name="Boîtes des champs de")).to_be_visible(timeout=shown)
    full_screenshot(page, screenshot_dir(tmp_path) / "app-fields.png")
    page.close()


def test_my_documents_then_the_leaderboard_uses_the_corrected_ground_truth(
    server: str, browser: object, tmp_path: Path
) -> None:
    """The whole flow: add two documents to a folder, draft one with Tesseract, save it as it
    is (Tesseract's CER on it is then 0), correct a line (Enter goes to the next one), save
    again: the leaderboard's CER for Tesseract becomes the one the corrected files give."""
    from playwright.sync_api import expect

    from ocrxtract.metrics import score_text
    from ocrxtract.workbench.drafts import load_draft

    require_engine("tesseract")
    folder = tmp_path / "mes-documents"
    folder.mkdir()
    uploads = []
    for seed in (0, 1):
        path = tmp_path / f"quittance-{seed + 1}.png"
        path.write_bytes(png_bytes(seed))
        uploads.append(str(path))
    shots = screenshot_dir(tmp_path)

    page = browser.new_page(viewport={"width": 1500, "height": 1000})  # type: ignore[attr-defined]
    page.set_default_timeout(120_000)
    page.goto(f"{server}/documents")
    page.get_by_role("heading", name="Mes documents").wait_for()
    folder_field = page.locator(".st-key-docs-folder input")
    folder_field.fill(str(folder))
    folder_field.press("Enter")
    page.get_by_text("Ce dossier ne contient encore aucun document").wait_for()
    page.locator(".st-key-docs-upload [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        uploads
    )
    page.get_by_text("2 document(s), dont 0 avec une vérité terrain.").wait_for()
    assert sorted(p.name for p in folder.glob("*.png")) == ["quittance-1.png", "quittance-2.png"]

    # A draft of the first document with Tesseract (the default draft engine).
    expect(page.get_by_role("combobox", name="Moteur du brouillon")).to_have_value("tesseract")
    page.get_by_role("button", name="Faire un brouillon").click()
    fields = page.locator("[class*='st-key-docs-line-'] input")
    fields.first.wait_for()
    document = folder / "quittance-1.png"
    draft = load_draft(document)
    assert draft is not None
    read = [line.read for line in draft.lines]
    count = len(read)
    assert count >= 5, read  # the page has ten lines
    expect(fields).to_have_count(count)
    expect(page.locator("[data-testid='stImage']")).to_have_count(count)  # a crop per line
    assert [fields.nth(i).input_value() for i in range(count)] == read

    # Saved as it is: the ground truth is Tesseract's own reading.
    page.get_by_role("button", name="Enregistrer la vérité terrain").click()
    page.get_by_text("Vérité terrain enregistrée : quittance-1.txt, quittance-1.xml").wait_for()
    leaderboard_cer = open_leaderboard(page, folder)
    assert leaderboard_cer == "0,0 %", leaderboard_cer

    # Correct the second line, Enter: the next line gets the focus; the draft file has it.
    page.goto(f"{server}/documents?dossier={folder}")
    fields.first.wait_for()
    corrected = read[1] + " bis"
    fields.nth(1).click()
    fields.nth(1).fill(corrected)
    fields.nth(1).press("Enter")
    expect(fields.nth(2)).to_be_focused()
    page.wait_for_function(
        "() => document.body.innerText.includes('1 corrigée(s)')", timeout=30_000
    )
    draft = load_draft(document)
    assert draft is not None and draft.lines[1].text == corrected
    fields.nth(1).click()  # the crop zoom, and the page as the wiki shows it
    full_screenshot(page, shots / "app-documents.png")
    page.set_viewport_size({"width": 1500, "height": 1000})
    page.get_by_role("button", name="Enregistrer la vérité terrain").click()
    page.get_by_text("Vérité terrain enregistrée").wait_for()
    truth = (folder / "quittance-1.txt").read_text(encoding="utf-8").strip("\n")
    assert corrected in truth.splitlines()

    # The leaderboard now scores Tesseract against the corrected text: 4 edits (" bis").
    expected = score_text(truth, "\n".join(read), "exact").cer
    assert expected > 0
    shown = open_leaderboard(page, folder)
    assert shown == f"{100 * expected:.1f} %".replace(".", ","), (shown, expected)
    full_screenshot(page, shots / "app-classement.png")
    page.close()


def open_leaderboard(page: object, folder: Path) -> str:
    """Build the leaderboard of ``folder`` with Tesseract and RapidOCR (when available) and
    return Tesseract's CER as the recommendation or the worst-documents list shows it."""
    import re

    page.get_by_role("link", name="Classement", exact=True).click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Classement sur vos documents").wait_for()  # type: ignore[attr-defined]
    engines = page.locator(".st-key-board-engines")  # type: ignore[attr-defined]
    engines.get_by_text("tesseract", exact=True).wait_for()
    for slow in ("easyocr", "doctr", "paddleocr"):  # keep the test to the light engines
        tag = engines.locator("[data-baseweb='tag']").filter(has_text=slow)
        if tag.count():
            tag.locator("[role='presentation']").click()
    page.get_by_role("button", name="Établir le classement").click()  # type: ignore[attr-defined]
    page.locator("[data-testid='stAlertContentSuccess']").wait_for()  # type: ignore[attr-defined]
    page.get_by_text("Documents les moins bien lus").wait_for()  # type: ignore[attr-defined]
    engine = page.get_by_role("combobox", name="Moteur", exact=True)  # type: ignore[attr-defined]
    if engine.input_value() != "tesseract":
        engine.click()
        page.get_by_role("option", name="tesseract").click()  # type: ignore[attr-defined]
    title = page.locator("[data-testid='stExpander'] summary").filter(  # type: ignore[attr-defined]
        has_text="quittance-1 · CER"
    )
    match = re.search(r"CER ([0-9,]+ %)", title.first.inner_text())
    assert match, title.first.inner_text()
    return match.group(1)
