"""The sign-in rate limit as the ledger keeps it (the portal's workers share it): failures
counted by key within a window, a lockout at the limit, and forgetting after a success. The
clock is each call's `now`, so no test sleeps."""

from __future__ import annotations

import datetime as dt

from campaignkit import Ledger

START = dt.datetime(2099, 6, 1, 9, tzinfo=dt.UTC)
RULE = {"limit": 3, "window": dt.timedelta(minutes=15), "lockout": dt.timedelta(minutes=10)}
KEYS = ["name:li.wei", "address:10.0.0.7"]


def minutes(n: float) -> dt.datetime:
    return START + dt.timedelta(minutes=n)


def test_the_limit_th_failure_within_the_window_locks_each_key_out(tmp_path) -> None:
    with Ledger(tmp_path / "a.db") as first, Ledger(tmp_path / "a.db") as second:
        assert first.sign_in_failed(KEYS, minutes(0), **RULE) == []
        assert second.sign_in_failed(KEYS, minutes(1), **RULE) == []
        assert not first.sign_in_locked(KEYS, minutes(2))
        assert second.sign_in_failed(KEYS, minutes(2), **RULE) == KEYS
        assert first.sign_in_locked(["name:li.wei"], minutes(2))
        assert first.sign_in_locked(["address:10.0.0.7", "name:other"], minutes(11.9))
        assert not first.sign_in_locked(KEYS, minutes(12))  # the lockout is over
        assert not first.sign_in_locked(["name:other"], minutes(2))


def test_failures_older_than_the_window_are_forgotten() -> None:
    with Ledger() as ledger:
        ledger.sign_in_failed(KEYS[:1], minutes(0), **RULE)
        ledger.sign_in_failed(KEYS[:1], minutes(1), **RULE)
        assert ledger.sign_in_failed(KEYS[:1], minutes(15), **RULE) == []  # the first is out
        assert ledger.sign_in_failed(KEYS[:1], minutes(15.5), **RULE) == KEYS[:1]


def test_a_sign_in_that_works_forgets_the_failures() -> None:
    with Ledger() as ledger:
        ledger.sign_in_failed(KEYS, minutes(0), **RULE)
        ledger.sign_in_failed(KEYS, minutes(1), **RULE)
        ledger.sign_in_succeeded(KEYS)
        assert ledger.sign_in_failed(KEYS, minutes(2), **RULE) == []
        assert not ledger.sign_in_locked(KEYS, minutes(2))
