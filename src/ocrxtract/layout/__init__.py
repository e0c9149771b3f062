"""Layout: the geometry of a page's text (reading order today; regions and columns to come)."""
