"""The preview: a local server that rebuilds on every change and reloads the page."""
