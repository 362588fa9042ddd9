"""How messages keep to Telegram's pace and size, without Telegram: pure policy.

`split.py`: a text in parts of at most 4,096 UTF-16 units, each valid HTML on its own (the
sender's limit: one outbox row per Telegram message). `pacing.py`: when a call to a chat may
leave (a chat under flood control waits its retry_after; a group gets at most 20 calls in any
minute). `retrying.py`: one request paced by those waits and tried again after a 429 or a
transient failure. `flood.py`: when a user writes too fast for an answer. `popup.py`: a
button popup's text, plain and within Telegram's 200 characters. The outbox's own retry policy
(what an outcome means, when to try again) is `bot/escalation/outbox.py`, its worker
`bot/escalation/outbox_worker.py`; the ptb glue that applies all of it is
`bot/adapters/telegram/retry.py` and `sender.py`.

Machinery that takes coroutines instead of a transport: `lanes.py`, work per key one at a
time in arrival order, keys side by side, a pass that met a database lock run again
(ptb's update processor `ChatLanes` maps an Update to its lane); `backoff.py`, waiting out a
service that is not reachable yet (1, 2, 4 ... capped); `sweep.py`, a periodic job a failure
does not end.
"""
