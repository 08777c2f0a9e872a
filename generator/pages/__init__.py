"""Pages: every page of the site as data, and its drawing into HTML."""
