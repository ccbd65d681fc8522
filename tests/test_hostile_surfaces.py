"""The surfaces a hostile tester went through (issue 29): `claimwatch sql`, the read-only
connections, Data Docs and the dashboard, writes of exports and reports, inputs reached
through links, terminal output, and a sentence longer than the model's window. Every
request goes to loopback only."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from claimwatch import store
from claimwatch.cli import app
from claimwatch.datadocs import (
    DATA_DOCS_POLICY,
    INLINE_SCRIPT,
    published_page,
    shown_value,
    table_setup,
)
from claimwatch.errors import ArticleError
from claimwatch.safewrite import MANIFEST, OutputFolder, UnsafeWrite
from tests.conftest import EXE, SEED_ARTICLE, QuietHandler, cli_env, loopback_server

runner = CliRunner()
SCRIPT_VALUE = "<img src=x onerror=\"document.title='XSS'\">"
# One sentence of about 2,000 characters: a name repeated in a long list, a script in it.
LONG_SENTENCE = (
    f"{SCRIPT_VALUE} The People's Bank of China said on Friday that "
    + ", ".join(["Zhang Wei"] * 170)
    + " issued a joint statement banning cryptocurrency trading."
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(db: Path, statement: str, *options: str):
    return runner.invoke(app, ["sql", statement, "--db", str(db), *options])


def command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed command in a process of its own, as a user does."""
    return subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def first_claim_id(db: str) -> str:
    listed = runner.invoke(app, ["verdicts", "--db", db, "--format", "json"]).stdout
    return json.loads(listed)[0]["claim_id"]


def review(db: str, claim_id: str, note: str, reviewer: str):
    return runner.invoke(
        app,
        ["review", claim_id, "--verdict", "SUPPORTED", "--note", note, "--reviewer", reviewer]
        + ["--db", db],
    )


@pytest.fixture
def db_copy(seeded, tmp_path: Path) -> Path:
    target = tmp_path / "claimwatch.duckdb"
    shutil.copy(seeded.settings.db_path, target)
    return target


# `claimwatch sql` ---------------------------------------------------------------------


# Each statement the tester used, and what the one-line refusal says: the statement's
# kind refused before it runs, or the locked-down connection refusing the file or URL.
KIND = "is refused: claimwatch sql only reads"
LOCKED = "disabled by configuration"
REFUSED_STATEMENTS = {
    "the tester's detach and re-attach": (
        (
            "ATTACH '{tmp}/new.duckdb' AS n (READ_WRITE); USE n; DETACH claimwatch; "
            "ATTACH '{db}' AS w (READ_WRITE); DELETE FROM w.runs; select count(*) from w.runs"
        ),
        "6 statements given",
    ),
    "attach another database for writing": (
        "ATTACH '{tmp}/other.duckdb' AS v (READ_WRITE)",
        KIND,
    ),
    "copy to a file": ("COPY (select 1) TO '{tmp}/out.csv'", KIND),
    "export the database": ("EXPORT DATABASE '{tmp}/exp'", KIND),
    "two statements": ("select 1; select 2", "2 statements given"),
    "a delete": ("delete from runs", KIND),
    "install an extension": ("INSTALL httpfs", KIND),
    "load an extension": ("LOAD httpfs", KIND),
    "set an extension repository": (
        "SET custom_extension_repository = 'http://127.0.0.1:9/'",
        KIND,
    ),
    "turn external access on": ("SET enable_external_access = true", KIND),
    "a pragma": ("PRAGMA database_list", KIND),
    "read a file as text": ("select content from read_text('{secret}')", LOCKED),
    "read a file as csv": ("select * from read_csv('{secret}')", LOCKED),
    "read a file as bytes": ("select * from read_blob('{secret}')", LOCKED),
    "list files": ("select * from glob('{tmp}/*')", LOCKED),
    "read another database by name": ("select * from '{tmp}/other.duckdb'", LOCKED),
    "empty": ("", "no SQL statement given"),
    "only a semicolon": (";", "no SQL statement given"),
    "only a comment": ("/* c */", "no SQL statement given"),
}


@pytest.mark.parametrize("name", REFUSED_STATEMENTS)
def test_sql_refuses_with_one_line_and_leaves_the_database_byte_for_byte(
    db_copy: Path, tmp_path: Path, name: str
):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table runs as select 1 as run_id")
    con.close()
    secret = tmp_path / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    before, other_before = digest(db_copy), digest(other)
    runs_before = sql(db_copy, "select count(*) from runs", "--format", "csv").stdout
    statement, says = REFUSED_STATEMENTS[name]
    result = sql(db_copy, statement.format(tmp=tmp_path, db=db_copy, secret=secret))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
    assert says in result.output, result.output
    assert "hunter2" not in result.output
    assert digest(db_copy) == before and digest(other) == other_before
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "exp").exists()
    assert not (tmp_path / "new.duckdb").exists()
    assert sql(db_copy, "select count(*) from runs", "--format", "csv").stdout == runs_before


def test_sql_reaches_no_url_and_no_extension_repository(db_copy: Path):
    hits: list[str] = []

    class Recorder(QuietHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send(200, b"a,b\n1,2\n", "text/csv")

    with loopback_server(Recorder) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for statement in (
            f"select * from read_csv('{base}/data.csv')",
            f"select * from read_parquet('{base}/data.parquet')",
            f"select * from '{base}/data.csv'",
        ):
            result = sql(db_copy, statement)
            assert result.exit_code == 2 and result.output.startswith("error: "), statement
            assert LOCKED in result.output, result.output  # refused, not merely unreachable
    assert hits == []


def test_sql_reads_select_with_describe_show_and_summarize(db_copy: Path):
    for statement in (
        "select verdict, count(*) as n from verdicts_published group by 1",
        "with v as (select * from verdicts_published) select count(*) from v",
        "describe claims",
        "show tables",
        "summarize runs",
        "from runs select count(*)",
    ):
        result = sql(db_copy, statement, "--format", "json")
        assert result.exit_code == 0, (statement, result.output)
        assert json.loads(result.stdout), statement


def test_sql_stops_a_statement_that_runs_too_long(db_copy: Path):
    endless = (
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    )
    result = command("sql", endless, "--db", str(db_copy), "--timeout", "1")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "error: SQL: stopped after 1 s (--timeout gives a statement longer)"
    )


def test_sql_prints_at_most_the_row_limit_and_streams_all_when_asked(db_copy: Path):
    big = "select range as n from range(25000)"
    capped = sql(db_copy, big, "--format", "csv")
    assert capped.exit_code == 0
    assert capped.stdout.splitlines()[1:3] == ["0", "1"]
    assert len(capped.stdout.splitlines()) == 1 + 10_000
    assert "the first 10,000 rows" in capped.stderr
    everything = sql(db_copy, big, "--format", "csv", "--limit", "0")
    assert len(everything.stdout.splitlines()) == 1 + 25_000
    as_json = sql(db_copy, big, "--format", "json", "--limit", "12000")
    assert [row["n"] for row in json.loads(as_json.stdout)] == list(range(12_000))
    assert sql(db_copy, big, "--limit", "0").exit_code == 2  # a table of every row: no


def peak_mib_of_sql(db: Path, statement: str, output: str) -> tuple[float, int]:
    """Run `claimwatch sql` in a process of its own; return its peak memory (MiB) and
    how many lines it printed."""
    code = (
        "import resource, sys\nfrom claimwatch.cli import app\n"
        f"sys.argv = ['claimwatch', 'sql', {statement!r}, '--db', {str(db)!r}, '--format', "
        f"{output!r}, '--limit', '0', '--timeout', '600']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    return int(result.stderr.strip().splitlines()[-1]) / 1024, result.stdout.count("\n")


def test_sql_streams_a_large_result_in_little_memory(db_copy: Path):
    """Five million rows cost the process about what one row does: they stream through,
    never held (held, they would take several hundred MiB)."""
    small, _ = peak_mib_of_sql(db_copy, "select range as n from range(1)", "csv")
    large, lines = peak_mib_of_sql(db_copy, "select range as n from range(5000000)", "csv")
    assert lines == 1 + 5_000_000
    assert large - small < 100, (small, large)
    _, json_lines = peak_mib_of_sql(db_copy, "select range as n from range(100000)", "json")
    assert json_lines == 2 + 3 * 100_000  # "[", one object in three lines each, "]"


def test_every_reader_is_locked_down_and_the_writer_reaches_no_file(db_copy: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2")
    reader = store.connect(db_copy, read_only=True)
    try:
        with pytest.raises(duckdb.PermissionException):
            reader.execute(f"select content from read_text('{secret}')").fetchall()
        with pytest.raises(duckdb.Error):
            reader.execute("set enable_external_access = true")
        settings = dict(reader.execute("select name, value from duckdb_settings()").fetchall())
        assert settings["autoinstall_known_extensions"] == "false"
        assert settings["autoload_known_extensions"] == "false"
        assert settings["lock_configuration"] == "true"
    finally:
        reader.close()
    writer = store.connect(db_copy)
    try:
        with pytest.raises(duckdb.PermissionException):
            writer.execute(f"select content from read_text('{secret}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            writer.execute(f"copy (select 1) to '{tmp_path / 'x.csv'}'")
    finally:
        writer.close()


def test_a_run_waits_for_a_busy_database_and_gives_up_as_busy_not_bad_input(tmp_path: Path):
    db = tmp_path / "claimwatch.duckdb"
    holder = store.connect(db)  # another process's writer, as far as the run can tell
    try:
        result = command(
            "run", str(SEED_ARTICLE), env=cli_env(tmp_path, CLAIMWATCH_LOCK_WAIT_S="1")
        )
    finally:
        holder.close()
    assert result.returncode == 5, result.stderr
    assert "waiting for" in result.stderr
    assert "another process still has it open after 1s" in result.stderr
    assert "Traceback" not in result.stderr


# Data Docs and the dashboard ---------------------------------------------------------


def test_stored_validation_values_are_escaped_and_cut_before_rendering():
    assert shown_value(SCRIPT_VALUE) == (
        "&lt;img src=x onerror=&quot;document.title=&#x27;XSS&#x27;&quot;&gt;"
    )
    nested = shown_value({"unexpected_index_list": [{"run_id": "r1", "v": "<b>"}], "n": 3})
    assert nested == {"unexpected_index_list": [{"run_id": "r1", "v": "&lt;b&gt;"}], "n": 3}
    long = shown_value("x" * 500)
    assert len(long) == 200 and long.endswith("…")


def test_a_page_keeps_gx_scripts_as_files_and_drops_any_other():
    page = (
        "<html><head><title>t</title></head><body>"
        "<script>alert(1)</script>"
        "<img src=x onerror=alert(2)><a href=# onclick='alert(3)'>a</a>"
        '<button onclick="showAllValidations()">all</button>'
        "<p>based on = a value</p></body></html>"
    )
    safe = published_page(page, "..")
    assert "alert" not in safe.html and safe.dropped == 3
    assert 'data-gx-click="showAllValidations()"' in safe.html
    assert f'content="{DATA_DOCS_POLICY}"' in safe.html
    assert safe.html.index("Content-Security-Policy") < safe.html.index("<title>")
    assert INLINE_SCRIPT.search(safe.html) is None
    assert "<p>based on = a value</p>" in safe.html
    # GX's table set-up is kept only while its data is literal data.
    setup = (
        "\n  $('#t-body-table').bootstrapTable(\n    Object.assign(\n      {\n"
        "        columns: [{'field': 'a'}],\n        data: [{'a': 'x'}],\n"
        "        toolbar: '#t-body-table-toolbar'\n      },\n      {'search': 'true'}\n    )\n  );\n"
        "\n    $(document).ready(function() {\n"
        "      $(\"#t-body-table\").on('click-row.bs.table', function(e, row, $element) {\n"
        '          window.location = $element.data("href");\n        })\n      }\n    );\n'
    )
    assert table_setup(setup)
    assert not table_setup(setup.replace("[{'a': 'x'}]", "[{'a': alert(1)}]"))


def test_every_data_docs_page_of_a_run_is_script_safe(seeded):
    pages = sorted(seeded.settings.docs_dir.rglob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'content="{DATA_DOCS_POLICY}"' in html, page
        assert INLINE_SCRIPT.search(html) is None, page
        assert " onclick=" not in html, page


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """An article whose one sentence is about 2,000 characters with a script in it, run
    through the whole pipeline by the command, as a user would."""
    root = tmp_path_factory.mktemp("hostile")
    article = root / "long.txt"
    article.write_text(f" date 2021-09-24 {LONG_SENTENCE}\n", encoding="utf-8")
    return root, command("run", str(article), env=cli_env(root))


def test_a_two_thousand_character_sentence_runs_to_an_outcome_without_a_traceback(hostile_run):
    root, result = hostile_run
    assert len(LONG_SENTENCE) >= 1900
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 3, result.stderr  # quarantined: claims over the length bound
    assert result.stderr.startswith("error: run ") and len(result.stderr.splitlines()) == 1
    con = duckdb.connect(str(root / "claimwatch.duckdb"), read_only=True)
    try:
        statuses = con.execute("select status from runs").fetchall()
        scored = con.execute("select count(*) from entailment_scores").fetchone()[0]
    finally:
        con.close()
    assert statuses == [("quarantined",)]
    assert scored > 0  # the long claims were read by the model


def test_the_model_reads_a_claim_longer_than_its_window():
    from claimwatch.entailment import MAX_CLAIM_TOKENS, load_model

    model = load_model()
    claim = "The bank said " + ", ".join(["Zhang Wei"] * 300) + " issued it."
    fitted = model.fitted_claim(claim)
    assert claim.startswith(fitted) and len(fitted) < len(claim)
    assert len(model.measure.encode(fitted, add_special_tokens=False).ids) == MAX_CLAIM_TOKENS
    (reading,) = model.score([(claim, "Zhang Wei issued a statement on Friday.")])
    assert abs(reading.entails + reading.contradicts + reading.neutral - 1) < 0.01
    assert model.fitted_claim("Ten agencies issued a joint statement.") == (
        "Ten agencies issued a joint statement."
    )


def test_a_quarantined_runs_script_does_not_run_in_its_data_docs_page(hostile_run, browser):
    root, _ = hostile_run
    site = root / "site"
    built = runner.invoke(
        app,
        ["report", "--db", str(root / "claimwatch.duckdb"), "--out", str(site)]
        + ["--docs", str(root / "docs")],  # where cli_env put the run's Data Docs
    )
    assert built.exit_code == 0, built.output
    pages = sorted((site / "datadocs" / "validations" / "claims").rglob("*.html"))
    assert pages
    html = pages[0].read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in html and SCRIPT_VALUE not in html
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(pages[0].as_uri())
    page.wait_for_load_state("load")
    assert "XSS" not in page.title()
    assert "<img src=x onerror=" in page.inner_text("body")  # shown as text
    assert page.evaluate("typeof jQuery !== 'undefined'")  # GX's own scripts still run
    # The same page as GX rendered it before claimwatch escaped values: the policy alone
    # keeps the handler from running.
    raw = pages[0].with_name("raw.html")
    raw.write_text(html.replace("&lt;img src=x onerror=&quot;", '<img src=x onerror="'), "utf-8")
    page.goto(raw.as_uri())
    page.wait_for_load_state("load")
    assert "XSS" not in page.title()
    assert violations == [] or all("inline" in v for v in violations)
    for one in ("index.html", "claims.html", "runs.html", "schema.html"):
        assert "Content-Security-Policy" in (site / one).read_text(encoding="utf-8")


# Writes -------------------------------------------------------------------------------


def test_parquet_export_refuses_a_folder_it_did_not_make_and_keeps_what_is_there(
    seeded, tmp_path: Path
):
    db = str(seeded.settings.db_path)
    out = tmp_path / "exports"
    (out / "verdicts_published" / "sub").mkdir(parents=True)
    (out / "verdicts_published" / "notes.txt").write_text("mine")
    refused = runner.invoke(app, ["export", str(out), "--format", "parquet", "--db", db])
    assert refused.exit_code == 2 and "--force" in refused.output
    forced = runner.invoke(app, ["export", str(out), "--format", "parquet", "--db", db, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "verdicts_published" / "notes.txt").read_text() == "mine"
    assert (out / "verdicts_published" / "sub").is_dir()
    assert list((out / "verdicts_published").glob("article_date=*/*.parquet"))
    # Its own folder now: a second export replaces its files without --force.
    again = runner.invoke(app, ["export", str(out), "--format", "parquet", "--db", db])
    assert again.exit_code == 0, again.output
    assert (out / "verdicts_published" / "notes.txt").read_text() == "mine"
    assert not list(out.rglob("*.tmp"))


def test_parquet_export_never_writes_through_a_linked_folder(seeded, tmp_path: Path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    out = tmp_path / "exports"
    out.mkdir()
    (out / MANIFEST).write_text("# files claimwatch wrote here\n")
    (out / "verdicts_published").symlink_to(victim)
    result = runner.invoke(
        app, ["export", str(out), "--format", "parquet", "--db", str(seeded.settings.db_path)]
    )
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]


def test_report_and_claimreview_export_refuse_to_write_through_a_link(seeded_copy, tmp_path):
    db = str(seeded_copy.db_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("victim")
    site = tmp_path / "site"
    assert runner.invoke(app, ["report", "--db", db, "--out", str(site)]).exit_code == 0
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(victim)
    result = runner.invoke(app, ["report", "--db", db, "--out", str(site)])
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert victim.read_text() == "victim"
    linked = tmp_path / "out.json"
    linked.symlink_to(victim)
    export = ["export", str(linked), "--site-url", "https://x.example", "--org-name", "D"]
    result = runner.invoke(app, [*export, "--include-unreviewed", "--db", db])
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert victim.read_text() == "victim"


def test_a_claimreview_export_replaces_only_an_earlier_export(seeded_copy, tmp_path):
    db = str(seeded_copy.db_path)
    out = tmp_path / "reviews.json"
    out.write_text("my notes, not an export")
    export = ["export", str(out), "--site-url", "https://x.example", "--org-name", "D"]
    refused = runner.invoke(app, [*export, "--include-unreviewed", "--db", db])
    assert refused.exit_code == 2 and out.read_text() == "my notes, not an export"
    forced = runner.invoke(app, [*export, "--include-unreviewed", "--db", db, "--force"])
    assert forced.exit_code == 0 and json.loads(out.read_text())
    again = runner.invoke(app, [*export, "--include-unreviewed", "--db", db])
    assert again.exit_code == 0, again.output


def test_report_keeps_foreign_files_and_deletes_only_its_own_stale_ones(seeded_copy, tmp_path):
    db = str(seeded_copy.db_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    refused = runner.invoke(app, ["report", "--db", db, "--out", str(site)])
    assert refused.exit_code == 2 and "notes.txt" in refused.output
    assert runner.invoke(app, ["report", "--db", db, "--out", str(site), "--force"]).exit_code == 0
    listed = (site / MANIFEST).read_text().splitlines()
    assert "index.html" in listed and "notes.txt" not in listed
    # A page of its own that a build no longer makes goes; the user's file stays.
    (site / "articles" / "gone.html").write_text("old page")
    with (site / MANIFEST).open("a") as manifest:
        manifest.write("articles/gone.html\n")
    assert runner.invoke(app, ["report", "--db", db, "--out", str(site)]).exit_code == 0
    assert not (site / "articles" / "gone.html").exists()
    assert (site / "notes.txt").read_text() == "mine"


def test_an_output_folder_refuses_a_link_anywhere_on_the_way(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "out"
    root.mkdir()
    (root / "sub").symlink_to(elsewhere)
    with (
        pytest.raises(UnsafeWrite, match="symbolic link"),
        OutputFolder(root, force=True) as folder,
    ):
        folder.write_text("sub/page.html", "x")
    assert list(elsewhere.iterdir()) == []
    linked_root = tmp_path / "linked"
    linked_root.symlink_to(elsewhere)
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        OutputFolder(linked_root)


# Inputs -------------------------------------------------------------------------------


def test_a_link_in_a_folder_is_skipped_and_reported_a_named_link_is_read(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text(" date 2021-09-24 The secret says 11 agencies met on Friday.\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ARTICLE, inbox / "seed.txt")
    (inbox / "passwd.txt").symlink_to(secret)
    result = command("run", str(inbox), env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "passwd.txt" in result.stdout and "skipped" in result.stdout
    con = duckdb.connect(str(tmp_path / "claimwatch.duckdb"), read_only=True)
    try:
        texts = [row[0] for row in con.execute("select article_text from articles").fetchall()]
    finally:
        con.close()
    assert len(texts) == 1 and "secret" not in texts[0]


def test_reading_an_article_refuses_a_link_and_a_pipe(tmp_path: Path):
    from claimwatch.article import read_article_file

    real = tmp_path / "real.txt"
    real.write_text("Ten agencies met.")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(ArticleError, match="symbolic link"):
        read_article_file(link, 1000)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ArticleError, match="not a regular file"):
        read_article_file(fifo, 1000)
    from claimwatch.dispatch import expand_articles

    named = expand_articles([str(link)])
    assert named.articles == [str(real.resolve())] and named.skipped_links == []
    globbed = expand_articles([str(tmp_path / "*.txt")])
    assert globbed.articles == [str(real)] and globbed.skipped_links == [str(link)]


# Terminal output ----------------------------------------------------------------------

ESCAPES = ("\x1b[2J", "\x1b]8;;http://127.0.0.1:9/x\x07", "\u202e")


def test_tables_and_messages_show_escapes_escaped(seeded_copy, tmp_path: Path):
    db = str(seeded_copy.db_path)
    con = store.connect(seeded_copy.db_path)
    con.execute(
        "update claims set claim_text = claim_text || $tail",
        {"tail": "".join(ESCAPES)},
    )
    con.close()
    published = json.loads(runner.invoke(app, ["verdicts", "--db", db, "--format", "json"]).stdout)
    for command in (
        ["verdicts", "--db", db],
        ["sql", "select claim_text from claims", "--db", db],
        ["claims", published[0]["article_id"], "--db", db],
    ):
        shown = runner.invoke(app, command)
        assert shown.exit_code == 0, shown.output
        assert "\x1b" not in shown.output and "\u202e" not in shown.output, command
        assert "\\x1b[2J" in shown.output, command
    # A file name with a newline and a right-to-left mark, in an error.
    odd = tmp_path / "bad\nname\u202e.txt"
    odd.write_bytes(b"")
    result = runner.invoke(app, ["run", str(odd), "--db", db])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "\u202e" not in result.output


def test_csv_keeps_the_value_in_a_pipe_and_shows_it_escaped_on_a_terminal(seeded_copy):
    db = str(seeded_copy.db_path)
    note = "checked\x1b[2J the \u202enotice"
    reviewed = review(db, first_claim_id(db), note, "ana")
    assert reviewed.exit_code == 0, reviewed.output
    query = "select note from reviews"
    piped = command("sql", query, "--db", db, "--format", "csv")
    assert note in piped.stdout  # the stored value, whole
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(EXE), "sql", query, "--db", db, "--format", "csv"],
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    assert b"\x1b" not in seen and "\u202e".encode() not in seen
    assert b"\\x1b[2J" in seen


def test_a_reviewer_name_is_one_line_of_printable_text(seeded_copy):
    db = str(seeded_copy.db_path)
    claim_id = first_claim_id(db)
    for name in ("ana\n2026-12-06 INFO forged line", "ana\x1b[2J", "\u202eana"):
        result = review(db, claim_id, "n", name)
        assert result.exit_code == 2 and result.output.count("\n") == 1, name
    count = runner.invoke(
        app, ["sql", "select count(*) as n from reviews", "--db", db, "--format", "csv"]
    )
    assert count.stdout.splitlines()[1] == "0"
