"""The folder of the user's own documents, shared by "Mes documents" and "Classement".

The chosen folder is kept in the session and in the address (``?dossier=``), so that a reload
or a switch between the two pages keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ocrxtract.errors import OcrxtractError
from ocrxtract.workbench.drafts import open_folder

FOLDER = "ocrx.folder"
QUERY = "dossier"


def choose_folder(tr: Callable[..., str], key: str, placeholder: str | None = None) -> Path | None:
    """The folder the user typed, opened (created when missing); ``None`` until there is one."""
    typed = st.text_input(
        tr("docs.folder"),
        value=st.session_state.get(FOLDER) or st.query_params.get(QUERY, ""),
        key=key,
        help=tr("docs.folder.help"),
        placeholder=placeholder,
    )
    if not typed.strip():
        st.info(tr("docs.no_folder"))
        return None
    try:
        folder = open_folder(typed)
    except OcrxtractError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    st.session_state[FOLDER] = str(folder)
    st.query_params[QUERY] = str(folder)
    return folder
