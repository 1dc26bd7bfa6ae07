"""Time one-word searches over a throwaway site of N articles. A benchmark, not a test.

    .venv/bin/python bench/search_bench.py --articles 100000

Runs on SQLite in a temporary data directory, or on PostgreSQL when DATABASE_URL is set (in a
throwaway database created next to the one named, and dropped afterwards). Articles are made
from a Zipf-distributed vocabulary and written with bulk inserts; the index is then built by
``rebuild_index`` (what ``broadsheet search reindex`` runs) and each word of a list spread
across the vocabulary's frequencies is searched through the backend, as the search page
does, and through the whole page. Prints one row per word and the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTION_WORDS = """the of and to a in that is was for on with as by at from said it his be has
have are not but an they were had which this after who its been would their more will also
over into than two about""".split()
SYLLABLES = """ka lo mi ne ru sa ti vo de pa gri tor lan mek sul bar fen dro qua zel bri cas dun
eth fal gor hin jus kel mor nix ost pry ren sto tul vig wen""".split()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--queries", type=int, default=50, help="words to search (default 50)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per word (default 3)")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument(
        "--keep", action="store_true", help="keep the throwaway database, to look into it"
    )
    return parser.parse_args()


def set_up_django(data_dir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["BROADSHEET_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings"
    os.environ.setdefault("BROADSHEET_LOG_LEVEL", "warning")
    import django

    django.setup()


class Corpus:
    """News-shaped text: frequent function words, and a long tail of made-up content words
    drawn by Zipf's law, so that some words are in most articles and most are in few."""

    def __init__(self, seed: int, vocabulary_size: int = 20_000) -> None:
        self.random = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocabulary_size:
            words.add("".join(self.random.choices(SYLLABLES, k=self.random.randint(2, 4))))
        self.vocabulary = sorted(words)
        self.random.shuffle(self.vocabulary)  # rank order: vocabulary[0] is the most common
        weights = [1 / (rank + 1) for rank in range(vocabulary_size)]
        self.cumulative = list(itertools.accumulate(weights))
        self.sentences = [self._sentence() for _ in range(20_000)]

    def words(self, count: int) -> list[str]:
        return self.random.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def _sentence(self) -> str:
        content = self.words(self.random.randint(5, 11))
        function = self.random.choices(FUNCTION_WORDS, k=len(content))
        mixed = [word for pair in zip(function, content, strict=True) for word in pair]
        return " ".join(mixed).capitalize() + "."

    def title(self) -> str:
        return " ".join(self.words(self.random.randint(5, 9))).capitalize()

    def body_html(self) -> str:
        paragraphs = (
            " ".join(self.random.choices(self.sentences, k=self.random.randint(3, 5)))
            for _ in range(self.random.randint(3, 5))
        )
        return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)

    def query_words(self, count: int) -> list[str]:
        """``count`` content words at ranks spread evenly on a log scale, common to rare."""
        top = len(self.vocabulary) - 1
        ranks = sorted({round(top ** (step / max(1, count - 1))) for step in range(count)})
        return [self.vocabulary[rank] for rank in ranks]


def build_site(corpus: Corpus, articles: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from broadsheet.content.models import Article, Author, Format, SiteSettings, Status

    SiteSettings.objects.get_or_create(pk=1)
    author = Author.objects.create(display_name="Bench Reporter", slug="bench")
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=3650)
    step = dt.timedelta(days=3650) / max(1, articles)
    for first in range(0, articles, 2000):
        batch = []
        for number in range(first, min(first + 2000, articles)):
            published_at = start + step * number
            body_html = corpus.body_html()
            batch.append(
                Article(
                    title=corpus.title(),
                    slug=f"article-{number}",
                    body_format=Format.HTML,
                    body=body_html,
                    body_html=body_html,
                    summary="",
                    author=author,
                    status=Status.PUBLISHED,
                    published_at=published_at,
                    published_on=published_at.date(),
                )
            )
        with transaction.atomic():
            Article.objects.bulk_create(batch)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def rows(corpus: Corpus, words: list[str], repeat: int) -> Iterator[tuple[str, str, float, float]]:
    from django.test import Client

    from broadsheet.search.backends import get_backend
    from broadsheet.search.query import parse_query

    backend = get_backend()
    client = Client(HTTP_HOST="127.0.0.1")
    for word in words:  # warm up: caches, prepared plans, the page's templates
        backend.search(parse_query(word), offset=0, limit=10)
        client.get("/search/", {"q": word})
    for word in words:
        results = backend.search(parse_query(word), offset=0, limit=10)
        matches = f"{results.total:,}{'+' if results.more else ''}"
        search_ms = statistics.median(
            timed(lambda w=word: backend.search(parse_query(w), offset=0, limit=10))
            for _ in range(repeat)
        )
        page_ms = statistics.median(
            timed(lambda w=word: client.get("/search/", {"q": w})) for _ in range(repeat)
        )
        yield word, matches, search_ms, page_ms


def main() -> None:
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-search-bench-"))
    set_up_django(data_dir)
    from django.core.management import call_command
    from django.db import connection

    from broadsheet.search.indexing import rebuild_index

    call_command("collectstatic", interactive=False, verbosity=0)  # the page needs its manifest

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(data_dir / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"broadsheet_search_bench_{os.getpid()}"
    out = sys.stdout
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        out.write(f"Engine: {connection.vendor}, database {connection.settings_dict['NAME']}\n")
        corpus = Corpus(args.seed)
        started = time.perf_counter()
        build_site(corpus, args.articles)
        out.write(f"Inserted {args.articles:,} articles in {time.perf_counter() - started:.1f} s\n")
        started = time.perf_counter()
        counts = rebuild_index()
        out.write(
            f"Indexed {counts.articles:,} articles in {time.perf_counter() - started:.1f} s\n\n"
        )

        words = corpus.query_words(args.queries)
        out.write(f"{'word':<16}{'matches':>10}{'search ms':>12}{'page ms':>10}\n")
        results = []
        for word, matches, search_ms, page_ms in rows(corpus, words, args.repeat):
            results.append((search_ms, page_ms))
            out.write(f"{word:<16}{matches:>10}{search_ms:>12.1f}{page_ms:>10.1f}\n")
        searches = sorted(search for search, _ in results)
        pages = sorted(page for _, page in results)
        out.write(
            f"\n{len(results)} one-word queries over {args.articles:,} articles "
            f"(median of {args.repeat} runs each):\n"
            f"  backend search: median {statistics.median(searches):.1f} ms, "
            f"90th percentile {searches[int(len(searches) * 0.9) - 1]:.1f} ms, "
            f"max {searches[-1]:.1f} ms\n"
            f"  whole page:     median {statistics.median(pages):.1f} ms, "
            f"90th percentile {pages[int(len(pages) * 0.9) - 1]:.1f} ms, max {pages[-1]:.1f} ms\n"
        )
        out.write("\nWords in nearly every article (not in the medians above):\n")
        for word, matches, search_ms, page_ms in rows(corpus, ["the", "and", "said"], args.repeat):
            out.write(f"{word:<16}{matches:>10}{search_ms:>12.1f}{page_ms:>10.1f}\n")
    finally:
        if args.keep:
            out.write(f"\nKept {connection.settings_dict['NAME']} (data in {data_dir}).\n")
        else:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
