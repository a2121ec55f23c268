"""The shared cache in files (core.filecache) lists its folder to cull it at most once a minute per
process, not on every write, and still culls as Django does once that minute has passed."""

import pytest

from sidekel.core import filecache
from sidekel.core.filecache import FileCache


@pytest.fixture
def small_cache(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(FileCache, "_culled_at", None)
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}), tmp_path, clock


def files(folder):
    return len(list(folder.glob("*.djcache")))


def test_writes_within_a_minute_do_not_list_the_folder(small_cache, monkeypatch):
    cache, folder, clock = small_cache
    listings = []
    listed = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listings.append(1) or listed(self))
    for i in range(30):
        cache.set(f"k{i}", i)
    assert len(listings) == 1  # the first write's
    assert files(folder) == 30  # past MAX_ENTRIES until the next cull
    assert cache.get("k29") == 29


def test_after_a_minute_the_folder_is_culled_as_django_culls_it(small_cache):
    cache, folder, clock = small_cache
    for i in range(30):
        cache.set(f"k{i}", i)
    clock[0] += filecache.CULL_SECONDS
    cache.set("late", 1)
    assert files(folder) == 30 - 30 // 2 + 1  # half removed at random (CULL_FREQUENCY 2), then the new one
    assert cache.get("late") == 1
