"""Layout: the geometry of a page's text.

* :mod:`.reading_order`: the order a person reads a page's lines in, from geometry alone
  (de-skew, XY-cut columns with a table guard, rows);
* :mod:`.order`: :func:`order_page`, that order applied to a page once by the pipeline;
* :mod:`.running`: :func:`find_running`, running headers, footers and page numbers;
* :mod:`.furniture`: :func:`mark_furniture`, those lines moved into blocks of their role, over
  a whole document (the pipeline applies it once every page is read).

Layout analysis (regions, roles, running headers) grows here.
"""

from ocrxtract.layout.furniture import FURNITURE_STEP, mark_furniture
from ocrxtract.layout.order import READING_ORDER_STEP, order_page
from ocrxtract.layout.reading_order import lines_to_text, order_lines, order_regions
from ocrxtract.layout.running import find_running, is_page_number

__all__ = [
    "FURNITURE_STEP",
    "READING_ORDER_STEP",
    "find_running",
    "is_page_number",
    "lines_to_text",
    "mark_furniture",
    "order_lines",
    "order_page",
    "order_regions",
]
