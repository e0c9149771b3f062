"""The pipeline: documents -> page images -> engines -> reading order -> extractors.

=====================  ==========================================================
module                 job
=====================  ==========================================================
:mod:`.inputs`         documents to read: files, bytes (uploads), pages in memory
:mod:`.steps`          engines and extractors as picklable steps; :func:`read_page`,
                       :func:`read_upright`
:mod:`.run`            :func:`run`: the one documents x engines loop, with results
:mod:`.executors`      where it runs: this process, a pool of processes
:mod:`.files`          OCR files and write the exports (``ocrxtract ocr``)
=====================  ==========================================================
"""

from ocrxtract.pipeline.executors import (
    SINGLE_THREAD_ENV,
    Completed,
    Executor,
    InlineExecutor,
    ProcessExecutor,
)
from ocrxtract.pipeline.files import (
    OcrResult,
    OcrSettings,
    ocr_document,
    ocr_files,
    output_path,
    save_result,
    write_atomically,
)
from ocrxtract.pipeline.inputs import BytesInput, DocumentInput, FileInput, PagesInput, as_input
from ocrxtract.pipeline.run import EngineOutcome, ItemResult, Steps, process_document, run
from ocrxtract.pipeline.steps import (
    TEXT_LAYER_ENGINE,
    EngineStep,
    ExtractStep,
    engine_for,
    extractor_for,
    finish_page,
    read_page,
    read_upright,
    uses_text_layer,
)

__all__ = [
    "SINGLE_THREAD_ENV",
    "TEXT_LAYER_ENGINE",
    "BytesInput",
    "Completed",
    "DocumentInput",
    "EngineOutcome",
    "EngineStep",
    "Executor",
    "ExtractStep",
    "FileInput",
    "InlineExecutor",
    "ItemResult",
    "OcrResult",
    "OcrSettings",
    "PagesInput",
    "ProcessExecutor",
    "Steps",
    "as_input",
    "engine_for",
    "extractor_for",
    "finish_page",
    "ocr_document",
    "ocr_files",
    "output_path",
    "process_document",
    "read_page",
    "read_upright",
    "run",
    "save_result",
    "uses_text_layer",
    "write_atomically",
]
