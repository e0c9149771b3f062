"""ocrxtract app: compare OCR engines, browse benchmark results, make the ground truth of your own
documents and rank every engine on them.

Run it from the repository root::

    streamlit run app/streamlit_app.py

This entry file only sets up the language switch and the pages; each page calls the
``ocrxtract`` library. The app speaks French; the sidebar switches it to English (every string is
in :mod:`ocrxtract.workbench.i18n`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ocrxtract.workbench.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="ocrxtract", page_icon="🔎", layout="wide")

st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
lang = st.sidebar.radio(
    "Langue / Language",
    list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    horizontal=True,
    key="lang",
)
tr = translator(lang)

navigation = st.navigation(
    [
        st.Page(
            HERE / "app_pages" / "compare.py",
            title=tr("nav.compare"),
            icon=":material/compare:",
            url_path="compare",
            default=True,
        ),
        st.Page(
            HERE / "app_pages" / "results.py",
            title=tr("nav.results"),
            icon=":material/leaderboard:",
            url_path="results",
        ),
        st.Page(
            HERE / "app_pages" / "documents.py",
            title=tr("nav.documents"),
            icon=":material/edit_document:",
            url_path="documents",
        ),
        st.Page(
            HERE / "app_pages" / "leaderboard.py",
            title=tr("nav.leaderboard"),
            icon=":material/trophy:",
            url_path="classement",
        ),
    ]
)
navigation.run()
