"""Publish the site atomically: write everything into a fresh folder beside the output, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".arshif-site"  # written into every build; we only ever replace a folder that carries it


class PublishError(Exception):
    """The output folder cannot be (re)placed; nothing was changed."""


class Staging:
    """A build folder being filled; becomes the published site on `commit`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, content: str | bytes) -> int:
        """Write one file; return its size in bytes."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
        return len(data)

    def copy_tree(self, source: Path, relative: str) -> int:
        """Copy a folder in; return how many files it held."""
        if not source.is_dir():
            return 0
        shutil.copytree(source, self.root / relative, dirs_exist_ok=True)
        return sum(1 for p in source.rglob("*") if p.is_file())


def check_output(output: Path, protected: Iterable[Path]) -> None:
    """Refuse outputs that would replace something that is not a site we built."""
    resolved = output.resolve()
    for path in protected:
        p = path.resolve()
        if resolved == p or resolved in p.parents:
            raise PublishError(f"{output}: the output folder would replace {path}; choose another --out")
    if resolved == Path(resolved.anchor) or resolved == Path.home():
        raise PublishError(f"{output}: refusing to use this folder as the output")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise PublishError(f"{output}: exists and was not made by arshif; remove it or choose another --out")


@contextmanager
def staging(output: Path) -> Iterator[Staging]:
    """Yield a Staging beside `output`; on success swap it in, on any error remove it (output untouched)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    try:
        stage = Staging(root)
        stage.write(MARKER, "This folder is written by arshif build and replaced whole by the next build.\n")
        yield stage
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    swap(root, output)


def swap(new: Path, output: Path) -> None:
    """Put `new` where `output` is; the old tree is renamed aside first, then deleted."""
    os.chmod(new, 0o755)  # mkdtemp makes it 0700; a published site must be readable by the web server
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(output, old)
    os.rename(new, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
