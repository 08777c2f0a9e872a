"""The `arshif` command as a user runs it: a real process, real files, exit codes and output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, write_archive


def arshif(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def arshif_json(*args: str | Path) -> Any:
    """What an `arshif ... --format json` command printed, once it has exited 0."""
    result = arshif(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_archive(tmp_path / "content", {"a.txt": "عنوان\n\nنص المقال.\n", "b.md": "# Title\n\nBody.\n"})


@pytest.mark.parametrize("command", ["build", "list", "check"])
def test_every_command_has_help(command: str) -> None:
    result = arshif(command, "--help")
    assert result.returncode == 0 and "--content" in result.stdout


def test_no_command_is_a_usage_error() -> None:
    assert arshif().returncode == 2


def test_build_prints_a_summary_and_no_progress_when_piped(clean: Path, tmp_path: Path) -> None:
    result = arshif("build", "--content", clean, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("2 articles, ") and "\r" not in result.stderr
    assert (tmp_path / "out" / "articles" / "a" / "index.html").is_file()


def test_quiet_build_prints_nothing(clean: Path, tmp_path: Path) -> None:
    result = arshif("build", "--quiet", "--content", clean, "--out", tmp_path / "out")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_problems_fail_only_under_strict(tmp_path: Path) -> None:
    content = FIXTURES / "archive"
    loose = arshif("build", "--content", content, "--out", tmp_path / "a")
    strict = arshif("build", "--strict", "--content", content, "--out", tmp_path / "b")
    assert (loose.returncode, strict.returncode) == (0, 1)
    assert "ar-levant.txt: id 'ar-levant' is already used" in strict.stderr


def test_check_reports_and_writes_nothing(tmp_path: Path, clean: Path) -> None:
    bad = write_archive(tmp_path / "bad", {"empty.txt": ""})
    result = arshif("check", "--content", bad, cwd=tmp_path)
    assert result.returncode == 1
    assert "empty.txt: file is empty" in result.stderr
    assert arshif("check", "--content", clean, cwd=tmp_path).returncode == 0
    assert not (tmp_path / "site").exists()


def test_list_formats_agree(clean: Path) -> None:
    rows = json.loads(arshif("list", "--format", "json", "--content", clean).stdout)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["lang"] == "ar" and rows[0]["dir"] == "rtl" and rows[0]["date_source"] == "none"
    table = list(csv.DictReader(io.StringIO(arshif("list", "--format", "csv", "--content", clean).stdout)))
    assert [r["title"] for r in table] == ["عنوان", "Title"]
    lines = arshif("list", "--content", clean).stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "path", "title"] and len(lines) == 3


def test_config_errors_name_the_key_and_exit_2(tmp_path: Path, clean: Path) -> None:
    config = tmp_path / "arshif.toml"
    config.write_text('title = "x"\nper_pgae = 10\n')
    result = arshif("build", "--config", config, "--content", clean)
    assert result.returncode == 2 and "unknown key 'per_pgae'" in result.stderr
    config.write_text("per_page = 'ten'\n")
    result = arshif("build", "--config", config, "--content", clean)
    assert result.returncode == 2 and "'per_page' must be int" in result.stderr
    assert arshif("build", "--config", tmp_path / "nope.toml").returncode == 2


def test_config_file_paths_are_relative_to_it(tmp_path: Path, clean: Path) -> None:
    (tmp_path / "arshif.toml").write_text('content = "content"\noutput = "public"\nbase_url = "/sub/"\n')
    result = arshif("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'href="/sub/articles/a/"' in (tmp_path / "public" / "index.html").read_text()
