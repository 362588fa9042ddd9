"""The guided checks made from what the assistant has loaded: the allowance check needs the
figures, the insurance check the figures and the knowledge base's entries (for the FAQ
buttons under its verdict). An assistant that loaded no knowledge base (a test's fake) gets
the figures of `knowledge_dir`'s figures.yaml, and no entries.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.figures import Figures, load_figures_under
from bot.core.guided.allowance import AllowanceGuide
from bot.core.guided.insurance import InsuranceGuide


def allowance_guide(
    assistant: object, knowledge_dir: Path, figures: Figures | None = None
) -> AllowanceGuide:
    """The allowance check; `figures`, when given, instead of the assistant's."""
    return AllowanceGuide(figures or figures_of(assistant, knowledge_dir))


def insurance_guide(
    assistant: object, knowledge_dir: Path, figures: Figures | None = None
) -> InsuranceGuide:
    """The insurance check for associations, likewise."""
    kb = getattr(assistant, "kb", None)
    entries = kb.entries if kb else {}
    return InsuranceGuide(figures or figures_of(assistant, knowledge_dir), entries)


def figures_of(assistant: object, knowledge_dir: Path) -> Figures:
    """The figures the assistant loaded already (the real Assistant's knowledge base), else
    those under `knowledge_dir`."""
    kb = getattr(assistant, "kb", None)
    if kb is not None:
        loaded: Figures = kb.figures
        return loaded
    return load_figures_under(knowledge_dir)
