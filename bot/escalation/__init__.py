"""The escalation workflow's pure rules: ticket states, the outbox policy, drafts, statistics
and retention.

Nothing here talks to Telegram or opens a database: the storage layer keeps the rows and the
Telegram adapter (`bot/adapters/telegram/staff_handlers.py`, `sender.py`) does the I/O. That
keeps every rule testable with plain values and an injected clock.
"""
