"""Publish the site safely: one build at a time, written beside the output, swapped in atomically.

A build holds a lock beside the output (`.<name>.lock`) from start to end, so a second build waits for the
first instead of racing it; holding it, it removes what killed builds left beside the output (their staging,
old and index folders), which no living build can own. The new site is written into `.<name>-build-*` and
exchanged with the published one in one rename (Linux renameat2 RENAME_EXCHANGE), so `site/` is never
missing, not even for a moment; a symlinked output keeps its link and the folder it points to is replaced.
Any failure before the swap (disk full, a read-only folder, a template error, a kill) leaves the published
site as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock, so builds are not serialised there
    fcntl = None  # type: ignore[assignment]

MARKER = ".arshif-site"  # written into every build; we only ever replace a folder that carries it
MARKER_TEXT = "This folder is written by arshif build and replaced whole by the next build.\n"
SCRATCH = ("build", "old", "index")  # the folders a build keeps beside the output while it runs
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class PublishError(Exception):
    """The site cannot be published as asked; the published site was left as it was."""


@dataclass(frozen=True)
class Counts:
    """What a build published, recorded in its marker so that the next build can compare itself with it."""

    articles: int
    pages: int
    site: str = ""  # a digest of the pages' bytes: the build state is trusted only for the site it describes


class Staging:
    """A build folder being filled; becomes the published site when its `publication.staging` block ends.

    A file whose bytes are those of the published site's file at the same path is a hard link to that file, not
    a new copy: after the swap it keeps its inode and its time, so rsync and a static host's deploy see only
    what changed (output is deterministic, so a rebuild of the same content changes nothing).
    """

    def __init__(self, root: Path, published: Path | None = None, base: Counts | None = None) -> None:
        self.root = root
        self.published = published
        self.counts: Counts | None = None  # set by the build before the block ends; the marker records them
        self.base = base  # what the folder holds when it starts as the site before the published one (the spare)

    def sync(self, changed: Iterable[str]) -> None:
        """Make the files at the `changed` paths what the published site has there: links to its files, or gone."""
        assert self.published is not None
        for relative in sorted(set(changed)):
            source, target = self.published / relative, self.root / relative
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_over(source, target)
            elif target.is_file() or target.is_symlink():
                target.unlink()
                _prune(target.parent, self.root)

    def sync_tree(self, relative: str) -> None:
        """`sync` for every file under `relative`: only files that are not the published ones are touched."""
        assert self.published is not None
        self.sync(f"{relative}/{path}" for path in differing(self.root / relative, self.published / relative))

    def clone(self, skip: Container[str] = ()) -> int:
        """Fill the folder with hard links to every file of the published site but the marker and the top-level
        folders in `skip`; return how many. The build then replaces what changed (never writing through a link)."""
        return self.link_tree("", skip=(MARKER, *skip))

    def link_tree(self, relative: str, skip: Container[str] = ()) -> int:
        """Hard-link the published files under `relative` (but the top-level names in `skip`) into the folder."""
        if self.published is None:
            return 0
        count = 0
        source = os.path.join(self.published, relative)
        for folder, dirs, files in os.walk(source):
            under = os.path.relpath(folder, source)
            target = os.path.normpath(os.path.join(self.root, relative, under))
            if under == ".":
                dirs[:] = [d for d in dirs if d not in skip]
                files = [f for f in files if f not in skip]
                os.makedirs(target, exist_ok=True)
            else:  # the walk goes down from the top: the parent was made just before (mkdir: a call, not three)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(target)
            for name in files:
                os.link(os.path.join(folder, name), os.path.join(target, name), follow_symlinks=False)
                count += 1
        return count

    def write(self, relative: str, content: str | bytes) -> int:
        """Write one file; return its size in bytes."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        # A path written twice may be a link to the published file by now: writing through it would change the
        # published site, so the name is dropped first and the new bytes get an inode of their own.
        target.unlink(missing_ok=True)
        if not self._link_same(relative, target, data):
            target.write_bytes(data)
        return len(data)

    def copy_tree(self, source: Path, relative: str) -> int:
        """Copy a folder in; return how many files it held."""
        if not source.is_dir():
            return 0
        count = 0
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())
                count += 1
        return count

    def keep_unchanged(self, relative: str) -> int:
        """Files another program wrote under `relative` (Pagefind's bundle) that are the published ones, byte for
        byte, become links to them; return how many did."""
        if self.published is None:
            return 0
        # Files linked already (reused search shards: most of them) are told by the inode their folder entries
        # give for free, so only the files written anew are read.
        published = dict(files_under(self.published / relative))
        kept = 0
        for inside, entry in sorted(files_under(self.root / relative)):
            if entry.is_symlink():
                continue
            old = published.get(inside)
            if old is not None and old.inode() == entry.inode():
                continue  # renaming a link over itself does nothing
            path = Path(entry.path)
            spare = path.with_name(path.name + ".same")
            if self._link_same(f"{relative}/{inside}", spare, path.read_bytes()):
                os.replace(spare, path)
                kept += 1
        return kept

    def _link_same(self, relative: str, target: Path, data: bytes) -> bool:
        """Hard-link `target` to the published file at `relative` when that holds exactly `data`."""
        if self.published is None:
            return False
        old = self.published / relative
        try:
            if old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, target)
        except OSError:  # no such file, a folder there, or links not possible here: write a copy
            return False
        return True


def _link_over(source: Path, target: Path) -> None:
    """Make `target` a hard link to `source` in one rename (whatever was at `target` is replaced whole)."""
    spare = target.with_name(f".{target.name}.{secrets.token_hex(4)}.link")
    os.link(source, spare)
    os.replace(spare, target)


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def differing(a: Path, b: Path, skip: Container[str] = ()) -> list[str]:
    """The files that are not the same file (hard link) in the two trees, but under the top-level names in `skip`."""
    ours, theirs = _inodes(a, skip), _inodes(b, skip)
    return sorted(path for path in ours.keys() | theirs.keys() if ours.get(path) != theirs.get(path))


def _inodes(folder: Path, skip: Container[str] = ()) -> dict[str, int]:
    return {relative: entry.inode() for relative, entry in files_under(folder, skip)}


def files_under(folder: Path | str, skip: Container[str] = ()) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under `folder` (symlinks included, not followed) as its path relative to it, with /, and its
    folder entry (whose inode needs no stat); the top-level names in `skip` are left out."""
    stack = [(os.fspath(folder), "")]
    while stack:
        path, under = stack.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if not under and entry.name in skip:
                continue
            relative = f"{under}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, relative + "/"))
            else:
                yield relative, entry


def check_content(content: Path) -> None:
    """A missing content folder is a mistake (a typo in --content), not an archive with nothing in it."""
    if not content.exists():
        raise PublishError(f"{content}: content folder does not exist; nothing was built")
    if not content.is_dir():
        raise PublishError(f"{content}: the content folder is not a folder; nothing was built")


def check_output(output: Path, protected: Iterable[Path]) -> None:
    """Refuse outputs that would replace something that is not a site we built, or be read back as content."""
    resolved = output.resolve()
    for path in protected:
        p = path.resolve()
        if resolved == p or resolved in p.parents:
            raise PublishError(f"{output}: the output folder would replace {path}; choose another --out")
        if p in resolved.parents:
            raise PublishError(f"{output}: the output folder is inside {path} (it would be read back into the next "
                               "build); choose another --out")  # fmt: skip
    if resolved == Path(resolved.anchor) or resolved == Path.home():
        raise PublishError(f"{output}: refusing to use this folder as the output")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise PublishError(f"{output}: exists and was not made by arshif; remove it or choose another --out")


def check_counts(output: Path, previous: Counts | None, new: Counts) -> None:
    """Refuse a build that would publish far less than the last one: almost always a wrong --content."""
    if previous is None:
        return
    force = "nothing was changed (--force publishes it anyway)"
    if new.articles == 0 and previous.articles > 0:
        raise PublishError(f"{output}: the new build has 0 articles, the published site {previous.articles}; {force}")
    if new.pages * 2 < previous.pages:
        raise PublishError(
            f"{output}: the new build has {new.pages} pages, under half the published site's {previous.pages}; {force}"
        )


@dataclass(frozen=True)
class Output:
    """The output as named (`shown`, for messages) and where it really is (`path`: symlinks resolved)."""

    shown: Path
    path: Path

    @property
    def lock(self) -> Path:
        return self.path.with_name(f".{self.path.name}.lock")

    @property
    def spare(self) -> Path:
        """The site published before the current one, kept so that the next build starts from it."""
        return self.path.with_name(f".{self.path.name}-spare")

    def scratch(self, kind: str) -> str:
        """The name prefix of a scratch folder beside the output (a random suffix follows)."""
        return f".{self.path.name}-{kind}-"

    def is_scratch(self, name: str) -> bool:
        # The suffix has no '-' (mkdtemp's alphabet, token_hex), so the scratch of an output named `site-build`
        # (`.site-build-build-x`) is never taken for that of `site`.
        kinds = "|".join(SCRATCH)
        return re.fullmatch(rf"\.{re.escape(self.path.name)}-({kinds})-[a-z0-9_]+", name) is not None

    def counts(self, folder: Path | None = None) -> Counts | None:
        """The counts the published site's (or `folder`'s) marker records; None when unknown."""
        try:
            lines = ((folder or self.path) / MARKER).read_text("utf-8").splitlines()
            data = json.loads(next(line for line in reversed(lines) if line.startswith("{")))
            return Counts(int(data["articles"]), int(data["pages"]), str(data.get("site", "")))
        except (OSError, StopIteration, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class Publication:
    """A build's hold on its output: the lock is held, leftovers are gone, the last build's counts are known."""

    output: Output
    previous: Counts | None
    removed: tuple[Path, ...]  # leftovers of killed builds, removed on the way in

    @property
    def scratch_dir(self) -> Path:
        return self.output.path.parent

    @contextmanager
    def staging(self, from_spare: bool = False) -> Iterator[Staging]:
        """Yield a Staging beside the output; on success swap it in, on any error remove it (output untouched).

        The site it replaces is kept as the spare. With `from_spare`, the folder starts as the spare (its
        `base` then says which site that is), which an update brings up to date far faster than it could link
        every file again; the spare is taken under a scratch name, so a build killed meanwhile leaves nothing
        the next one could mistake for it.
        """
        shown = self.output.shown
        unchanged = "the published site is unchanged"
        try:
            root = Path(tempfile.mkdtemp(prefix=self.output.scratch("build"), dir=self.scratch_dir))
        except OSError as e:
            raise PublishError(f"{shown}: cannot write beside it: {reason(e)}; {unchanged}") from e
        try:
            published = self.output.path if (self.output.path / MARKER).is_file() else None
            spare = self.output.spare
            base = self.output.counts(spare) if from_spare and spare.is_dir() and not spare.is_symlink() else None
            if base is not None:
                os.replace(spare, root)  # onto the empty folder just made
            stage = Staging(root, published, base)
            yield stage
            counts = stage.counts
            if counts is None:
                raise RuntimeError("a build must say what it publishes (Staging.counts) before it is published")
            body = {"articles": counts.articles, "pages": counts.pages} | ({"site": counts.site} if counts.site else {})
            stage.write(MARKER, MARKER_TEXT + json.dumps(body) + "\n")
            swap(root, self.output, keep=True)
        except OSError as e:
            shutil.rmtree(root, ignore_errors=True)
            raise PublishError(f"{shown}: cannot write the new site: {reason(e)}; {unchanged}") from e
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    def make_spare(self) -> bool:
        """When no spare lies beside the output (a first build leaves none), make one of links to the published
        files, so that the next build, an update, starts from it instead of linking every file itself (~1 s at
        20,000 articles either way); False when there is one already or it cannot be made."""
        if os.path.lexists(self.output.spare) or not (self.output.path / MARKER).is_file():
            return False
        try:  # made under a scratch name: a build killed meanwhile leaves what the next one removes
            root = Path(tempfile.mkdtemp(prefix=self.output.scratch("old"), dir=self.scratch_dir))
        except OSError:
            return False
        try:
            Staging(root, self.output.path).link_tree("")
            os.rename(root, self.output.spare)
        except OSError:
            shutil.rmtree(root, ignore_errors=True)
            return False
        return True


def reason(error: OSError) -> str:
    return error.strerror or str(error)


@contextmanager
def publishing(output: Path, waiting: Callable[[str], None]) -> Iterator[Publication]:
    """Hold the output's lock for the whole block (`waiting` is told once if another build holds it)."""
    where = Output(output, output.resolve())
    try:
        where.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(where.lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise PublishError(f"{output}: cannot lock it ({where.lock}): {reason(e)}; nothing was changed") from e
    try:
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    waiting(f"{output}: another build is publishing it; waiting for it to finish")
                    fcntl.flock(fd, fcntl.LOCK_EX)
            # A living build holds the lock while its scratch folders exist: holding it, any we see are the dead's.
            removed = tuple(remove_leftovers(where))
        except OSError as e:
            raise PublishError(f"{output}: cannot lock it or clear what killed builds left: {reason(e)}") from e
        yield Publication(where, where.counts(), removed)
    finally:
        os.close(fd)  # releases the lock (forked workers that shared it are gone by now)


def remove_leftovers(output: Output) -> Iterator[Path]:
    """Remove the scratch folders of killed builds beside `output`; yield each one removed."""
    for path in output.path.parent.iterdir():
        if output.is_scratch(path.name):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            yield path


def swap(new: Path, output: Output, keep: bool = False) -> None:
    """Put `new` where the output is; there is never a moment without a site. The old tree is deleted, or with
    `keep` becomes the spare (see `Publication.staging`)."""
    os.chmod(new, 0o755)  # mkdtemp makes it 0700; a published site must be readable by the web server
    target = output.path
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if exchange(new, target):
        old = new  # it holds the old site now
    else:  # no atomic exchange here: the old site is renamed aside first, leaving a moment without one
        old = target.with_name(output.scratch("old") + secrets.token_hex(4))
        os.rename(target, old)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(old, target)
            raise
    if keep and (old / MARKER).is_file():
        _discard(output.spare, output)
        os.rename(old, output.spare)
    else:
        shutil.rmtree(old, ignore_errors=True)


def _discard(folder: Path, output: Output) -> None:
    """Delete `folder` (a spare nobody will start from), renamed to a scratch name first so that a kill meanwhile
    leaves what the next build removes."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.is_dir():
        doomed = folder.with_name(output.scratch("old") + secrets.token_hex(4))
        os.rename(folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a libc older than glibc 2.28, or none to be found
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # a kernel or filesystem without it
        return False
    raise OSError(code, os.strerror(code), str(b))
