"""ocrxtract app: compare OCR engines side by side, and browse benchmark results.

Run it from the repository root::

    streamlit run app/streamlit_app.py

This entry file only sets up the pages; each page calls the ``ocrxtract`` library.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="ocrxtract", page_icon="🔎", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            HERE / "app_pages" / "compare.py",
            title="Compare engines",
            icon=":material/compare:",
            url_path="compare",
            default=True,
        ),
        st.Page(
            HERE / "app_pages" / "results.py",
            title="Benchmark results",
            icon=":material/leaderboard:",
            url_path="results",
        ),
    ]
)
navigation.run()
