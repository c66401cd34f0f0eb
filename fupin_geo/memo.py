"""Results computed once per Dataset object, kept as long as the object lives.

A Dataset is never changed after it is made: code derives new frames from it (pandas 3
copies on write, so a derived frame never writes through to the dataset's). So whatever is
computed from a dataset alone stays true for that object. The app keeps one Dataset object
per quarter and data version (`ui.session`), and `filters.apply` keeps one per filter (the
`memo_limit` below), so a page's rerun with the same data and filter finds its tables,
categories and tooltips here instead of computing them again: at 20,000 villages these
were most of a rerun's time.

The results are shared by every rerun and session that uses the dataset: callers must not
change them (use `.copy()` or derive new frames, as pandas does anyway).

Where the app caches, all of it:
- the records: one Dataset per quarter and data version, fetched only by `ui.session`
  (Streamlit's cache_resource, with the store and the data version beside it);
- what is computed from records: here, per Dataset object; a panel passes the dataset it is
  handed, never a (url, quarter, version) to fetch it again;
- files shipped with the app that never change while it runs (geodata, coordinate
  transformers, published base-map layers): functools.lru_cache at their loader.
"""
from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from typing import Callable, TypeVar

T = TypeVar("T")

# Results per live dataset, by id(): an id is reused only after its object is gone, and
# weakref.finalize drops the object's results then. Nothing is stored on the dataset itself,
# so it pickles, compares and copies as its records alone.
_RESULTS: dict[int, dict] = {}
_LOCK = threading.Lock()


def _memo_of(dataset) -> dict:
    key = id(dataset)
    memo = _RESULTS.get(key)
    if memo is None:
        with _LOCK:
            memo = _RESULTS.get(key)
            if memo is None:
                memo = _RESULTS[key] = {}
                weakref.finalize(dataset, _RESULTS.pop, key, None)
    return memo


def per_dataset(fn: Callable[..., T] | None = None, *, limit: int | None = None):
    """Decorate `fn(dataset, *args)` (hashable args) to compute once per dataset and args.

    `limit`: keep at most this many results per dataset, least recently used dropped first
    (for functions whose args vary a lot, e.g. one result per filter)."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(dataset, *args):
            memo = _memo_of(dataset)
            results = memo.get(fn)
            if results is None:
                with _LOCK:
                    results = memo.setdefault(fn, OrderedDict())
            try:
                value = results[args]
            except KeyError:
                # two sessions may compute the same result at once; both get a correct one
                value = fn(dataset, *args)
                with _LOCK:
                    results[args] = value
                    if limit is not None:
                        while len(results) > limit:
                            results.popitem(last=False)
                return value
            if limit is not None:
                with _LOCK:
                    if args in results:
                        results.move_to_end(args)
            return value

        wrapper.uncached = fn
        return wrapper

    return decorate(fn) if fn is not None else decorate


def forget(dataset) -> None:
    """Drop every result kept for `dataset` (tests; nothing in the app needs it)."""
    with _LOCK:
        _RESULTS.pop(id(dataset), None)
