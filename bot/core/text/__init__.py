"""Text analysis for short Dutch and French questions: one Analyzer per language."""

from bot.core.text.analyzer import Analyzer
from bot.core.text.language import LanguageGuesser

__all__ = ["Analyzer", "LanguageGuesser"]
