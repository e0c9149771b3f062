"""The app in a real browser: ``streamlit run`` on 127.0.0.1, driven by Playwright with Debian's
Chromium.

Upload a generated two-page PDF, run Tesseract and RapidOCR, check that both panels show the
known text of each page, and that the Results page draws the leaderboard of a results folder.
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

from appdata import FIGURES, sample_page, two_page_pdf, write_results
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
    env = {**os.environ, "OCRXTRACT_RESULTS_DIR": str(results_dir)}
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
    page.get_by_role("heading", name="Benchmark results").wait_for()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Compare engines").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.get_by_text("Leaderboard").first.wait_for()
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
    page.get_by_text("Compare OCR engines").first.wait_for()
    reference = page.locator(".st-key-compare-reference textarea")
    reference.fill(first_text + "\n" + second_text)
    reference.press("Control+Enter")
    # Tesseract and RapidOCR are selected by default: check it rather than assume it.
    engines = page.locator(".st-key-compare-engines")
    for name in ("tesseract", "rapidocr"):
        engines.get_by_text(name, exact=True).wait_for()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(pdf))
    page.get_by_text("deux-pages.pdf").first.wait_for()
    page.get_by_role("button", name="Run").click()

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
    panels["rapidocr"].locator("summary").filter(has_text="Differences").click()
    expect(panels["rapidocr"].locator(".ocrx-diff")).to_be_visible()
    full_screenshot(page, screenshot_dir(tmp_path) / "app-compare.png")

    # Page 2 of the PDF: the panels show the second page's own text.
    page.set_viewport_size({"width": 1500, "height": 1000})
    selector = page.get_by_role("combobox", name="Page")
    selector.click()
    selector.press("ArrowDown")
    selector.press("Enter")
    expect(selector).to_have_value("page 2 of 2")
    for name, panel in panels.items():
        code = panel.locator("code").first
        expect(code).to_contain_text(second_line)
        assert first_line not in code.inner_text(), name
    page.close()
