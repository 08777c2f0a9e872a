"""Plain-text news: first line the title, a blank line, paragraphs separated by blank lines."""

from __future__ import annotations

from generator.reading.readers.parsed import Parsed


def parse_text(text: str) -> Parsed:
    """Lines inside a paragraph are joined with a space, so hard-wrapped wire copy reflows."""
    lines = text.split("\n")
    paragraphs: list[str] = []
    current: list[str] = []
    title = ""
    title_line = body_line = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not title:
            if line:
                title, title_line = line, number
            continue
        if line:
            if not current and not paragraphs:
                body_line = number
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return Parsed(title=title, title_line=title_line, body="\n\n".join(paragraphs), body_line=body_line)
