"""Fakes of the outside world for tests (and `python -m bot bench --telegram`)."""
