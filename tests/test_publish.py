"""Publishing safely: kills, concurrent builds, readers during a swap, full and read-only disks, and mistakes.

Everything here is real: `python -m generator build` processes killed with SIGKILL, a tmpfs that fills up,
a read-only mount, a second process reading the site while it is rebuilt.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, write_archive

from generator.build import build
from generator.config import Config
from generator.publishing.write import MARKER

NO_SEARCH = "search = false\ncountries = false\n"  # small and quick; `countries` alone is 0.25 s a build


def arshif(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=120, env=env(), **kwargs)  # type: ignore[call-overload]


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "generator", *map(str, args)]


def env(**extra: str) -> dict[str, str]:
    """This checkout's code, whatever is installed."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def tree_hash(root: Path) -> str:
    """One hash for every path, file content and link target under `root`."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def leftovers(output: Path) -> list[str]:
    """What a build left beside `output` apart from its lock file and the spare (the site before, kept on purpose)."""
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}")
                  and p.name not in (f".{output.name}.lock", f".{output.name}-spare"))  # fmt: skip


def counts(site: Path) -> dict[str, int]:
    """The counts the site's marker records ({} when it records none)."""
    last = (site / MARKER).read_text("utf-8").splitlines()[-1]
    return json.loads(last) if last.startswith("{") else {}


def archive(root: Path, n: int, seed: int = 1) -> Path:
    """`n` small plain-text articles over a dozen folders, each with a dateline."""
    rng = random.Random(seed)
    words = "الرئيس الوزير الحكومة الاقتصاد النفط السوق المدينة البرلمان الاتفاق الشركة economy market oil".split()
    files = {}
    for i in range(n):
        body = " ".join(rng.choice(words) for _ in range(40))
        day = 1 + i % 28
        files[f"d{i % 12}/a{i}.txt"] = f"عنوان المقال {i}\n\n(وكالة الأنباء - {day} كانون الثاني 2022) {body}\n"
    return write_archive(root, files)


def small_build(content: Path, output: Path) -> None:
    build(Config(content=content, output=output, search=False, countries=False), today=TODAY)


def one_line_error(result: subprocess.CompletedProcess[str], output: Path, reason: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("arshif: "), result.stderr
    assert str(output) in lines[0] and reason in lines[0], lines[0]


def group_alive(pgid: int) -> list[str]:
    """The processes of process group `pgid` still running (zombies are dead already: they hold nothing)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(f"{entry} {name} {fields[0]}")
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the build's processes")
def test_killed_builds_leave_the_site_whole_and_nothing_running_or_lying_around(tmp_path: Path) -> None:
    content, out, scratch = archive(tmp_path / "content", 600), tmp_path / "site", tmp_path / "tmp"
    scratch.mkdir()
    quick, plain = tmp_path / "quick.toml", tmp_path / "plain.toml"
    quick.write_text(NO_SEARCH)
    plain.write_text("countries = false\n")  # search on: Pagefind and the forked index passes run too
    started = time.monotonic()
    first = arshif("build", "--config", plain, "--content", content, "--out", out)
    took = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    published = tree_hash(out)
    rng = random.Random(8)
    kills = published_by_a_killed_build = 0
    found: list[list[str]] = []
    for i in range(8):
        # Each killed build adds an article of its own, so a kill that came after its swap is told apart.
        (content / f"extra-{i - 1}.txt").unlink(missing_ok=True)
        write_archive(content, {f"extra-{i}.txt": f"Extra {i}\n\nbody\n"})
        build_ = subprocess.Popen(
            command("build", "--config", plain, "--content", content, "--out", out),
            start_new_session=True,  # its own process group, holding every process it starts
            env=env(TMPDIR=str(scratch)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 0.9 * took))  # reading, writing (two forked workers) or Pagefind
        os.kill(build_.pid, signal.SIGKILL)
        build_.wait()
        kills += 1
        deadline = time.monotonic() + 10
        while group_alive(build_.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = group_alive(build_.pid)
        if survivors:
            os.killpg(build_.pid, signal.SIGKILL)  # not to leave them running on a shared machine
        assert survivors == [], f"kill {i}: processes of the killed build still run"
        if tree_hash(out) != published:  # only ever the killed build's site, whole
            assert (out / "articles" / f"extra-{i}" / "index.html").is_file()
            assert counts(out).get("articles") == 601 and (out / "pagefind" / "pagefind-entry.json").is_file()
            published, published_by_a_killed_build = tree_hash(out), published_by_a_killed_build + 1
        found.append(leftovers(out))
    after = arshif("build", "--config", quick, "--content", content, "--out", out)
    assert after.returncode == 0, after.stderr
    assert leftovers(out) == [] and list(scratch.iterdir()) == []  # nothing in the system's temp folder either
    if found[-1]:
        assert f"removed {len(found[-1])} folder" in after.stderr
    print(f"{kills} kills (build takes {took:.1f} s), {published_by_a_killed_build} after their swap; "
          f"left beside the site after each: {[len(f) for f in found]}")  # fmt: skip


READER = """
import os, sys
path, stop = sys.argv[1], sys.argv[2]
os.nice(10)  # all of an idle core, little of a busy machine's (the builds it watches need theirs)
hits = misses = 0
print("ready", flush=True)
while not os.path.exists(stop):
    for _ in range(1000):
        try:
            os.close(os.open(path, os.O_RDONLY))
            hits += 1
        except FileNotFoundError:
            misses += 1
print(hits, misses)
"""


def test_the_site_is_never_missing_while_it_is_rebuilt(tmp_path: Path) -> None:
    # The reader is a process of its own: a thread of this one would share the GIL with the swap and could
    # only look between two of its Python lines, never inside the swap itself.
    content, out = archive(tmp_path / "content", 5), tmp_path / "site"
    small_build(content, out)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out / "index.html"), str(stop)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        for i in range(25):
            write_archive(content, {f"new-{i}.txt": f"New {i}\n\nbody\n"})
            small_build(content, out)
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=30)
    hits, misses = map(int, output.split())
    assert hits > 0 and misses == 0, f"{misses} of {hits + misses} looks found no site/index.html"
    assert len(list((out / "articles").iterdir())) == 30 and leftovers(out) == []


def test_overlapping_builds_wait_for_each_other(tmp_path: Path) -> None:
    content, out = archive(tmp_path / "content", 5), tmp_path / "site"
    small_build(content, out)
    config = tmp_path / "arshif.toml"
    config.write_text(NO_SEARCH)
    holder = os.open(tmp_path / ".site.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a build in progress, as far as the others can tell
    logs = [tmp_path / "one.err", tmp_path / "two.err"]
    run = command("build", "--config", config, "--content", content, "--out", out)
    builds = [subprocess.Popen(run, env=env(), stderr=log.open("w"), stdout=subprocess.DEVNULL) for log in logs]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(b.poll() is None for b in builds):
            if all("waiting" in log.read_text() for log in logs):
                break
            time.sleep(0.05)
        assert [b.poll() for b in builds] == [None, None], "a build went ahead while the output was locked"
        write_archive(content, {"late.txt": "Late\n\nbody\n"})
    finally:
        os.close(holder)  # they now contend for it with each other
        for b in builds:
            b.wait(timeout=60)
    assert [b.returncode for b in builds] == [0, 0], [log.read_text() for log in logs]
    assert all(log.read_text().count("waiting") == 1 for log in logs)
    assert (out / "articles" / "late" / "index.html").is_file() and leftovers(out) == []


def test_a_symlinked_output_stays_a_symlink(tmp_path: Path) -> None:
    content = archive(tmp_path / "content", 3)
    release = tmp_path / "releases" / "r1"
    small_build(content, release)
    out = tmp_path / "site"
    out.symlink_to(Path("releases") / "r1")
    for i in range(2):
        write_archive(content, {f"new-{i}.txt": f"New {i}\n\nbody\n"})
        small_build(content, out)
        assert out.is_symlink() and os.readlink(out) == str(Path("releases") / "r1")
        assert (release / "articles" / f"new-{i}" / "index.html").is_file()
    assert leftovers(release) == [] and leftovers(out) == []
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == [".arshif-cache", ".r1-spare", ".r1.lock", "r1"]


@pytest.mark.parametrize("case", ["missing", "empty", "shrinking"])
def test_a_build_that_would_lose_the_site_is_refused(tmp_path: Path, case: str) -> None:
    content, out = archive(tmp_path / "content", 30), tmp_path / "site"
    small_build(content, out)
    before, published = tree_hash(out), counts(out)
    config = tmp_path / "arshif.toml"
    config.write_text(NO_SEARCH)
    if case == "missing":
        content = tmp_path / "no-such-folder"
    elif case == "empty":
        content = tmp_path / "empty"
        content.mkdir()
    else:
        content = archive(tmp_path / "fewer", 3)
    refused = arshif("build", "--config", config, "--content", content, "--out", out)
    assert tree_hash(out) == before and leftovers(out) == []
    if case == "missing":
        one_line_error(refused, content, "content folder does not exist")
        one_line_error(arshif("build", "--content", content, "--out", out, "--force"), content, "does not exist")
        assert tree_hash(out) == before
        return
    if case == "empty":
        one_line_error(refused, out, f"0 articles, the published site {published.get('articles')}")
    else:
        found = re.search(r"(\d+) pages, under half the published site's (\d+)", refused.stderr)
        one_line_error(refused, out, "under half")
        assert found and 2 * int(found[1]) < int(found[2]) == published.get("pages")
    forced = arshif("build", "--config", config, "--content", content, "--out", out,
                    "--force" if case == "empty" else "--allow-empty")  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    assert counts(out)["articles"] == (0 if case == "empty" else 3) and leftovers(out) == []
    if case == "empty":  # a marker without counts (an older arshif's) says nothing of the last build: no guard
        small_build(archive(tmp_path / "content", 30), out)
        (out / MARKER).write_text("This folder is written by arshif build and replaced whole by the next build.\n")
        small_build(content, out)
        assert not (out / "articles").exists()


def test_an_output_inside_the_content_folder_is_refused(tmp_path: Path) -> None:
    content = archive(tmp_path / "content", 3)
    refused = arshif("build", "--content", content, "--out", content / "site")
    one_line_error(refused, content / "site", "inside")
    assert not (content / "site").exists() and leftovers(content / "site") == []


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the filesystem of `disk` until only about `leave` bytes are free."""
    with (disk / "filler").open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    os.truncate(disk / "filler", max(0, (disk / "filler").stat().st_size - max(0, leave - free)))


@pytest.mark.parametrize("how", ["tmpfs", "rlimit"])
def test_a_full_disk_is_one_clear_error_and_the_site_survives(tmp_path: Path, how: str) -> None:
    content = archive(tmp_path / "content", 5)
    config = tmp_path / "arshif.toml"
    config.write_text(NO_SEARCH)
    with contextlib.ExitStack() as stack:
        if how == "tmpfs":  # a really full disk: ENOSPC
            out = stack.enter_context(tmpfs(tmp_path / "disk", "4m")) / "site"
            small_build(content, out)
            fill(out.parent, 32 * 1024)
            limit, reason = None, os.strerror(errno.ENOSPC)
        else:  # files may grow only so far in the build's process: EFBIG, as a quota would
            out = tmp_path / "site"
            small_build(content, out)
            limit, reason = 2000, os.strerror(errno.EFBIG)
        before = tree_hash(out)

        def limited() -> None:
            if limit is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        # Unchanged files are links to the published ones and cost no space: the new article must not fit.
        write_archive(content, {"new.txt": "New\n\n" + "body " * 40_000 + "\n"})
        result = arshif("build", "--config", config, "--content", content, "--out", out, preexec_fn=limited)
        one_line_error(result, out, reason)
        assert tree_hash(out) == before and leftovers(out) == []


def test_a_read_only_output_is_one_clear_error_and_the_site_survives(tmp_path: Path) -> None:
    content = archive(tmp_path / "content", 5)
    config = tmp_path / "arshif.toml"
    config.write_text(NO_SEARCH)
    with contextlib.ExitStack() as stack:
        if os.geteuid() != 0:  # permission bits stop everyone but root
            out = tmp_path / "pub" / "site"
            small_build(content, out)
            os.chmod(out.parent, 0o555)
            stack.callback(os.chmod, out.parent, 0o755)
            reason = os.strerror(errno.EACCES)
        else:
            out = read_only_for_root(tmp_path / "pub", content, stack)
            reason = os.strerror(errno.EROFS if os.path.ismount(out.parent) else errno.EPERM)
        before = tree_hash(out)
        write_archive(content, {"new.txt": "New\n\nbody\n"})
        result = arshif("build", "--config", config, "--content", content, "--out", out)
        one_line_error(result, out, reason)
        assert tree_hash(out) == before and leftovers(out) == []


def read_only_for_root(where: Path, content: Path, stack: contextlib.ExitStack) -> Path:
    """A site in a folder root cannot write to: a read-only mount, else an immutable folder, else a skip."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode == 0:
        stack.callback(subprocess.run, ["umount", "-l", str(where)], check=True)
        small_build(content, where / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        return where / "site"
    small_build(content, where / "site")
    if subprocess.run(["chattr", "+i", str(where)], capture_output=True).returncode != 0:
        pytest.skip("running as root with neither mount nor chattr +i: nothing here stops root writing")
    stack.callback(subprocess.run, ["chattr", "-i", str(where)], check=True)
    return where / "site"
