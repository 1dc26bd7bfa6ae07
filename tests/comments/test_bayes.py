"""The learning spam filter: tokens, the in-memory model, held-out accuracy, the database."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from broadsheet.comments.models import Comment, SpamCorpus, SpamToken
from broadsheet.comments.spam import bayes
from broadsheet.comments.spam.bayes import MIN_EXAMPLES, NaiveBayes, evaluate, tokens
from tests.factories import ArticleFactory, CommentFactory

CORPUS = Path(__file__).resolve().parent.parent / "data" / "labelled_comments.csv"

SPAM = [
    "Buy cheap viagra and cialis online, no prescription: https://pills-now.net/order",
    "Best online casino bonus, 100 free spins, instant withdrawals! https://spin-palace.win",
    "Earn 30% a month with our crypto trading bot, guaranteed profit https://btc-profit.io",
    "Great post! Visit my site for cheap SEO backlinks www.rank-fast.biz",
    "Payday loans with no credit check, approved in minutes https://quick-loans.xyz/apply",
    "Cheap replica watches and cheap pills, free shipping, buy now https://bargains.top",
]
HAM = [
    "The frigate programme is two years late and the article explains why very clearly.",
    "Correction: the treaty was signed in 2010, not 2011. Otherwise a good summary.",
    "I served on a destroyer and the maintenance backlog described here matches my experience.",
    "Does the defence budget figure include pensions? The ministry counts them, I believe.",
    "The communiqué is published in full here: https://www.nato.int/cps/en/natohq/",
    "Sanctions were never enforced on shipping, which is where the money actually moved.",
]


def labelled_examples() -> list[tuple[str, bool]]:
    with CORPUS.open(encoding="utf-8", newline="") as file:
        return [(row["text"], row["label"] == "spam") for row in csv.DictReader(file)]


def trained_model() -> NaiveBayes:
    model = NaiveBayes()
    for text in SPAM:
        model.learn(tokens(text), is_spam=True)
    for text in HAM:
        model.learn(tokens(text), is_spam=False)
    return model


def long_text(words: list[str], length: int = 65_000) -> str:
    """Many distinct words (so each adds evidence) cycled from ``words``, ``length`` characters."""
    parts, size, number = [], 0, 0
    while size < length:
        part = f"{words[number % len(words)]}{number} "
        parts.append(part)
        size += len(part)
        number += 1
    return "".join(parts)[:length]


# Tokens


def test_words_are_lowercased_unicode_words_of_two_to_thirty_characters() -> None:
    found = tokens("NATO’s Élysée talks: Санкции работают, a 2024 x " + "z" * 31)
    assert {"nato", "élysée", "talks", "санкции", "работают", "2024"} <= found
    assert not {"x", "a", "s", "z" * 31} & found


def test_full_width_letters_are_read_as_ordinary_ones() -> None:
    assert "viagra" in tokens("ｖｉａｇｒａ")


def test_linked_hosts_and_the_website_field_become_domains_without_www() -> None:
    found = tokens(
        "See https://WWW.Gov.UK/guidance, http://user@news.example.com:8080/x and www.nato.int.",
        author_url="https://www.reader-blog.net/about",
    )
    domains = {token for token in found if token.startswith("domain:")}
    assert domains == {
        "domain:gov.uk",
        "domain:news.example.com",
        "domain:nato.int",
        "domain:reader-blog.net",
    }


def test_the_scheme_and_www_are_not_words_because_the_link_count_already_says_so() -> None:
    assert not {"https", "http", "www"} & tokens("https://www.reuters.com/world and www.bbc.co.uk")


def test_links_are_counted_in_buckets_and_the_website_field_is_not_a_link() -> None:
    def bucket(text: str, author_url: str = "") -> str:
        (found,) = {token for token in tokens(text, author_url) if token.startswith("links:")}
        return found

    assert bucket("no links here", author_url="https://reader.example.org") == "links:0"
    assert bucket("one https://a.example.org") == "links:1"
    assert bucket("two https://a.example.org and www.b.example.org") == "links:2"
    many = " ".join(f"https://site{n}.example.org" for n in range(7))
    assert bucket(many) == "links:3+"


# The in-memory model


def test_an_untrained_filter_abstains_until_it_has_seen_enough_of_each_label() -> None:
    model = NaiveBayes()
    assert model.spam_probability(tokens("anything")) is None
    for text in SPAM[: MIN_EXAMPLES - 1]:
        model.learn(tokens(text), is_spam=True)
    for text in HAM:
        model.learn(tokens(text), is_spam=False)
    assert model.spam_probability(tokens("anything")) is None
    model.learn(tokens(SPAM[-1]), is_spam=True)
    assert model.spam_probability(tokens("anything")) is not None


def test_a_trained_filter_ranks_obvious_spam_above_an_obvious_good_comment() -> None:
    model = trained_model()
    spam = model.spam_probability(tokens("Cheap viagra online, free casino spins! https://x.win"))
    good = model.spam_probability(tokens("The destroyer maintenance backlog is the real story."))
    assert spam is not None and good is not None
    assert 0.5 < spam <= 1.0
    assert 0.0 <= good < 0.5


def test_words_the_filter_has_never_seen_do_not_move_the_score() -> None:
    model = trained_model()
    model.learn(tokens("One more spam example about cheap pills"), is_spam=True)  # uneven labels
    text = "The frigate programme is late"
    padded = f"{text} zeppelin quokka telegraph marmalade"
    assert model.spam_probability(tokens(padded)) == model.spam_probability(tokens(text))


def test_unlearning_reverses_learning_exactly() -> None:
    model = trained_model()
    before = (dict(model.spam_counts), dict(model.ham_counts), model.spam_docs, model.ham_docs)
    extra = tokens("An unseen comment about submarines and https://new.example.org")
    model.learn(extra, is_spam=True)
    model.unlearn(extra, is_spam=True)
    assert (model.spam_counts, model.ham_counts, model.spam_docs, model.ham_docs) == before


@pytest.mark.parametrize(("words", "is_spam"), [(["cheap", "pills"], True), (["frigate"], False)])
def test_the_score_of_a_65000_character_comment_is_finite_and_a_probability(
    words: list[str], is_spam: bool
) -> None:
    text = long_text(words)
    model = trained_model()
    # Teach it the long text itself, so thousands of tokens all pull the same way.
    for _ in range(3):
        model.learn(tokens(text), is_spam=is_spam)
    probability = model.spam_probability(tokens(text))
    assert probability is not None and math.isfinite(probability)
    assert probability == pytest.approx(1.0 if is_spam else 0.0)


def test_evaluation_splits_the_same_way_for_the_same_seed() -> None:
    examples = labelled_examples()
    assert evaluate(examples, seed=3) == evaluate(examples, seed=3)


def test_the_labelled_corpus_has_two_balanced_labels() -> None:
    with CORPUS.open(encoding="utf-8", newline="") as file:
        labels = [row["label"] for row in csv.DictReader(file)]
    assert set(labels) == {"spam", "ham"}
    assert len(labels) >= 200
    assert abs(labels.count("spam") - labels.count("ham")) <= len(labels) // 10


def test_the_filter_is_at_least_90_percent_accurate_on_held_out_comments() -> None:
    examples = labelled_examples()
    result = evaluate(examples, train_fraction=0.7, seed=0)
    assert result["train"] + result["test"] == len(examples)
    assert result["accuracy"] >= 0.90


# The stored filter


def train(comments: list[Comment], label: str) -> None:
    for comment in comments:
        bayes.learn(comment, label)


@pytest.fixture
def trained_filter(db: None) -> tuple[list[Comment], list[Comment]]:
    article = ArticleFactory()
    spam = [CommentFactory(article=article, body=text) for text in SPAM]
    ham = [CommentFactory(article=article, body=text) for text in HAM]
    train(spam, "spam")
    train(ham, "ham")
    return spam, ham


def stored_counts() -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    counts = {
        row.token: (row.spam, row.ham) for row in SpamToken.objects.all() if row.spam or row.ham
    }
    corpus = SpamCorpus.objects.filter(pk=1).values_list("spam_comments", "ham_comments").first()
    return counts, corpus or (0, 0)


@pytest.mark.django_db
def test_the_stored_filter_abstains_before_any_training() -> None:
    assert bayes.spam_probability("Cheap viagra https://pills-now.net") is None


@pytest.mark.django_db
def test_the_stored_filter_scores_exactly_like_the_in_memory_model(trained_filter) -> None:
    text = "Cheap pills and a casino bonus, see https://spin-palace.win"
    expected = trained_model().spam_probability(tokens(text, "https://www.rank-fast.biz"))
    assert bayes.spam_probability(text, "https://www.rank-fast.biz") == pytest.approx(expected)
    spam, ham = trained_filter
    assert {comment.trained_as for comment in spam} == {"spam"}
    assert Comment.objects.get(pk=ham[0].pk).trained_as == "ham"


@pytest.mark.django_db
def test_scoring_reads_the_corpus_and_the_comment_tokens_in_two_queries(
    trained_filter, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        probability = bayes.spam_probability(long_text(["cheap", "frigate", "casino"]))
    assert probability is not None and 0.0 <= probability <= 1.0


@pytest.mark.django_db
def test_learning_the_same_label_twice_changes_nothing(trained_filter) -> None:
    spam, _ = trained_filter
    before = stored_counts()
    bayes.learn(spam[0], "spam")
    stale_copy = Comment.objects.get(pk=spam[1].pk)
    stale_copy.trained_as = ""  # another moderator's page loaded before the first decision
    bayes.learn(stale_copy, "spam")
    assert stored_counts() == before
    assert stale_copy.trained_as == "spam"


@pytest.mark.django_db
def test_relabelling_a_comment_moves_its_counts_to_the_other_label() -> None:
    comment = CommentFactory(body="Lovely frigate story", author_url="https://reader.example.org")
    bayes.learn(comment, "spam")
    assert stored_counts()[1] == (1, 0)
    bayes.learn(comment, "ham")
    counts, corpus = stored_counts()
    assert corpus == (0, 1)
    assert counts == {token: (0, 1) for token in tokens(comment.body, comment.author_url)}
    assert Comment.objects.get(pk=comment.pk).trained_as == "ham"


@pytest.mark.django_db
def test_forgetting_a_comment_undoes_its_training(trained_filter) -> None:
    spam, _ = trained_filter
    before = stored_counts()
    extra = CommentFactory(body="Brand new words: zeppelin telegraph https://odd.example.net")
    bayes.learn(extra, "spam")
    bayes.forget(extra)
    assert stored_counts() == before
    assert Comment.objects.get(pk=extra.pk).trained_as == ""
    bayes.forget(extra)  # forgetting twice is harmless
    assert stored_counts() == before


@pytest.mark.django_db
def test_a_deleted_comment_is_forgotten_by_its_remembered_label(trained_filter) -> None:
    spam, _ = trained_filter
    comment = spam[0]
    Comment.objects.filter(pk=comment.pk).delete()
    bayes.forget(comment)
    assert stored_counts()[1] == (len(SPAM) - 1, len(HAM))


@pytest.mark.django_db
def test_an_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="label"):
        bayes.learn(CommentFactory(), "maybe")
