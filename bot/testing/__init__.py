"""Test doubles of the outside world, shipped with the package so that `python -m bot bench
--telegram` runs from an installed wheel: `FakeBotAPI` is a small Bot API server on loopback
(aiohttp, a dev dependency, is imported only when it starts). Never used by the running bot.
"""
