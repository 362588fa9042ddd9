"""The bundled knowledge base covers the whole field, in both languages."""

from bot.core.model import LANGUAGES, TOPICS


def test_at_least_90_pairs_each_with_five_real_variants(assistant):
    faq = [e for e in assistant.kb.entries.values() if e.kind == "faq"]
    pairs = {e.pair for e in faq}
    assert len(pairs) >= 90
    thin = [e.id for e in faq if len(set(e.variants)) < 5]
    assert thin == []


def test_every_topic_has_entries_and_an_article_in_both_languages(assistant):
    for topic in TOPICS:
        for lang in LANGUAGES:
            assert assistant.entries_in_topic(topic, lang), (topic, lang)
            assert f"article.{topic}.{lang}" in assistant.kb.entries, (topic, lang)


def test_every_entry_has_sources_and_a_review_date(assistant):
    for entry in assistant.kb.entries.values():
        assert entry.sources and entry.reviewed <= entry.review_by, entry.id


def test_amounts_are_never_typed_into_answers(assistant):
    """Ceilings and rates come from figures.yaml, so indexation is a one-file change."""
    import re

    typed = re.compile(r"\d+,\d{2}\s*€|€\s*\d+,\d{2}")
    offenders = [e.id for e in assistant.kb.entries.values() if typed.search(e.answer)]
    assert offenders == []
