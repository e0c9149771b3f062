"""My documents page: make the ground truth of your own documents, in a folder of yours.

Choose a local folder (typed path) or upload documents into it; an engine drafts a document;
correct it line by line beside each line's image crop (Enter goes to the next line); propose the
key fields from the corrected lines and correct them; save writes ``STEM.txt`` (and ALTO, and
``STEM.fields.json``) beside the document. Every correction is written at once to a hidden
draft file beside the document, so a reload loses nothing. The logic is in
``ocrxtract.workbench.drafts``; this page lays out widgets. Widget keys start with ``docs.``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import streamlit as st
from app_pages.folder import choose_folder
from PIL import Image

from ocrxtract.errors import OcrxtractError
from ocrxtract.extract.fields import load_schema
from ocrxtract.extract.fields.schema import field_schema_names
from ocrxtract.workbench.compare import engine_catalogue
from ocrxtract.workbench.drafts import (
    Draft,
    add_document,
    choose_schema,
    folder_documents,
    line_crop,
    load_draft,
    make_draft,
    page_image,
    propose_fields,
    save_draft,
    save_ground_truth,
    sidecar,
)
from ocrxtract.workbench.i18n import translator
from ocrxtract.workbench.uploads import UPLOAD_TYPES

KEY = "docs."
#: The folder chosen, shared with the leaderboard page (session) and kept in the URL (reload).
#: Width, in pixels, of a line crop at zoom 1.
CROP_WIDTH = 520
tr = translator(st.session_state.get("lang", "fr"))

#: Enter in a line's field moves the focus to the next line's field (Streamlit commits the
#: value on Enter and on blur, so nothing typed is lost).
ENTER_NEXT = """
<script>
if (!window.__ocrxEnterNext) {
  window.__ocrxEnterNext = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest("[class*='st-key-docs-line-']"))
      return;
    const fields = Array.from(document.querySelectorAll("[class*='st-key-docs-line-'] input"));
    const next = fields[fields.indexOf(input) + 1];
    if (next) setTimeout(() => { next.focus(); next.select(); }, 0);
  }, true);
}
</script>
"""


@st.cache_data(show_spinner=False, max_entries=8)
def page_picture(path: str, mtime: float, page: int, dpi: int) -> Image.Image:
    """The page as the draft saw it (cached per file version)."""
    return page_image(Path(path), page, dpi)


@st.cache_data(show_spinner=False, ttl=60)
def draft_engines() -> list[str]:
    return [s.name for s in engine_catalogue() if s.available and s.name != "pdf-text"]


def add_uploads(folder: Path) -> None:
    files = st.file_uploader(
        tr("docs.add"),
        type=list(UPLOAD_TYPES),
        accept_multiple_files=True,
        key=KEY + "upload",
    )
    for upload in files or []:
        existed = (folder / upload.name).exists()
        try:
            path = add_document(folder, upload.name, upload.getvalue())
        except OcrxtractError as exc:
            st.error(str(exc), icon=":material/error:")
            continue
        if not existed:
            st.toast(tr("docs.added", name=path.name), icon=":material/check:")


def choose_document(folder: Path) -> Path | None:
    documents = folder_documents(folder)
    if not documents:
        st.info(tr("docs.empty"))
        return None
    truth = {
        d for d in documents
        if any(sidecar(d, suffix).is_file() for suffix in (".txt", ".xml", ".fields.json"))
    }  # fmt: skip
    st.caption(tr("docs.count", count=len(documents), truth=len(truth)))
    names = [d.relative_to(folder).as_posix() for d in documents]
    wanted = st.query_params.get("document")
    chosen = st.selectbox(
        tr("docs.document"),
        names,
        index=names.index(wanted) if wanted in names else 0,
        format_func=lambda n: tr("docs.has_truth", name=n) if folder / n in truth else n,
        key=KEY + "document",
    )
    st.query_params["document"] = chosen
    return folder / chosen


def draft_controls(document: Path, draft: Draft | None) -> Draft | None:
    engines = draft_engines()
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    engine = left.selectbox(
        tr("docs.engine"),
        engines,
        index=engines.index("tesseract") if "tesseract" in engines else 0,
        key=KEY + "engine",
    )
    label = tr("docs.draft" if draft is None else "docs.redraft")
    if right.button(label, key=KEY + "make", disabled=not engines, icon=":material/auto_fix:"):
        with st.spinner(tr("docs.drafting", name=document.name, engine=engine)):
            try:
                draft = make_draft(document, engine)
                save_draft(draft)
            except OcrxtractError as exc:
                st.error(str(exc), icon=":material/error:")
    return draft


def correct(document: Path, index: int, key: str) -> None:
    """A line's field changed: write the correction to the draft file at once."""
    draft = load_draft(document)
    if draft is not None and draft.set_text(index, st.session_state[key]):
        save_draft(draft)


def editor(document: Path, draft: Draft) -> None:
    st.caption(
        tr(
            "docs.draft_info",
            engine=draft.engine,
            lines=len(draft.lines),
            corrected=draft.corrected,
        )
    )
    top = st.columns([1, 1, 2])
    page = 0
    if draft.pages > 1:
        page = (
            top[0].selectbox(
                tr("docs.page"),
                list(range(1, draft.pages + 1)),
                format_func=lambda n: tr("docs.page.of", n=n, count=draft.pages),
                key=KEY + "page",
            )
            - 1
        )
    zoom = top[1].slider(
        tr("docs.zoom"), 0.5, 3.0, 1.0, 0.25, key=KEY + "zoom", help=tr("docs.zoom.help")
    )
    top[2].caption(tr("docs.keys"))
    st.html(ENTER_NEXT, unsafe_allow_javascript=True)
    lines = draft.page_lines(page)
    if not lines:
        st.info(tr("docs.no_lines"))
    picture = page_picture(str(document), document.stat().st_mtime, page, draft.dpi)
    for number, (index, line) in enumerate(lines, start=1):
        crop_column, text_column = st.columns([3, 2], vertical_alignment="center")
        if line.bbox is not None:
            try:
                crop = line_crop(picture, line.bbox)
            except OcrxtractError:
                crop = None
            if crop is not None:
                crop_column.image(crop, width=max(40, int(min(crop.width, CROP_WIDTH) * zoom)))
        key = f"{KEY}line.{draft.made}.{index}"
        text_column.text_input(
            tr("docs.line", n=number),
            value=line.text,
            key=key,
            on_change=correct,
            args=(document, index, key),
            label_visibility="collapsed",
        )
    with st.expander(tr("docs.text")):
        st.code(draft.text() or "—", language=None, wrap_lines=True)
    fields_editor(document, draft)
    if st.button(tr("docs.save"), type="primary", key=KEY + "save", icon=":material/save:"):
        current = load_draft(document) or draft
        written = save_ground_truth(current)
        st.success(tr("docs.saved", files=", ".join(p.name for p in written)))


@st.cache_data(show_spinner=False)
def schema_titles() -> dict[str, str]:
    return {name: load_schema(name).title or name for name in field_schema_names()}


def change_schema(document: Path, key: str) -> None:
    draft = load_draft(document)
    if draft is not None:
        save_draft(choose_schema(draft, st.session_state[key] or None))


def correct_field(document: Path, name: str, key: str) -> None:
    """A field's value changed: write it to the draft file at once."""
    draft = load_draft(document)
    if (
        draft is not None
        and draft.schema is not None
        and draft.set_field(name, st.session_state[key])
    ):
        save_draft(draft)


def fields_editor(document: Path, draft: Draft) -> None:
    """The key fields of the document: a schema, proposed values, corrected one by one."""
    st.subheader(tr("docs.fields"))
    st.caption(tr("docs.fields.intro"))
    titles = schema_titles()
    options = ["", *titles]
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    # Keyed by the schema too: a proposal that detects another type re-initialises the box.
    key = f"{KEY}schema.{draft.made}.{draft.schema}"
    chosen = left.selectbox(
        tr("docs.fields.schema"),
        options,
        index=options.index(draft.schema) if draft.schema in options else 0,
        format_func=lambda n: titles.get(n, tr("docs.fields.none")),
        key=key,
        on_change=change_schema,
        args=(document, key),
    )
    if right.button(tr("docs.fields.propose"), key=KEY + "propose", icon=":material/auto_fix:"):
        current = load_draft(document) or draft
        try:
            save_draft(propose_fields(current, chosen or "auto"))
        except OcrxtractError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        if current.schema is None:
            st.warning(tr("docs.fields.undetected"), icon=":material/help:")
            return
        st.rerun()
    if draft.schema is None:
        return
    st.caption(tr("docs.fields.info", count=len(draft.fields), corrected=draft.fields_corrected))
    # Keyed by what was proposed: a new proposal shows its values, not the old widgets'.
    token = hashlib.sha256(json.dumps(draft.fields_read, sort_keys=True).encode()).hexdigest()[:8]
    for name, value in draft.fields.items():
        field_key = f"{KEY}field.{draft.made}.{token}.{name}"
        st.text_input(
            name,
            value=value,
            key=field_key,
            on_change=correct_field,
            args=(document, name, field_key),
        )


# --- page -----------------------------------------------------------------------------------

st.title(tr("docs.title"))
st.caption(tr("docs.intro"))
chosen_folder = choose_folder(tr, KEY + "folder", placeholder="/home/…/mes-documents")
if chosen_folder is None:
    st.stop()
add_uploads(chosen_folder)
chosen_document = choose_document(chosen_folder)
if chosen_document is None:
    st.stop()
try:
    current_draft = load_draft(chosen_document)
except OcrxtractError as exc:
    st.error(str(exc), icon=":material/error:")
    current_draft = None
current_draft = draft_controls(chosen_document, current_draft)
if current_draft is None:
    st.info(tr("docs.no_draft"))
    st.stop()
editor(chosen_document, current_draft)
