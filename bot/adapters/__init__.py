"""Adapters: the faces around the core (console, Telegram). They translate; the core decides."""
