"""The insurance check, as an association's board member would state the rules: art. 5 and 6
of the law of 3 July 2005, the royal decree of 19 December 2006, the free Flemish volunteer
insurance, and the cautions the reference sheets give for the Walloon and COCOF schemes."""

import itertools
from datetime import date
from pathlib import Path

import pytest

from bot.core.figures import load_figures
from bot.core.insurance import (
    FAQ_PAIRS,
    FLEMISH_AREA,
    FORMS,
    REGIONS,
    RULES,
    InsuranceInput,
    InsuranceInputError,
    check_insurance,
    parse_choice,
    parse_yes_no,
    rule_problems,
)
from bot.core.insurance_text import LEGAL, as_json, reason_text, render_verdict

ROOT = Path(__file__).resolve().parents[2]
FIGURES = load_figures(ROOT / "knowledge" / "figures.yaml")
TODAY = date(2026, 12, 2)
LANGS = ("nl", "fr")


def check(form="vzw", staff=False, umbrella=False, region="flanders", **optional):
    return check_insurance(InsuranceInput(form, staff, umbrella, region, **optional), FIGURES,
                           TODAY)


# --- art. 5 and 6: who is liable, who must insure --------------------------------------------


@pytest.mark.parametrize("form", ["vzw", "foundation", "public"])
def test_a_legal_person_must_insure_and_protects_its_volunteers(form):
    """A vzw, a foundation or a public body is liable in its volunteers' place and must insure."""
    verdict = check(form=form)
    assert verdict.liability_insurance_required and verdict.volunteers_protected
    assert verdict.exceptions == ("fraud", "serious-fault", "habitual-light-fault")
    assert {r.rule for r in verdict.reasons} >= {"liability", "compulsory"}


def test_a_de_facto_association_without_staff_or_umbrella_has_no_duty_and_no_protection():
    """The boundary of art. 5: no staff and no umbrella, so no duty and no immunity."""
    verdict = check(form="de-facto")
    assert not verdict.liability_insurance_required and not verdict.volunteers_protected
    assert verdict.exceptions == ()
    assert verdict.reason("no-duty") and verdict.reason("family-insurance")
    assert "liability-policy" in verdict.recommended


@pytest.mark.parametrize(("staff", "umbrella"), [(True, False), (False, True), (True, True)])
def test_one_employee_or_an_umbrella_brings_a_de_facto_association_under_the_law(staff, umbrella):
    """A de facto association with staff, or a section of an umbrella body, must insure."""
    verdict = check(form="de-facto", staff=staff, umbrella=umbrella)
    assert verdict.liability_insurance_required and verdict.volunteers_protected
    assert verdict.reason("protected").numbers["why"] == (
        "de-facto-staff" if staff else "de-facto-umbrella")


# --- the free Flemish insurance -----------------------------------------------------------


@pytest.mark.parametrize("region", ["flanders", "brussels-nl"])
def test_a_small_association_without_staff_in_the_dutch_language_area_may_use_it(region):
    """A neighbourhood committee or a vzw without staff in Flanders or Dutch Brussels qualifies."""
    for form in ("de-facto", "vzw", "foundation"):
        assert check(form=form, region=region).flemish_free_insurance == "eligible"


@pytest.mark.parametrize("region", ["brussels-fr", "wallonia", "german"])
def test_outside_the_dutch_language_area_it_is_not_available(region):
    """French-statute Brussels, Wallonia and the German-speaking area cannot use it."""
    verdict = check(form="de-facto", region=region)
    assert verdict.flemish_free_insurance == "not-eligible"
    assert verdict.reason("free-not-area").numbers["region"] == region


def test_staff_declared_through_dimona_excludes_a_vzw():
    """Since 1 April 2019 a vzw with paid staff cannot use the free insurance."""
    assert check(form="vzw", staff=True).flemish_free_insurance == "not-eligible"
    assert check(form="vzw", staff=True).reason("free-staff")
    assert check(form="de-facto", staff=True).reason("free-staff-de-facto")


def test_a_public_body_is_excluded():
    """A public body is never eligible, even without staff."""
    verdict = check(form="public")
    assert verdict.flemish_free_insurance == "not-eligible" and verdict.reason("free-public")


def test_a_local_section_of_an_umbrella_body_only_for_extra_activities():
    """A de facto section of an umbrella may insure extra activities only."""
    verdict = check(form="de-facto", umbrella=True)
    assert verdict.flemish_free_insurance == "extra-activities-only"
    assert "insurance.umbrella-policy" in verdict.faq


def test_a_vzw_tied_to_an_umbrella_is_not_guessed():
    """The sources name sections and vzw's without staff, not a vzw tied to an umbrella: check."""
    verdict = check(form="vzw", umbrella=True)
    assert verdict.flemish_free_insurance == "check" and verdict.needs_staff
    assert verdict.reason("free-umbrella-silent").rule == "flemish-umbrella-silent"


def test_the_limits_come_from_the_figures_file_by_name():
    """1,000 hours per 12 months and 24 hours' notice, read from knowledge/figures.yaml."""
    limits = check(form="de-facto").flemish_limits
    assert limits is not None and limits.known
    assert limits.hours == int(FIGURES.value_on("insurance.flemish_free_hours", TODAY).value)
    assert limits.notice_hours == int(
        FIGURES.value_on("insurance.flemish_notice_hours", TODAY).value)
    assert (limits.hours, limits.notice_hours) == (1000, 24)


def test_limits_not_confirmed_for_a_date_are_not_invented():
    """Before the period the figures confirm, the limits are 'not confirmed' and staff offered."""
    verdict = check_insurance(InsuranceInput("de-facto", False, False, "flanders"), FIGURES,
                              date(2025, 6, 1))
    assert verdict.flemish_limits is not None and not verdict.flemish_limits.known
    assert verdict.needs_staff
    for lang in LANGS:
        text = render_verdict(verdict, lang, plain=True)
        assert "1.000" not in text and ("niet bevestigd" in text or "pas confirmées" in text)


# --- other schemes: only with the reference sheets' caution -------------------------------


@pytest.mark.parametrize(("region", "code"), [("wallonia", "wallonia-provinces"),
                                                ("brussels-fr", "brussels-cocof"),
                                                ("german", "german-community")])
def test_walloon_cocof_and_german_area_schemes_are_never_promised(region, code):
    """Unconfirmed for 2025–2026 (or not in our sources): say so and offer a staff member."""
    verdict = check(form="de-facto", region=region)
    assert verdict.reason(code) and verdict.needs_staff
    nl, fr = (reason_text(verdict.reason(code), lang, plain=True) for lang in LANGS)
    assert "konden we niet bevestigen" in nl and "pas pu confirmer" in fr
    assert "2025–2026" in nl and "2025–2026" in fr


def test_flanders_needs_no_staff_member():
    """A clear Flemish case is answered without a staff member."""
    assert not check(form="de-facto").needs_staff
    assert not check(form="vzw", staff=True).needs_staff


# --- what stays the association's own responsibility --------------------------------------


def test_the_own_car_is_the_vehicles_motor_insurance():
    """With the volunteer's own car, the compulsory motor insurance pays third parties."""
    verdict = check(car=True)
    assert verdict.reason("car") and "car-policy" in verdict.recommended
    assert "insurance.car" in verdict.faq
    assert not check(car=False).reason("car") and not check().reason("car")


@pytest.mark.parametrize(("form", "has"), [("vzw", True), ("foundation", True),
                                             ("public", False), ("de-facto", False)])
def test_directors_liability_is_recommended_for_a_vzw_or_foundation(form, has):
    """Directors' liability is not covered by the volunteer immunity: recommended for boards."""
    assert ("directors-liability" in check(form=form).recommended) is has
    assert ("liability.board-directors" in check(form=form).faq) is has


def test_bodily_accidents_and_legal_aid_are_always_recommended():
    """Art. 6 §2: not compulsory, always recommended."""
    for form, region in itertools.product(FORMS, REGIONS):
        verdict = check(form=form, region=region)
        assert {"bodily-accidents", "legal-aid"} <= set(verdict.recommended)


def test_a_welfare_decree_organisation_needs_more_than_the_free_insurance():
    """Occupational diseases: the free insurance does not cover them; outside Flanders: check."""
    inside = check(welfare=True)
    assert inside.reason("welfare-decree") and "welfare-covers" in inside.recommended
    assert not inside.reason("welfare-decree").numbers["outside"] and not inside.needs_staff
    outside = check(welfare=True, region="wallonia")
    assert outside.reason("welfare-decree").numbers["outside"] and outside.needs_staff


def test_activities_with_minors_say_the_sources_are_silent_and_offer_staff():
    """Participants are not insured by the free insurance; beyond that our sources say nothing."""
    verdict = check(form="de-facto", minors=True)
    assert verdict.reason("minors") and verdict.needs_staff
    assert "deelnemers" in reason_text(verdict.reason("minors"), "nl")
    assert "participants" in reason_text(verdict.reason("minors"), "fr")


# --- the table: every combination, no contradiction ---------------------------------------

ALL = list(itertools.product(FORMS, (False, True), (False, True), REGIONS))


@pytest.mark.parametrize(("form", "staff", "umbrella", "region"), ALL)
def test_verdicts_never_contradict_each_other(form, staff, umbrella, region):
    """Across form x staff x umbrella x region the conclusions fit together."""
    v = check(form=form, staff=staff, umbrella=umbrella, region=region)
    # Protected volunteers imply compulsory insurance, and the other way round (art. 5-6).
    assert v.volunteers_protected == v.liability_insurance_required
    assert bool(v.exceptions) == v.volunteers_protected
    # Only a de facto association without staff and umbrella escapes both.
    escapes = form == "de-facto" and not staff and not umbrella
    assert v.liability_insurance_required is not escapes
    assert bool(v.reason("no-duty")) is escapes and bool(v.reason("compulsory")) is not escapes
    # The free Flemish insurance.
    assert v.flemish_free_insurance in ("eligible", "extra-activities-only", "not-eligible",
                                        "check")
    if region not in FLEMISH_AREA or form == "public" or staff:
        assert v.flemish_free_insurance == "not-eligible"
    if v.flemish_free_insurance == "eligible":
        assert not staff and not umbrella and form != "public" and region in FLEMISH_AREA
    if v.flemish_free_insurance == "extra-activities-only":
        assert umbrella and v.liability_insurance_required
    assert (v.flemish_limits is None) is (v.flemish_free_insurance == "not-eligible")
    # A verdict we cannot fully confirm always offers a staff member.
    if v.flemish_free_insurance == "check" or region in ("wallonia", "brussels-fr", "german"):
        assert v.needs_staff
    # Every reason rests on a rule with sources; every FAQ button is a known pair.
    assert all(r.rule in RULES for r in v.reasons)
    assert v.sources and set(v.faq) <= set(FAQ_PAIRS)
    for lang in LANGS:
        text = render_verdict(v, lang)
        assert all(s.url in text for s in v.sources)
        assert "None" not in text


# --- texts in both languages ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_has_a_sentence_in_both_languages(lang):
    """No reason code is left without its sentence in nl and fr."""
    verdicts = [check(form=f, staff=s, umbrella=u, region=r, car=True, minors=True, welfare=True)
                for f, s, u, r in ALL]
    for verdict in verdicts:
        for reason in verdict.reasons:
            assert reason_text(reason, lang).strip(), (reason.code, lang)
        data = as_json(verdict, lang)
        assert all(data["recommended"]) and len(data["recommended"]) == len(verdict.recommended)


def test_the_neighbourhood_committee_in_dutch_and_french():
    """A neighbourhood committee without staff in Flanders: no duty, free insurance possible."""
    verdict = check(form="de-facto")
    nl = render_verdict(verdict, "nl", plain=True)
    fr = render_verdict(verdict, "fr", plain=True)
    assert "Verplichte verzekering burgerlijke aansprakelijkheid: nee" in nl
    assert "Gratis Vlaamse vrijwilligersverzekering: mogelijk" in nl
    assert "1.000 vrijwilligersuren per 12 maanden" in nl and "minstens 24 uur vooraf" in nl
    assert "Assurance responsabilité civile obligatoire : non" in fr
    assert "1.000 heures de volontariat par 12 mois" in fr and "24 heures à l'avance" in fr
    assert "https://vrijwilligersverzekering.vlaanderen.be/" in nl


def test_the_html_text_keeps_its_markup_and_escapes_nothing_twice():
    """Telegram HTML: bold verdicts and links, no escaped tags."""
    text = render_verdict(check(form="vzw", staff=True, region="brussels-nl"), "nl")
    assert "<b>ja</b>" in text and '<a href="' in text and "&lt;b&gt;" not in text


# --- the rules table and its sources (also run by `python -m bot check`) ---------------------


def test_every_rule_names_its_source_and_every_pair_exists():
    """Each rule has a legal basis or a page; legal bases are worded nl+fr; pairs are in faq/."""
    import yaml

    pairs = set()
    for path in (ROOT / "faq").glob("*.yaml"):
        pairs |= {e["pair"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))}
    assert rule_problems(FIGURES, pairs, LEGAL) == []
    for rule in RULES.values():
        assert rule.legal or rule.sources
        assert all(s.url and s.url.startswith(("http://", "https://")) for s in rule.sources)


def test_a_rule_without_a_source_is_reported(monkeypatch):
    """The check command would fail on a rule that names no source."""
    from bot.core import insurance

    broken = (*insurance._RULES, insurance.Rule("made-up", (), ()))
    monkeypatch.setattr(insurance, "_RULES", broken)
    assert "insurance rule 'made-up' names no source" in insurance.rule_problems()


def test_the_law_articles_are_cited():
    """Art. 5, art. 6 and the royal decree of 19 December 2006 are named in the verdict."""
    verdict = check()
    for lang, words in (("nl", ("art. 5", "art. 6 §1", "19 december 2006")),
                        ("fr", ("art. 5", "art. 6 §1er", "19 décembre 2006"))):
        text = render_verdict(verdict, lang, plain=True)
        assert all(w in text for w in words)


# --- reading answers ----------------------------------------------------------------------------


def test_answers_are_read_in_both_languages_and_bad_ones_name_the_option():
    """ja/oui/yes and nee/non/no; an unknown value names the option and its allowed values."""
    assert parse_yes_no("staff", "oui") and parse_yes_no("staff", "Ja")
    assert not parse_yes_no("staff", "non")
    assert parse_choice("form", "VZW", FORMS) == "vzw"
    with pytest.raises(InsuranceInputError) as caught:
        parse_choice("region", "mars", REGIONS)
    assert caught.value.option == "region" and "flanders" in caught.value.allowed
    with pytest.raises(InsuranceInputError):
        InsuranceInput("company", False, False, "flanders")  # type: ignore[arg-type]
