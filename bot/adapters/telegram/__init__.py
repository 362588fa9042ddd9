"""The Telegram face of the assistant (python-telegram-bot v22, asyncio).

Handlers only translate: an Update becomes a call to the core (`Assistant`), and the core's
`Reply` becomes an HTML message with an inline keyboard. `build_application` wires it all.
"""
