"""`python -m bot bench`: numbers only – build time, answer latency, memory, at 1x/10x/100x.

Nothing in the test suite asserts timings; this command is where speed is measured.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from dataclasses import replace

from bot.commands._common import add_today, knowledge_dir, today_from
from bot.core.assistant import Assistant
from bot.core.knowledge import KnowledgeBase, load_knowledge_base
from bot.core.model import Entry
from bot.core.render import Renderer

HELP = "benchmark: index build, answer latency p50/p99 (1x, 10x, 100x base), memory; --telegram"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions", type=int, default=3000, help="questions per measurement")
    parser.add_argument("--scales", default="1,10,100", help="knowledge-base sizes to measure")
    parser.add_argument("--telegram", action="store_true",
                        help="simulate many Telegram users through the fake Bot API server")
    parser.add_argument("--users", type=int, default=200, help="(--telegram) simulated users")
    parser.add_argument("--per-user", type=int, default=10, help="(--telegram) questions each")
    parser.add_argument("--report", action="store_true",
                        help="time the weekly report (python -m bot report) on a year of history")
    add_today(parser)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"p50 {statistics.median(values) * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"


def synthetic(kb: KnowledgeBase, factor: int, seed: int = 7) -> KnowledgeBase:
    """The base enlarged `factor` times with plausible entries: each copy reshuffles an
    entry's phrasing and swaps in words from elsewhere in the same language."""
    rng = random.Random(seed)
    words: dict[str, list[str]] = {"nl": [], "fr": []}
    for e in kb.entries.values():
        words[e.lang].extend(e.question.split())

    def scramble(text: str, lang: str) -> str:
        parts = text.split()
        rng.shuffle(parts)
        for i in range(len(parts)):
            if rng.random() < 0.3:
                parts[i] = rng.choice(words[lang])
        return " ".join(parts)

    entries = dict(kb.entries)
    for n in range(1, factor):
        for e in kb.entries.values():
            copy: Entry = replace(
                e, id=f"{e.id}~{n}", pair=f"{e.pair}~{n}",
                question=scramble(e.question, e.lang),
                variants=tuple(scramble(v, e.lang) for v in e.variants),
            )
            entries[copy.id] = copy
    return KnowledgeBase(entries, kb.figures, kb.root)


def _questions(kb: KnowledgeBase, count: int) -> list[tuple[str, str]]:
    pool = [(v, e.lang) for e in kb.entries.values() for v in (e.question, *e.variants)]
    try:
        from bot.evaluation import load_items

        items = load_items(kb.root / "tests" / "eval", kb.entries)
        pool += [(i.question, "fr" if i.lang == "fr" else "nl") for i in items]
    except (OSError, ValueError):
        pass  # an installed package has no evaluation set; the entries' own questions suffice
    rng = random.Random(1)
    return [rng.choice(pool) for _ in range(count)]


def run(args: argparse.Namespace) -> int:
    if args.telegram:
        from bot.commands.bench_telegram import run_telegram_bench

        return run_telegram_bench(args)
    if args.report:
        from bot.commands.bench_report import run_report_bench

        return run_report_bench(args)
    today = today_from(args)
    started = time.perf_counter()
    kb = load_knowledge_base(knowledge_dir(), today=today)
    loaded = time.perf_counter()
    Renderer(kb.figures).validate(list(kb.entries.values()))
    checked = time.perf_counter()
    assistant = Assistant(kb, validate_templates=False)
    built = time.perf_counter()
    print(f"bundled base: {len(kb.entries)} entries")
    print(f"load + validate YAML: {(loaded - started) * 1000:.1f} ms; "
          f"render every answer on every figure period: {(checked - loaded) * 1000:.1f} ms; "
          f"index build (analysis + BM25, both languages): {(built - checked) * 1000:.1f} ms; "
          f"total start-up {(built - started) * 1000:.1f} ms")
    print(f"peak memory after start-up: {_rss_mb():.1f} MB")
    questions = _questions(kb, args.questions)
    for factor in (int(s) for s in args.scales.split(",")):
        big = assistant
        if factor > 1:
            t0 = time.perf_counter()
            big = Assistant(synthetic(kb, factor), validate_templates=False)
            print(f"\n{factor}x base: {len(big.kb.entries)} entries, index build "
                  f"{(time.perf_counter() - t0) * 1000:.0f} ms")
        else:
            print("\n1x base")
        for q, lang in questions[:200]:  # warm caches the way a running bot has them
            big.ask(q, chat_lang=lang, today=today)  # type: ignore[arg-type]
        latencies = []
        for q, lang in questions:
            t0 = time.perf_counter()
            big.ask(q, chat_lang=lang, today=today)  # type: ignore[arg-type]
            latencies.append(time.perf_counter() - t0)
        print(f"  whole answer path over {len(latencies)} questions: {_ms(latencies)}")
        index = big.indexes["nl"]
        terms = [index.analyzer.query_terms(q) for q, lang in questions[:300] if lang == "nl"]
        fast, ref = [], []
        for query in terms:
            t0 = time.perf_counter()
            index.index.scores(query)
            fast.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            index.index.reference_scores(query)
            ref.append(time.perf_counter() - t0)
        print(f"  BM25 scoring, nl index ({index.index.size} docs): fast path {_ms(fast)}; "
              f"rank-bm25 get_scores {_ms(ref)}")
        print(f"  peak memory so far: {_rss_mb():.1f} MB")
    return 0
