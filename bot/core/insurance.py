"""The insurance check: must this association insure its volunteers, are they protected by the
organisation's liability, and may it use the free Flemish volunteer insurance?

Pure (no I/O): an `InsuranceInput`, the `Figures` and a date go in, an `InsuranceVerdict`
comes out. Every conclusion is a `Reason` naming a rule of `RULES`, and every rule names its
legal basis (keys worded per language in insurance_text.LEGAL) and the pages it rests on –
nothing beyond the project's reference sheets and the sources they cite. Where those sources
are silent or not confirmed (the Walloon provincial and Brussels COCOF schemes for 2025–2026,
activities with minors), the verdict says so and `needs_staff` is set: the faces then offer a
staff member with a holding note, never a promise.

The free Flemish insurance's limits (hours per 12 months, notice before an activity) come from
knowledge/figures.yaml by name (`insurance.*`), for the date of the check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from bot.core.figures import Figures
from bot.core.model import Language, Source

Form = Literal["vzw", "foundation", "public", "de-facto"]
Region = Literal["flanders", "brussels-nl", "brussels-fr", "wallonia", "german"]
FreeStatus = Literal["eligible", "extra-activities-only", "not-eligible", "check"]
SchemeStatus = Literal["check", "unknown"]
FORMS: tuple[Form, ...] = ("vzw", "foundation", "public", "de-facto")
REGIONS: tuple[Region, ...] = ("flanders", "brussels-nl", "brussels-fr", "wallonia", "german")
FREE_STATUSES: tuple[FreeStatus, ...] = ("eligible", "extra-activities-only", "not-eligible",
                                         "check")
# Where the free Flemish insurance can apply: the Dutch-language area, and Brussels with
# Dutch statutes (the portal; a de facto association: representatives living there).
FLEMISH_AREA: frozenset[Region] = frozenset({"flanders", "brussels-nl"})
HOURS = "insurance.flemish_free_hours"
NOTICE = "insurance.flemish_notice_hours"
LIMIT_FIGURES = (HOURS, NOTICE)
# The three exceptions of art. 5, in the law's order.
EXCEPTIONS: tuple[str, ...] = ("fraud", "serious-fault", "habitual-light-fault")


def _page(title: str, url: str) -> Source:
    return Source(title=title, url=url)


# --- the pages the rules rest on (all cited in ../shared/reference/facts-*.md) -------------------
VV_IMMUNITY = _page(
    "Vlaanderen Vrijwilligt – Immuniteit van vrijwilligers",
    "https://www.vlaanderenvrijwilligt.be/vrijwilligers-verzekeren/immuniteit-van-vrijwilligers/",
)
LEVOLONTARIAT_RC = _page(
    "Plateforme francophone du Volontariat – Responsabilité civile",
    "http://www.levolontariat.be/responsabilite-civile",
)
EUROMEX = _page(
    "Euromex – Is de organisatie waarvoor een vrijwilliger actief is aansprakelijk?",
    "https://www.euromex.be/safety-world/is-de-organisatie-waarvoor-een-vrijwilliger-actief-is-"
    "aansprakelijk-of-niet",
)
DENIL = _page(
    "Denil Verzekeringen – Burgerlijke aansprakelijkheid voor vrijwilligers (art. 6 geciteerd)",
    "http://denilverzekeringen.be/vzws/burgerlijke-aansprakelijkheid-voor-vrijwilligers/",
)
ECONOMIE = _page(
    "SPF Economie – Assurance des volontaires",
    "http://economie.fgov.be/fr/consommateurs/Assurances/Assurance_volontaires/",
)
GENK_INFO = _page("Stad Genk – Informatieplicht", "https://www.genk.be/informatieplicht")
LEVOLONTARIAT_INSURED = _page(
    "Plateforme francophone du Volontariat – Les volontaires sont-ils assurés ?",
    "http://www.levolontariat.be/les-volontaires-sont-ils-assures",
)
LEVOLONTARIAT_INSURANCE = _page(
    "Plateforme francophone du Volontariat – Assurance du volontaire",
    "http://www.levolontariat.be/assurance-du-volontaire",
)
HRV_INSURANCE = _page(
    "Conseil supérieur des volontaires – Assurances",
    "http://hogeraadvrijwilligers.belgium.be/fr/assurances/assurances.htm",
)
WIKIFIN = _page(
    "Wikifin – Êtes-vous assuré en tant que bénévole ?",
    "https://www.wikifin.be/index.php/fr/budget-payer-emprunter-et-assurer/sassurer/"
    "travailler-etudier/etes-vous-assure-en-tant-que-benevole",
)
BELFIUS_FAQ = _page(
    "Belfius Verzekeringen – Vrijwilligerswerk, veelgestelde vragen",
    "https://www.belfius-verzekeringen.be/dossier-en-achtergrondinformatie/vrijwilligerswerk/"
    "veel-gestelde-vragen/index.html",
)
PORTAL = _page(
    "Gratis vrijwilligersverzekering van de Vlaamse overheid",
    "https://vrijwilligersverzekering.vlaanderen.be/",
)
GENK_FREE = _page(
    "Stad Genk – Gratis verzekering voor vrijwilligers in een notendop",
    "https://www.genk.be/gratis-verzekering-voor-vrijwilliger-in-een-notendop",
)
VV_FACTS = _page(
    "Vlaanderen Vrijwilligt – Weetjes gratis verzekering",
    "https://www.vlaanderenvrijwilligt.be/gratis-vrijwilligersverzekering/"
    "weetjes-gratis-verzekering/",
)
RANST = _page(
    "Gemeente Ranst – Vlaams decreet vrijwilligerswerk",
    "https://www.ranst.be/vlaams-decreet-vrijwilligerswerk",
)
APW = _page("Association des Provinces wallonnes – Volontariat", "http://apw.be/actions/volontariat/")
LIEGE = _page(
    "Province de Liège – Assurance volontaire gratuite",
    "http://www.provincedeliege.be/fr/node/13354",
)
KB_2006 = _page(
    "KB 19 december 2006 / AR 19 décembre 2006 – minimumgarantievoorwaarden (etaamb)",
    "https://etaamb.openjustice.be/fr/nl/arrete-royal-du-19-decembre-2006_n2006011564.html",
)
SINT_PIETERS_LEEUW = _page(
    "Gemeente Sint-Pieters-Leeuw – Verzekering vrijwilligers",
    "https://www.sint-pieters-leeuw.be/vrije-tijd/vrijwilligerswerk/verzekering",
)
OSTBELGIEN_2020 = _page(
    "Ostbelgien live – Versicherungsschutz für Coronahelfer ausgeweitet (2020)",
    "http://www.ostbelgienlive.be/desktopdefault.aspx/tabid-71/211_read-59758/",
)
WEYKMANS_2020 = _page(
    "Isabelle Weykmans – Versicherungsschutz für Coronahelfer (2020)",
    "http://www.isabelle-weykmans.be/aktuelles/weykmans-weitet-versicherungsschutz-fuer-"
    "coronahelfer-aus/",
)
LIEGE_DE = _page(
    "Provinz Lüttich – Ehrenamt (kostenlose Ehrenamts-Versicherung)",
    "https://provincedeliege.be/de/node/17561",
)
COCOF_2011 = _page(
    "Doulkeridis – Une assurance gratuite pour les volontaires bruxellois (2011)",
    "https://www.doulkeridis.be/blog/2011/09/01/une-assurance-gratuite-pour-les-volontaires-"
    "bruxellois/",
)


@dataclass(frozen=True)
class Rule:
    """One rule of the check: what it decides, its legal basis and the pages it rests on."""

    id: str
    legal: tuple[str, ...]  # keys of insurance_text.LEGAL (worded per language)
    sources: tuple[Source, ...]
    figures: tuple[str, ...] = ()  # figure names it uses (their periods' sources are cited too)


_RULES: tuple[Rule, ...] = (
    # Art. 5: legal persons, and de facto associations with staff or tied to an umbrella body,
    # are liable in their volunteers' place (except fraud, serious or habitual light fault).
    Rule("liability", ("law-2005-art5",), (VV_IMMUNITY, LEVOLONTARIAT_RC, EUROMEX)),
    # Art. 6 §1 and the royal decree of 19 December 2006: those organisations must insure at
    # least their extra-contractual civil liability (since 1 January 2007).
    Rule("compulsory", ("law-2005-art6", "kb-2006-12-19"),
         (KB_2006, DENIL, ECONOMIE, GENK_INFO)),
    # A de facto association without staff and without umbrella: no duty, no immunity.
    Rule("no-duty", ("law-2005-art5", "law-2005-art6"), (VV_IMMUNITY, LEVOLONTARIAT_INSURED)),
    # Family liability insurance may not exclude damage caused while volunteering.
    Rule("family-insurance", (), (LEVOLONTARIAT_INSURED, LEVOLONTARIAT_INSURANCE, BELFIUS_FAQ)),
    # Art. 6 §2: bodily accidents and legal aid are not compulsory (no royal decree).
    Rule("optional-covers", ("law-2005-art6-2",),
         (LEVOLONTARIAT_INSURANCE, HRV_INSURANCE, WIKIFIN)),
    # The free Flemish insurance: who qualifies and who does not.
    Rule("flemish-free", (), (PORTAL, GENK_FREE, VV_FACTS, SINT_PIETERS_LEEUW)),
    # Its limits: hours per 12 months, notice, volunteers only, not the own car.
    Rule("flemish-limits", (), (PORTAL, VV_FACTS), figures=LIMIT_FIGURES),
    # A vzw or foundation tied to an umbrella: the portal speaks of "local sections" only.
    Rule("flemish-umbrella-silent", (), (PORTAL,)),
    # The volunteer's own car: the vehicle's compulsory motor insurance pays third parties.
    Rule("car", (), (BELFIUS_FAQ, VV_FACTS)),
    # Directors' liability: not covered by the volunteer immunity nor the free insurance.
    Rule("directors", ("csa-directors",), (VV_FACTS,)),
    # The Flemish welfare decree of 3 April 2009: wider compulsory covers.
    Rule("welfare-decree", ("decree-2009-welfare",), (RANST, VV_FACTS)),
    # Activities with minors: participants are not insured by the free insurance; the
    # reference sheets say nothing more specific.
    Rule("minors", (), (PORTAL, VV_FACTS)),
    # The Walloon provincial scheme: existed; not confirmed for 2025–2026.
    Rule("wallonia-provinces", (), (LEVOLONTARIAT_INSURED, APW, LIEGE)),
    # The Brussels COCOF scheme: existed since 2011; not confirmed for 2025–2026.
    Rule("brussels-cocof", (), (LEVOLONTARIAT_INSURED, COCOF_2011)),
    # The German-speaking area: the Community spoke in 2020 of an existing free supplementary
    # insurance for associations' volunteers, and the Province of Liège (which includes the
    # area) offers one on an undated page: not confirmed for 2025–2026.
    Rule("german-community", (), (OSTBELGIEN_2020, WEYKMANS_2020, LIEGE_DE)),
)
RULES: Mapping[str, Rule] = {rule.id: rule for rule in _RULES}

# The FAQ pairs a verdict may point to (checked against faq/ by `python -m bot check`).
FAQ_PAIRS: tuple[str, ...] = (
    "insurance.compulsory-liability",
    "liability.which-organisations",
    "liability.unincorporated-no-staff",
    "liability.family-insurance",
    "insurance.flemish-free-eligibility",
    "insurance.flemish-free-cover",
    "insurance.flemish-free-procedure",
    "insurance.umbrella-policy",
    "insurance.accident-injury",
    "insurance.car",
    "liability.board-directors",
    "insurance.welfare-decree",
    "insurance.wallonia-provinces",
    "insurance.brussels-cocof",
)


class InsuranceInputError(ValueError):
    """An option or answer we cannot use: `option` names it, `allowed` lists its values."""

    def __init__(self, option: str, value: str, allowed: tuple[str, ...]) -> None:
        self.option, self.value, self.allowed = option, value, allowed
        super().__init__(f"{option}: {value!r} (allowed: {', '.join(allowed)})")


@dataclass(frozen=True)
class InsuranceInput:
    form: Form
    staff: bool  # employs someone under an employment contract (Dimona)
    umbrella: bool  # a section of, or tied to, an umbrella body
    region: Region  # where the seat (or, for a de facto association, its representatives) is
    car: bool | None = None  # volunteers drive their own car for the activities
    minors: bool | None = None  # activities with minors
    welfare: bool | None = None  # a Flemish welfare-decree (2009) organisation

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise InsuranceInputError("form", str(self.form), FORMS)
        if self.region not in REGIONS:
            raise InsuranceInputError("region", str(self.region), REGIONS)


@dataclass(frozen=True)
class Reason:
    """One conclusion: a code the text layer words per language, and the rule behind it."""

    code: str
    rule: str
    numbers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FlemishLimits:
    """The free Flemish insurance's limits on the date of the check; None: not confirmed."""

    hours: int | None
    notice_hours: int | None
    sources: tuple[Source, ...]

    @property
    def known(self) -> bool:
        return self.hours is not None and self.notice_hours is not None


@dataclass(frozen=True)
class InsuranceVerdict:
    input: InsuranceInput
    liability_insurance_required: bool
    volunteers_protected: bool
    exceptions: tuple[str, ...]  # when protected: the volunteer stays liable for these
    flemish_free_insurance: FreeStatus
    flemish_limits: FlemishLimits | None  # when the free insurance may (partly) apply
    reasons: tuple[Reason, ...]
    recommended: tuple[str, ...]  # codes: bodily-accidents, legal-aid, car-policy, …
    needs_staff: bool
    faq: tuple[str, ...]  # FAQ pair ids to offer, most relevant first

    @property
    def rules(self) -> tuple[Rule, ...]:
        seen: list[str] = []
        for reason in self.reasons:
            if reason.rule not in seen:
                seen.append(reason.rule)
        return tuple(RULES[r] for r in seen)

    @property
    def sources(self) -> tuple[Source, ...]:
        found: list[Source] = []
        for rule in self.rules:
            found += [s for s in rule.sources if s not in found]
        if self.flemish_limits is not None:
            found += [s for s in self.flemish_limits.sources if s not in found]
        return tuple(found)

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)


def liable_organisation(inp: InsuranceInput) -> bool:
    """Art. 5: legal persons (vzw, foundation, public body), and de facto associations that
    employ staff or are a section of / tied to an umbrella body."""
    return inp.form != "de-facto" or inp.staff or inp.umbrella


def check_insurance(inp: InsuranceInput, figures: Figures, today: date) -> InsuranceVerdict:
    reasons: list[Reason] = []
    recommended: list[str] = []
    faq: list[str] = []
    needs_staff = False

    # --- art. 5 and 6: liability and the compulsory insurance -------------------------------
    liable = liable_organisation(inp)
    if liable:
        why = inp.form if inp.form != "de-facto" else ("de-facto-staff" if inp.staff
                                                         else "de-facto-umbrella")
        reasons.append(Reason("protected", "liability", {"why": why}))
        reasons.append(Reason("exceptions", "liability"))
        reasons.append(Reason("compulsory", "compulsory"))
        faq += ["insurance.compulsory-liability", "liability.which-organisations"]
    else:
        reasons.append(Reason("no-duty", "no-duty"))
        reasons.append(Reason("family-insurance", "family-insurance"))
        recommended.append("liability-policy")
        faq += ["liability.unincorporated-no-staff", "liability.family-insurance"]

    # --- the free Flemish insurance ---------------------------------------------------------
    status, free_reasons = _flemish_free(inp)
    reasons += free_reasons
    limits: FlemishLimits | None = None
    if status in ("eligible", "extra-activities-only", "check"):
        limits = _limits(figures, today)
        reasons.append(Reason("flemish-limits", "flemish-limits",
                              {"hours": limits.hours, "notice_hours": limits.notice_hours}))
        if not limits.known:
            needs_staff = True
        faq += ["insurance.flemish-free-eligibility", "insurance.flemish-free-procedure"]
    elif inp.region in FLEMISH_AREA:
        faq.append("insurance.flemish-free-eligibility")
    if status == "extra-activities-only":
        faq.append("insurance.umbrella-policy")
    if status == "check":
        needs_staff = True

    # --- other free schemes: only with the reference sheets' caution -------------------------
    if inp.region == "wallonia":
        reasons.append(Reason("wallonia-provinces", "wallonia-provinces"))
        faq.append("insurance.wallonia-provinces")
        needs_staff = True
    elif inp.region == "brussels-fr":
        reasons.append(Reason("brussels-cocof", "brussels-cocof"))
        faq.append("insurance.brussels-cocof")
        needs_staff = True
    elif inp.region == "german":
        reasons.append(Reason("german-community", "german-community"))
        needs_staff = True

    # --- what remains the association's own responsibility -----------------------------------
    covered_by_free = status in ("eligible", "extra-activities-only")
    reasons.append(Reason("optional-covers", "optional-covers", {"free": covered_by_free}))
    recommended += ["bodily-accidents", "legal-aid"]
    faq.append("insurance.accident-injury")
    if inp.car:
        reasons.append(Reason("car", "car"))
        recommended.append("car-policy")
        faq.append("insurance.car")
    if inp.form in ("vzw", "foundation"):
        reasons.append(Reason("directors", "directors"))
        recommended.append("directors-liability")
        faq.append("liability.board-directors")
    if inp.welfare:
        outside = inp.region not in FLEMISH_AREA
        reasons.append(Reason("welfare-decree", "welfare-decree", {"outside": outside}))
        recommended.append("welfare-covers")
        faq.append("insurance.welfare-decree")
        needs_staff = needs_staff or outside
    if inp.minors:
        reasons.append(Reason("minors", "minors"))
        recommended.append("participants-accidents")
        needs_staff = True

    return InsuranceVerdict(
        input=inp,
        liability_insurance_required=liable,
        volunteers_protected=liable,
        exceptions=EXCEPTIONS if liable else (),
        flemish_free_insurance=status,
        flemish_limits=limits,
        reasons=tuple(reasons),
        recommended=tuple(dict.fromkeys(recommended)),
        needs_staff=needs_staff,
        faq=tuple(dict.fromkeys(faq)),
    )


def _flemish_free(inp: InsuranceInput) -> tuple[FreeStatus, list[Reason]]:
    """Eligibility for the free Flemish insurance (portal, Genk, Vlaanderen Vrijwilligt)."""
    rule = "flemish-free"
    if inp.region not in FLEMISH_AREA:
        return "not-eligible", [Reason("free-not-area", rule, {"region": inp.region})]
    if inp.form == "public":
        return "not-eligible", [Reason("free-public", rule)]
    if inp.staff:
        code = "free-staff-de-facto" if inp.form == "de-facto" else "free-staff"
        return "not-eligible", [Reason(code, rule)]
    if inp.umbrella and inp.form == "de-facto":
        return "extra-activities-only", [Reason("free-umbrella", rule)]
    if inp.umbrella:
        # The portal names local sections (and de facto associations tied to an umbrella);
        # for a vzw or foundation tied to one it says nothing: we do not guess.
        return "check", [Reason("free-umbrella-silent", "flemish-umbrella-silent")]
    code = "free-eligible-de-facto" if inp.form == "de-facto" else "free-eligible"
    return "eligible", [Reason(code, rule, {"region": inp.region}),
                        Reason("free-excluded-kinds", rule)]


def _limits(figures: Figures, today: date) -> FlemishLimits:
    values = [figures.value_on(name, today) for name in LIMIT_FIGURES]
    sources = tuple(dict.fromkeys(v.period.source for v in values if v.period is not None))
    hours, notice = (int(v.value) if v.value is not None else None for v in values)
    return FlemishLimits(hours=hours, notice_hours=notice, sources=sources)


# --- validation (python -m bot check) ----------------------------------------------------------


def rule_problems(figures: Figures | None = None, pairs: set[str] | None = None,
                  legal_keys: Mapping[str, Mapping[Language, str]] | None = None) -> list[str]:
    """Every rule names a source (a legal basis or a web page with an http(s) address), every
    legal key is worded in both languages, every figure and FAQ pair it uses exists."""
    problems: list[str] = []
    for rule in _RULES:
        if not rule.legal and not rule.sources:
            problems.append(f"insurance rule '{rule.id}' names no source")
        for source in rule.sources:
            if not source.title or not (source.url or "").startswith(("http://", "https://")):
                problems.append(f"insurance rule '{rule.id}': source {source.title!r} has no "
                                "http(s) address")
        for key in rule.legal:
            if legal_keys is not None and set(legal_keys.get(key, {})) != {"nl", "fr"}:
                problems.append(f"insurance rule '{rule.id}': legal basis '{key}' is not "
                                "worded in both languages")
        for name in rule.figures:
            if figures is not None and name not in figures:
                problems.append(f"insurance rule '{rule.id}': unknown figure '{name}'")
    if len(RULES) != len(_RULES):
        problems.append("insurance rules: duplicate rule id")
    if pairs is not None:
        problems += [f"insurance check: FAQ pair '{p}' not in faq/" for p in FAQ_PAIRS
                     if p not in pairs]
    return problems


# --- one answer at a time (a guided conversation, the console) ------------------------------

_YES = {"ja", "j", "yes", "y", "oui", "o", "true", "1"}
_NO = {"nee", "neen", "n", "no", "non", "false", "0"}
YES_NO: tuple[str, ...] = ("yes", "no")


def parse_choice(option: str, value: str | None, allowed: tuple[str, ...]) -> str:
    word = (value or "").strip().lower()
    if word not in allowed:
        raise InsuranceInputError(option, value or "", allowed)
    return word


def parse_yes_no(option: str, value: str | None) -> bool:
    word = (value or "").strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise InsuranceInputError(option, value or "", YES_NO)


# --- "does this free-text question look like an association asking about its duty?" ----------

_INSURANCE_WORDS = re.compile(r"\b(?:\w*verzeker\w*|assur\w*|polis|police)\b", re.IGNORECASE)
_ASSOCIATION_WORDS = re.compile(
    r"\b(?:vzw|asbl|vereniging\w*|\w*comit[eé]\w*|club\w*|stichting\w*|fondation\w*"
    r"|organisatie\w*|organisation\w*|association\w*|feitelijke|koepel\w*|f[ée]d[ée]ration\w*"
    r"|fa[iî]ti[eè]re\w*|onze|notre|nos|wij|we|nous|vrijwilligers|volontaires|b[ée]n[ée]voles)\b",
    re.IGNORECASE,
)
_DUTY_WORDS = re.compile(
    r"\b(?:moet\w*|verplicht\w*|nodig|plicht\w*|obligatoire\w*|oblig\w*|doi[st]\w*|devons"
    r"|doivent|faut|faire assurer|nemen|afsluiten|souscrire|nécessaire|necessaire)\b",
    re.IGNORECASE,
)


def looks_like_insurance_duty_question(text: str) -> bool:
    """"Moet onze vzw haar vrijwilligers verzekeren?", "Notre asbl doit-elle assurer ses
    volontaires ?": an insurance word, an association word and a duty word. Used to offer the
    guided check under the answer; a volunteer's "ben ik verzekerd?" does not qualify."""
    return all(p.search(text) for p in (_INSURANCE_WORDS, _ASSOCIATION_WORDS, _DUTY_WORDS))
