"""The console chat, driven through its standard input as a person would type."""

from tests.test_cli_ask import run_bot


def test_a_console_conversation_in_both_languages():
    typed = "\n".join([
        "hallo",
        "hoeveel mag ik per dag krijgen als vrijwilliger",
        "/doorsturen",
        "/langue fr",
        "les bénévoles sont-ils assurés ?",
        "/stop",
        "this line is never read",
    ])
    done = run_bot("chat", "--today", "2026-02-01", stdin=typed + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Hallo!" in out
    assert "€ 44,02" in out and "Geldig voor: 2026" in out
    assert "Zo zou je vraag naar een medewerker gaan:" in out
    assert "Question (nl): hoeveel mag ik per dag krijgen als vrijwilliger" in out
    assert "Langue : français." in out
    assert "responsabilité civile" in out
    assert "never read" not in out


def test_the_console_chat_ends_cleanly_at_end_of_input():
    done = run_bot("chat", "--today", "2026-02-01", stdin="")
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_a_clarification_is_answered_by_typing_its_number():
    """After 'which question do you mean?', typing 1 shows the first question's answer."""
    done = run_bot("chat", "--today", "2026-02-01", stdin="verzekering vrijwilliger\n1\n/stop\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Over welke vraag gaat het?" in out and "Typ 1, 2, 3 om te kiezen." in out
    chosen = out.split("Typ 1, 2, 3 om te kiezen.")[1]
    assert "burgerlijke aansprakelijkheid" in chosen and "Bronnen" in chosen
