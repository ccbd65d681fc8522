"""The CLI's renderers (claimwatch.output): what a reader sees in a terminal table."""

from rich.console import Console

from claimwatch.output import verdict_table


def rendered(table) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(table)
    return console.export_text()


def test_a_claims_speaker_is_shown_dim_and_its_brackets_as_written():
    row = (
        "c1",
        1,
        "The rate [as revised] takes effect in July",
        "the [city] council",
        None,
        "SUPPORTED",
        0.5,
        1,
        0,
        "Ledger",
        "https://example.invalid/a",
        "Ledger: [note] the sentence restates the claim",
    )
    text = rendered(verdict_table([row], "run"))
    assert "The rate [as revised] takes effect in July (the [city] council)" in text
    assert "[dim]" not in text and "[/]" not in text
    assert "[note] the sentence restates the claim" in text
