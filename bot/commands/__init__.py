"""Command-line faces of the assistant: one module per `python -m bot <command>`."""
