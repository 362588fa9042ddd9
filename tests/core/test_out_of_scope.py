"""Near-domain questions that are not our subject go to a staff member; volunteering
questions that only mention a wage, a benefit or an employer still get their entry."""

from dataclasses import replace

import pytest

from bot.core.decide import Signals, Thresholds, decide
from bot.core.retrieval import Alongside, BM25Index

# Their main subject is employment, a student job, an employer's allowance, association law,
# members' data, subsidies or the tax on gifts: answering them with the nearest volunteering
# entry ("volunteers may stop at any time") would mislead.
NOT_OUR_SUBJECT = [
    "hoeveel weken opzeg moet ik geven als ik na vijf jaar zelf ontslag neem bij mijn werkgever?",
    "mijn baas vraagt elke zaterdag gratis overuren in de winkel, mag dat?",
    "hoeveel uren mag ik dit jaar nog werken als jobstudent?",
    "krijg ik een fietsvergoeding van mijn werkgever voor woon-werkverkeer?",
    "mogen we de ledenlijst van onze voetbalclub aan een sponsor geven?",
    "hoe vragen we een werkingssubsidie aan bij de gemeente voor onze jeugdvereniging?",
    "is een gift aan een vzw fiscaal aftrekbaar?",
    "combien de semaines de préavis si je démissionne après cinq ans chez mon employeur ?",
    "mon chef veut que je fasse des heures en plus gratuitement au travail, c'est permis ?",
    "mon employeur doit-il me payer une indemnité vélo pour venir au travail ?",
    "pouvons-nous donner le fichier de nos membres à un sponsor ?",
    "comment demander un subside à la commune pour notre club ?",
    "un don à une asbl donne-t-il droit à une réduction d'impôt ?",
]

# Same words (employer, bicycle allowance, child benefit, health fund), but about volunteering.
STILL_OURS = [
    ("ik werk bij een vzw, mag ik daar in het weekend ook als vrijwilliger helpen?",
     "definition.employee-same-organisation.nl"),
    ("welke fietsvergoeding per kilometer mag een vrijwilliger krijgen?",
     "allowances.bicycle-km-rate.nl"),
    ("verliest mijn dochter het groeipakket als ze vrijwilligerswerk doet?",
     "benefits-and-status.child-benefit.nl"),
    ("mag ik vrijwilligerswerk doen als ik een ziekte-uitkering van de mutualiteit krijg?",
     "benefits-and-status.sickness-invalidity.nl"),
    ("combien un volontaire peut-il recevoir par jour ?", "allowances.flat-rate-ceiling.fr"),
]


@pytest.mark.parametrize("question", NOT_OUR_SUBJECT)
def test_a_question_whose_main_subject_we_do_not_cover_goes_to_staff(assistant, today, question):
    reply = assistant.ask(question, today=today)
    assert reply.action == "escalate" and reply.entry_id is None, reply.reason
    assert "out-of-scope ratio" in reply.reason


@pytest.mark.parametrize(("question", "entry_id"), STILL_OURS)
def test_a_volunteering_question_that_mentions_work_or_a_benefit_gets_its_entry(
    assistant, today, question, entry_id
):
    reply = assistant.ask(question, today=today)
    assert reply.action == "answer", reply.reason
    assert reply.entry_id == entry_id


def test_a_subject_as_a_whole_meets_words_spread_over_its_phrasings():
    """'student contract' and 'notice period' are two phrasings of one subject: the subject as
    one document holds both, so it scores higher than either phrasing alone."""
    entries = [["vrijwilliger", "stoppen", "opzeg"] * 3, ["vrijwilliger", "verzekering"] * 3]
    phrasings = [["studentencontract", "jobstudent"], ["opzegtermijn", "ontslag"]]
    index = BM25Index(entries + phrasings)
    whole = Alongside(index, [[t for p in phrasings for t in p]])
    query = ["studentencontract", "opzegtermijn"]
    assert whole.scores(query)[0] > index.scores(query)[len(entries):].max()


def test_scoring_alongside_leaves_the_index_as_it_was():
    """Scored alongside, a document gets exactly the score it would get in the index, and
    the index's own scores (the entries' ranking) do not move."""
    docs = [["vrijwilliger", "loon", "opzeg"], ["vrijwilliger", "verzekering", "ongeval"] * 2]
    index = BM25Index(docs)
    query = ["loon", "opzeg", "verzekering"]
    before = index.scores(query).tolist()
    alongside = Alongside(index, [docs[0], docs[1]])
    assert alongside.scores(query).tolist() == pytest.approx(before)
    assert index.scores(query).tolist() == before


STRICTER_WHEN_UNNAMED = Thresholds(
    min_coverage=0.3, min_strength=0.0, min_margin=0.0,
    max_out_of_scope_ratio=0.8, max_out_of_scope_ratio_unnamed=0.7,
)


def _signals(ratio: float, names_volunteering: bool) -> Signals:
    return Signals(coverage=0.9, strength=0.9, margin=0.5, matched_words=3, close_runners_up=0,
                   out_of_scope_ratio=ratio, names_volunteering=names_volunteering)


def test_a_question_that_names_no_volunteering_loses_to_a_close_out_of_scope_subject():
    """'Hoeveel bedraagt een invaliditeitsuitkering?' names no volunteering: a benefit-amount
    subject scoring 75% of the best entry is enough to send it to staff, while the same
    closeness does not take a volunteer's own benefit question away from its entry."""
    action, reason = decide(_signals(0.75, names_volunteering=False), STRICTER_WHEN_UNNAMED)
    assert action == "escalate" and "names no volunteering" in reason
    assert decide(_signals(0.75, names_volunteering=True), STRICTER_WHEN_UNNAMED)[0] == "answer"


def test_the_ratio_for_unnamed_questions_is_never_laxer_than_the_general_one():
    laxer = replace(STRICTER_WHEN_UNNAMED, max_out_of_scope_ratio_unnamed=1.5)
    assert decide(_signals(0.9, names_volunteering=False), laxer)[0] == "escalate"


def test_a_question_without_volunteering_words_carries_that_in_its_signals(assistant, today):
    unnamed = assistant.route("hoeveel bedraagt een invaliditeitsuitkering?", chat_lang=None,
                              today=today)
    named = assistant.route("mag ik vrijwilliger zijn met een invaliditeitsuitkering?",
                            chat_lang=None, today=today)
    assert unnamed.search is not None and named.search is not None
    assert not unnamed.search.signals.names_volunteering
    assert named.search.signals.names_volunteering
