"""The report's words: titles and the five-line summary posted with the chart, in Dutch or
French (the staff's language)."""

from __future__ import annotations

from bot.reporting.build import Report

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Weekoverzicht van de vrijwilligersassistent",
        "period": "{start} tot {end}",
        "answer": "antwoord", "clarify": "keuze", "escalate": "naar medewerker",
        "smalltalk": "small talk",
        "per_day_action": "Vragen per dag, per afhandeling",
        "per_day_language": "Vragen per dag, per taal",
        "top_answered": "Meest gegeven antwoorden",
        "most_down": "Antwoorden met de meeste 👎",
        "most_down_chart": "Antwoorden met de meeste negatieve stemmen",
        "down_word": "negatief", "up_word": "positief", "median": "mediaan",
        "by_topic": "Doorgestuurd naar medewerkers, per onderwerp",
        "waits": "Tijd tot het eerste antwoord van een medewerker (werkdagen)",
        "open_by_age": "Open tickets nu, per leeftijd (werkdagen)",
        "candidates": "Kandidaat-nieuwe vragen (doorgestuurd, geen enkele vraag paste)",
        "candidates_note": "Geanonimiseerd: namen, getallen, e-mailadressen en "
                           "telefoonnummers zijn vervangen.",
        "terms": "Gedeelde woorden", "count": "Aantal", "examples": "Voorbeelden",
        "single": "(losse vraag)", "entry": "Antwoord", "times": "Keer", "up": "👍",
        "down": "👎", "topic": "Onderwerp", "age": "Leeftijd", "tickets": "Tickets",
        "none": "Niets in deze periode.", "days": "werkdagen", "unknown_topic": "onbekend",
        "share": "zonder medewerker beantwoord",
        "line_questions": "{questions} vragen ({languages}), {start} tot {end}",
        "line_share": "Zonder medewerker beantwoord: {share}",
        "line_top": "Meest gevraagd: {top}",
        "line_tickets": "Naar medewerkers: {tickets} tickets; eerste antwoord na {median} "
                        "werkdagen (mediaan), p90 {p90}",
        "line_open": "Open tickets: {open} (oudste {oldest} werkdagen); {candidates} "
                     "kandidaat-nieuwe vragen",
        "nothing": "geen",
    },
    "fr": {
        "title": "Aperçu hebdomadaire de l'assistant du volontariat",
        "period": "du {start} au {end}",
        "answer": "réponse", "clarify": "choix", "escalate": "vers l'équipe",
        "smalltalk": "bavardage",
        "per_day_action": "Questions par jour, par traitement",
        "per_day_language": "Questions par jour, par langue",
        "top_answered": "Réponses les plus données",
        "most_down": "Réponses avec le plus de 👎",
        "most_down_chart": "Réponses avec le plus de votes négatifs",
        "down_word": "négatif", "up_word": "positif", "median": "médiane",
        "by_topic": "Transmis à l'équipe, par sujet",
        "waits": "Délai jusqu'à la première réponse de l'équipe (jours ouvrables)",
        "open_by_age": "Tickets ouverts, par ancienneté (jours ouvrables)",
        "candidates": "Nouvelles questions candidates (transmises, aucune fiche ne convenait)",
        "candidates_note": "Anonymisé : noms, nombres, adresses e-mail et numéros de "
                           "téléphone sont remplacés.",
        "terms": "Mots partagés", "count": "Nombre", "examples": "Exemples",
        "single": "(question isolée)", "entry": "Réponse", "times": "Fois", "up": "👍",
        "down": "👎", "topic": "Sujet", "age": "Ancienneté", "tickets": "Tickets",
        "none": "Rien sur cette période.", "days": "jours ouvrables",
        "unknown_topic": "inconnu", "share": "répondu sans l'équipe",
        "line_questions": "{questions} questions ({languages}), du {start} au {end}",
        "line_share": "Répondu sans l'équipe : {share}",
        "line_top": "Le plus demandé : {top}",
        "line_tickets": "Vers l'équipe : {tickets} tickets ; première réponse après {median} "
                        "jours ouvrables (médiane), p90 {p90}",
        "line_open": "Tickets ouverts : {open} (le plus ancien {oldest} jours ouvrables) ; "
                     "{candidates} nouvelles questions candidates",
        "nothing": "aucun",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["nl"])


def days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def summary_lines(report: Report, language: str) -> list[str]:
    """Five lines: volume, share without staff, the top entry, staff speed, what is open."""
    words = labels(language)
    languages = ", ".join(f"{lang} {n}" for lang, n in report.by_language.items()) or "–"
    top = (
        f"{report.top_answered[0][0]} ({report.top_answered[0][1]}×)"
        if report.top_answered
        else words["nothing"]
    )
    return [
        words["line_questions"].format(
            questions=report.questions, languages=languages,
            start=f"{report.start:%d/%m/%Y}", end=f"{report.end:%d/%m/%Y}",
        ),
        words["line_share"].format(share=percent(report.answered_without_staff)),
        words["line_top"].format(top=top),
        words["line_tickets"].format(
            tickets=report.tickets_opened, median=days(report.wait_median),
            p90=days(report.wait_p90),
        ),
        words["line_open"].format(
            open=report.open_tickets, oldest=days(report.oldest_open),
            candidates=sum(1 for c in report.candidates if c.count > 1),
        ),
    ]
