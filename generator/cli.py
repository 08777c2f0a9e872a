"""The `arshif` command: argument parsing, exit codes, progress and summary output."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import signal
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from generator import __version__
from generator.config import CONFIG_FILE, Config, ConfigError, load_config
from generator.diagnostics import Problem, display_path, save_details
from generator.executor import ExecutorError
from generator.model import Article
from generator.parallel import few_collections
from generator.publishing import state
from generator.publishing.write import PublishError

# The pipeline's modules are imported where a command needs them: their libraries take most of a second to
# load, and a build with nothing changed answers in less.

OK, PROBLEMS, USAGE = 0, 1, 2
LIST_COLUMNS = (
    "id", "path", "title", "date", "date_source", "outlet", "agency", "dateline", "lang", "dir", "words", "actors",
)  # fmt: skip


class ProgressBar:
    """A one-line counter on a terminal; silent when stderr is a pipe or a file (CI logs stay clean)."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        shown = f"{done}/{total}" if total else str(done)
        self.stream.write(f"\r\x1b[K{stage} {shown}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return USAGE
    try:
        given = {
            "content": args.content,
            "output": getattr(args, "out", None),
            "scheduler": getattr(args, "scheduler", None),
        }
        config = load_config(args.config, given)
    except ConfigError as e:
        print(f"arshif: {e}", file=sys.stderr)
        return USAGE
    return int(args.run(args, config))


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arshif", description="Build a static, searchable archive site from a folder of news articles."
    )
    parser.add_argument("--version", action="version", version=f"arshif {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, run: Any, parent: Any = None) -> argparse.ArgumentParser:
        p = (parent or sub).add_parser(name, help=help, description=help)
        p.add_argument("--content", type=Path, metavar="DIR", help="the archive to read (default: content/)")
        p.add_argument("--config", type=Path, metavar="FILE", help="site config (default: ./arshif.toml if present)")
        p.set_defaults(run=run)
        return p

    p = command("build", "build the site into the output folder (atomically)", run_build)
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: site/)")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are problems")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress and no summary; problems still print")
    p.add_argument(
        "--force",
        "--allow-empty",
        action="store_true",
        help="publish even an archive with no articles, or under half the pages of the last build",
    )
    p.add_argument("--clean", action="store_true", help="build from nothing, even when nothing changed")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read and draw on a Dask cluster (tcp://host:8786; needs arshif[dask] and a filesystem its workers share)",
    )

    p = command("list", "one row per article: what the parser understood", run_list)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--explain", metavar="ID", help="for one article: which text made each actor, what was refused")

    p = command("check", "read everything, print every problem, write nothing; exit 1 if any", run_check)
    p.add_argument(
        "--site", nargs="?", const="", default=None, metavar="DIR",
        help="check a built site instead (default: the output folder): links, fragments, assets, one <h1>, "
        "lang/dir, titles, feeds, sitemap, orphan pages",
    )  # fmt: skip

    p = command(
        "serve", "preview: build, serve on http://127.0.0.1:8000/, rebuild and reload on every change", run_serve
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the site in a web browser")

    group = sub.add_parser("actors", help="the actors: list them, or suggest new ones", description="the actors")
    actors = group.add_subparsers(dest="actors_command", metavar="SUBCOMMAND", required=True)
    p = command("list", "one row per actor: id, kind, name and how many articles name it", run_actors_list, actors)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p = command("check", "the aliases most likely to misfire in this archive, for review", run_actors_check, actors)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N aliases (default: 20)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = command("suggest", "propose new actors and aliases, as TOML to paste into actors.toml", run_suggest, actors)
    p.add_argument("--min-count", type=int, default=2, metavar="N", help="in at least N articles (default: 2)")
    p.add_argument("--limit", type=int, default=30, metavar="N", help="at most N of each kind (default: 30)")
    p.add_argument("--format", choices=("toml", "json"), default="toml")
    return parser


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    log = save_details(problems)
    if log:
        print(f"arshif: internal errors are a bug; their details are in {log} (please attach it to a report)",
              file=sys.stderr)  # fmt: skip


def run_build(args: argparse.Namespace, config: Config) -> int:
    started, today = time.perf_counter(), dt.date.today()
    inputs = state.fingerprint(config, today) if config.content.is_dir() else None
    last = None if args.clean or inputs is None else state.unchanged(config, inputs.digest)
    if last is not None:
        for line in last.problems:
            print(line, file=sys.stderr)
        if not args.quiet:
            say(f"nothing changed since the last build: {last.articles} articles, {last.pages} pages, "
                f"{len(last.problems)} problems in {time.perf_counter() - started:.2f} s -> {config.output} "
                "(--clean builds it again)")  # fmt: skip
        return PROBLEMS if args.strict and last.problems else OK
    bar = ProgressBar(sys.stderr, not args.quiet)

    def note(line: str) -> None:  # said even under --quiet: it explains why the build seems to hang
        bar.clear()
        say(f"arshif: {line}")

    try:
        with few_collections():
            from generator.build import build

            result = build(config, bar, today, force=args.force, say=note, clean=args.clean,
                           stamped=inputs.content if inputs is not None else None)  # fmt: skip
    except (PublishError, ExecutorError) as e:
        bar.clear()
        print(f"arshif: {e}", file=sys.stderr)
        return USAGE
    bar.clear()
    if inputs is not None:
        mark = state.site_mark(config.output)
        shown = tuple(str(p) for p in sorted(result.problems))
        last_build = state.LastBuild(inputs.digest, mark, result.articles, result.pages, result.files, shown)
        state.save(config.output, last_build)
    print_problems(result.problems)
    if not args.quiet:
        if result.leftovers:
            folders = "folder" if result.leftovers == 1 else "folders"
            say(f"arshif: removed {result.leftovers} {folders} left beside {config.output} by interrupted builds")
        print(
            f"{result.articles} articles, {result.pages} pages, {len(result.problems)} problems "
            f"in {result.seconds:.2f} s -> {config.output}{relative_note(config)}",
            file=sys.stderr,
        )
    return PROBLEMS if args.strict and result.problems else OK


def relative_note(config: Config) -> str:
    """A warning on the summary line when feeds, the sitemap and canonical links cannot be absolute."""
    if config.site_url:
        return ""
    return (f"; warning: base_url {config.base_url!r} is relative, so the feeds, the sitemap and canonical links "
            "are too (set it to the site's address, https://...)")  # fmt: skip


def run_serve(args: argparse.Namespace, config: Config) -> int:
    """Build into a private folder, serve it, and rebuild on every change until Ctrl-C (site/ is not touched)."""
    from generator.preview.serve import Live, PortInUse, make_server
    from generator.preview.session import PreviewFolder, PreviewSession, sweep

    sweep()  # what previews killed with -9 left in the temporary folder; never a running one's
    live = Live()
    folder = PreviewFolder()
    root = folder.site
    try:
        server = make_server(root, args.host, args.port, config.base_path, live)
    except PortInUse as e:
        folder.remove()
        print(f"arshif: {e}", file=sys.stderr)
        return USAGE
    config_file = (args.config or Path(CONFIG_FILE)).resolve()

    def reload() -> Config:
        return replace(load_config(args.config, {"content": args.content}), output=root)

    session = PreviewSession(replace(config, output=root), reload, config_file, live, say, folder.log, folder.scratch)
    # `kill` stops it as cleanly as Ctrl-C does, and Ctrl-C stops it even when it was started with SIGINT
    # ignored (as a shell's `&` without job control does).
    term, interrupt = signal.signal(signal.SIGTERM, _interrupt), signal.signal(signal.SIGINT, _interrupt)
    stopping = False
    try:
        session.start()
        host, port = server.server_address[:2]
        url = f"http://{'[' + host + ']' if ':' in str(host) else host}:{port}{config.base_path}"
        say(f"serving a preview at {url} — built in {root}, watching {display_path(config.content)}, "
            f"{display_path(config.templates)} and {display_path(config_file)} (Ctrl-C to stop)")  # fmt: skip
        if args.open:
            import webbrowser  # here: a build has no use for it, and every build's start counts

            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        stopping = True
        say("stopped")
    finally:
        session.stop()
        server.server_close()
        folder.remove()
        if not stopping:
            # After a Ctrl-C the process is ending: signals stay ignored, or a second Ctrl-C that comes once the
            # cleaning up is done (it can take under 50 ms) would still end it by SIGINT.
            signal.signal(signal.SIGTERM, term)
            signal.signal(signal.SIGINT, interrupt)
    return OK


def _interrupt(signum: int, frame: object) -> None:
    # The first signal stops the preview. Cleaning up takes a moment (the indexer is killed, not waited for);
    # a second Ctrl-C meanwhile must not cut it short, leaving the folder behind and a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_check(args: argparse.Namespace, config: Config) -> int:
    if args.site is not None:
        return run_site_check(Path(args.site) if args.site else config.output, config)
    from generator.build import markdown_problems, read_corpus

    corpus = read_corpus(config)
    problems = [*corpus.problems, *markdown_problems(corpus.articles, config)]  # what drawing would add
    print_problems(problems)
    print(f"{len(corpus.articles)} articles, {len(problems)} problems", file=sys.stderr)
    return PROBLEMS if problems else OK


def run_site_check(root: Path, config: Config) -> int:
    """`arshif check --site`: what a crawler would find broken in the built site, `path:line: message`."""
    from generator.publishing.site_check import check_site

    if not root.is_dir():
        print(f"arshif: {root}: no such site folder (build it first, or name it: --site DIR)", file=sys.stderr)
        return USAGE
    findings = check_site(root, config.base_path, config.site_url, config.workers)
    for finding in findings:
        print(finding.shown(root))
    pages = sum(1 for _ in root.rglob("*.html"))
    print(f"{pages} pages checked, {len(findings)} problems -> {root}", file=sys.stderr)
    return PROBLEMS if findings else OK


def run_list(args: argparse.Namespace, config: Config) -> int:
    from generator.build import read_corpus

    corpus = read_corpus(config)
    print_problems(corpus.problems)
    if args.explain is not None:
        return explain(args.explain, corpus.articles, config)
    rows = [list_row(a) for a in corpus.articles]
    sys.stdout.write(format_rows(rows, args.format))
    return OK


def explain(article_id: str, articles: Sequence[Article], config: Config) -> int:
    """Each hit of an alias in one article, what became of it and why; then the front matter's word."""
    from generator.build import load_cast
    from generator.tagging.tagger import decide

    article = next((a for a in articles if a.id == article_id), None)
    if article is None:
        print(f"arshif: no article with id '{article_id}'", file=sys.stderr)
        return USAGE
    cast, _ = load_cast(config)
    print(f"{article.id} ({article.source}): {' '.join(article.actors) or 'no actors'}")
    for d in decide(article, cast.matcher, cast.actors):
        where = "title" if d.paragraph < 0 else f"paragraph {d.paragraph + 1}"
        print(f"  {'+' if d.accepted else '-'} {d.actor}  «{d.surface}»  {where}, at {d.start}: {d.reason}")
    for name in article.not_actors:
        print(f"  - {name}: front matter not_actors")
    return OK


def list_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.source,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "outlet": article.outlet,
        "agency": article.agency,
        "dateline": article.dateline.text or None,
        "lang": article.lang,
        "dir": article.dir,
        "words": article.words,
        "actors": list(article.actors),
    }


def format_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=LIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        return out.getvalue()
    # A terminal cannot align mixed-direction text reliably: tab-separated, one article a line.
    out.write("\t".join(LIST_COLUMNS) + "\n")
    for row in rows:
        out.write("\t".join(_cell(row[c]) for c in LIST_COLUMNS) + "\n")
    return out.getvalue()


def _cell(value: Any) -> str:
    """One table/CSV cell: lists joined with spaces, missing values empty."""
    if value is None:
        return ""
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


ACTOR_COLUMNS = ("id", "kind", "name", "articles")


def run_actors_list(args: argparse.Namespace, config: Config) -> int:
    """Every actor of the authority file, and every built-in one that some article names."""
    from generator.build import read_corpus

    corpus = read_corpus(config)
    print_problems(corpus.problems)
    counts = Counter(actor_id for article in corpus.articles for actor_id in article.actors)
    rows = [
        {"id": a.id, "kind": a.kind, "name": a.name(config.language), "articles": counts[a.id]}
        for a in sorted(corpus.actors.values(), key=lambda a: (-counts[a.id], a.id))
        if counts[a.id] or a.line > 0
    ]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return OK
    out = io.StringIO()
    delimiter = "," if args.format == "csv" else "\t"  # a table is tab-separated, as `list` is
    writer = csv.DictWriter(out, fieldnames=ACTOR_COLUMNS, lineterminator="\n", delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    sys.stdout.write(out.getvalue())
    return OK


def run_actors_check(args: argparse.Namespace, config: Config) -> int:
    from generator.build import load_cast, read_corpus
    from generator.tagging.check import check, to_json, to_text

    corpus = read_corpus(config)
    print_problems(corpus.problems)
    cast, _ = load_cast(config)
    report = check(corpus.articles, cast.matcher, cast.actors, limit=max(0, args.limit))
    sys.stdout.write(to_json(report) if args.format == "json" else to_text(report))
    return OK


def run_suggest(args: argparse.Namespace, config: Config) -> int:
    if args.min_count < 1 or args.limit < 0:
        print("arshif: --min-count must be at least 1 and --limit not negative", file=sys.stderr)
        return USAGE
    from generator.build import read_corpus
    from generator.tagging.suggest import suggest, to_json, to_toml

    corpus = read_corpus(config)
    print_problems(corpus.problems)
    found = suggest(corpus.articles, corpus.actors, min_count=args.min_count, limit=args.limit)
    sys.stdout.write(to_json(found) if args.format == "json" else to_toml(found, corpus.actors))
    return OK
