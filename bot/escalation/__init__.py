"""The escalation workflow: ticket states, the desk's use cases, the outbox rows they write,
the outbox policy and the worker that delivers the rows through a transport, drafts,
statistics and retention; `workflow.py` wires them from the settings.

Nothing here talks to Telegram or opens a database: storage implements `records.TicketStorage`
and the Telegram adapter (`bot/adapters/telegram/staff_handlers.py`, `ticket_handlers.py`,
`sender.py`) parses updates, calls the desk and delivers its rows. That keeps every rule
testable with plain values and an injected clock.
"""
