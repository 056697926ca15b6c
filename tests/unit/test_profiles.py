"""Profiles: round trip through profiles.json, CRUD, keys that follow, damage handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.settings import IntegrationSettings, RevenueMode
from app.storage import StorageError
from app.storage.profiles import Profile, ProfileStore


class Keys:
    """Records what ProfileStore asks of the key store."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def rename(self, old: str, new: str) -> None:
        self.calls.append(("rename", old, new))

    def delete(self, profile: str) -> None:
        self.calls.append(("delete", profile))


def staging() -> Profile:
    settings = IntegrationSettings().with_names({"renewal": "Renewed", "expiration": ""})
    settings = settings.model_copy(
        update={"revenue_mode": RevenueMode.AFTER_COMMISSION, "send_sandbox": True}
    )
    return Profile(name="  Staging ", region="eu", settings=settings)


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    store = ProfileStore.in_dir(tmp_path)
    store.save(staging())
    store.save(Profile(name="capture", region="custom", endpoint="http://127.0.0.1:8080"))
    again = ProfileStore(tmp_path / "profiles.json")  # another process, same file
    assert again.names() == ["capture", "Staging"]
    loaded = again.get("Staging")
    assert loaded == staging()
    assert loaded.settings.name_for("renewal") == "Renewed"
    assert loaded.settings.name_for("expiration") == ""
    assert loaded.settings.revenue_mode is RevenueMode.AFTER_COMMISSION
    assert again.get("capture").endpoint == "http://127.0.0.1:8080"
    assert [p.name for p in again.profiles()] == ["capture", "Staging"]
    raw = json.loads((tmp_path / "profiles.json").read_text())
    assert raw["version"] == 1 and "name" not in raw["profiles"]["Staging"]


def test_reads_the_gui_draft_format(tmp_path: Path) -> None:
    """The shape app/ui wrote before this module existed: no version, settings may be null."""
    draft = {"last": "Default", "profiles": {"Default": {"region": "us", "settings": None}}}
    (tmp_path / "profiles.json").write_text(json.dumps(draft))
    store = ProfileStore.in_dir(tmp_path)
    assert store.get("Default").settings == IntegrationSettings()
    assert store.last_used == "Default" and store.problem is None


def test_rename_and_delete_move_keys_and_last_used(tmp_path: Path) -> None:
    keys = Keys()
    store = ProfileStore.in_dir(tmp_path, keys=keys)
    store.save(staging())
    store.save(Profile(name="Prod"))
    store.set_last_used("Staging")
    renamed = store.rename("Staging", "Stage 2")
    assert renamed.name == "Stage 2" and renamed.region == "eu"
    assert store.names() == ["Prod", "Stage 2"] and store.last_used == "Stage 2"
    with pytest.raises(StorageError, match="already exists"):
        store.rename("Prod", "Stage 2")
    with pytest.raises(StorageError, match="no profile named 'Nope'"):
        store.rename("Nope", "X")
    assert store.delete("Stage 2") is True and store.delete("Stage 2") is False
    assert store.last_used is None and store.names() == ["Prod"]
    assert keys.calls == [("rename", "Staging", "Stage 2"), ("delete", "Stage 2")]


def test_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    store = ProfileStore.in_dir(tmp_path)
    with pytest.raises(StorageError, match="none saved yet"):
        store.get("Prod")
    store.save(Profile(name="Prod"))
    with pytest.raises(StorageError, match=r"\(profiles: Prod\)"):
        store.get("prod ")
    with pytest.raises(StorageError, match="no profile"):
        store.set_last_used("ghost")


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 101])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        Profile(name=name)


def test_bad_region_is_refused() -> None:
    with pytest.raises(ValidationError):
        Profile(name="x", region="ap")  # type: ignore[arg-type]


def test_damaged_file_reads_empty_and_is_kept_aside_on_save(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text("{ not json")
    store = ProfileStore(path)
    assert store.names() == []
    assert store.problem is not None and "cannot be read" in store.problem
    store.save(Profile(name="Fresh"))
    assert (tmp_path / "profiles.json.damaged").read_text() == "{ not json"
    assert store.names() == ["Fresh"] and store.problem is None


def test_no_temp_files_left_behind(tmp_path: Path) -> None:
    store = ProfileStore.in_dir(tmp_path)
    for i in range(3):
        store.save(Profile(name=f"p{i}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles.json"]


def test_a_key_pasted_into_the_endpoint_is_not_saved(tmp_path: Path) -> None:
    # The connection panel saves the endpoint on every keystroke, as typed.
    key = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"
    store = ProfileStore.in_dir(tmp_path)
    for typed in (f"https://{key}:@collector.example.com/v1", f"https://h.example/v1?writeKey={key}",
                  f"https://h.example/v1#{key}"):  # fmt: skip
        store.save(Profile(name="p", region="custom", endpoint=typed))
        assert key not in (tmp_path / "profiles.json").read_text()
    assert store.get("p").endpoint == "https://h.example/v1"
    store.save(Profile(name="p", region="custom", endpoint="http://127.0.0.1:8080/v1"))
    assert store.get("p").endpoint == "http://127.0.0.1:8080/v1"  # a plain URL is untouched
