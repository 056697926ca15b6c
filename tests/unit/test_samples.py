"""The committed sample_events/ match what the engine renders."""

from pathlib import Path

from app.commands.samples import expected_files
from app.core.catalogue import CATALOGUE

FOLDER = Path(__file__).resolve().parents[2] / "sample_events"


def test_committed_samples_do_not_drift():
    expected = expected_files()
    present = {p.name for p in FOLDER.iterdir()}
    assert present == set(expected), "run: python -m app samples --write"
    for name, text in expected.items():
        assert (FOLDER / name).read_text(encoding="utf-8") == text, (
            f"{name} drifted; run: python -m app samples --write"
        )


def test_every_type_has_a_sample_pair_and_edge_cases_exist():
    names = set(expected_files())
    for key in CATALOGUE:
        assert {f"{key}.revenuecat.json", f"{key}.segment.json"} <= names
    for edge in (
        "refund",
        "sandbox_purchase",
        "non_usd_purchase",
        "promotional_grant",
        "play_store_pause_indefinite",
    ):
        assert f"{edge}.segment.json" in names
