"""A user who writes too fast gets one slow-down reply, then silence until the rate drops."""

from __future__ import annotations

from bot.delivery.flood import FloodControl


def flood_at(clock: list[float]) -> FloodControl:
    return FloodControl(limit=3, window=10.0, clock=lambda: clock[0])


def test_messages_within_the_limit_are_answered():
    control = flood_at([0.0])
    assert [control.check(1) for _ in range(3)] == ["ok", "ok", "ok"]


def test_one_warning_then_silence_and_welcome_again_once_the_window_passed():
    clock = [0.0]
    control = flood_at(clock)
    verdicts = [control.check(1) for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop", "drop"]

    clock[0] = 10.0
    assert control.check(1) == "ok"


def test_one_users_flood_does_not_silence_another():
    control = flood_at([0.0])
    for _ in range(5):
        control.check(1)
    assert control.check(2) == "ok"


def test_idle_users_are_forgotten():
    """Memory follows the users who write now, not everyone who ever wrote."""
    clock = [0.0]
    control = flood_at(clock)
    control.check(1)
    clock[0] = 11.0
    control.check(2)

    control.forget_idle()

    assert set(control._seen) == {2}
