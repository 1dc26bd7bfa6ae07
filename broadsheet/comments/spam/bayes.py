"""The learning spam filter: naive Bayes over a comment's words and link domains.

Moderators teach it: marking a comment spam or approving it calls ``learn()``, which adds the
comment's tokens to per-token counts stored in ``SpamToken``. Scoring a new comment reads only
the rows for its own tokens, so the cost does not grow with the size of the training history.

The model is Bernoulli naive Bayes restricted to the tokens a comment contains: each token counts
once however often it appears, and tokens the filter has never seen are ignored, so a long comment
full of unfamiliar words is not pushed towards whichever label has fewer examples.

The pure part (``tokens``, ``NaiveBayes``, ``evaluate``) needs no database; models are imported
inside the database functions so it can be used, and tested, without the app registry.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

if TYPE_CHECKING:
    from broadsheet.comments.models import Comment

# Below this many examples of either label the filter abstains: a handful of decisions says more
# about the moderator's week than about spam.
MIN_EXAMPLES = 5
LABELS = ("spam", "ham")
# SpamToken.token's max_length; a longer token would be refused by PostgreSQL.
MAX_TOKEN_LENGTH = 100

_WORD = re.compile(r"[^\W_]+")  # Unicode letters and digits
_URL_HOST = re.compile(r"\bhttps?://(?:[^\s/?#@]*@)?([\w.-]+)", re.IGNORECASE)
# A bare "www." host; the look-behind skips the "www." inside a URL matched above.
_BARE_WWW = re.compile(r"(?<![\w./:@-])www\.[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# "https" and "www" would repeat what links:N already says, and naive Bayes would count it twice.
_LINK_PREFIX = re.compile(r"\bhttps?://(?:www\.)?|\bwww\.", re.IGNORECASE)


def _domain_token(host: str) -> str | None:
    host = host.lower().strip(".-").removeprefix("www.")
    return f"domain:{host}"[:MAX_TOKEN_LENGTH] if "." in host else None


def _url_host(url: str) -> str:
    try:
        return urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # e.g. an unbalanced IPv6 bracket: no usable host
        return ""


def tokens(text: str, author_url: str = "") -> set[str]:
    """The features of a comment: its words, the domains it links to, and how many links it has.

    Words are lowercased runs of letters and digits of 2 to 30 characters (longer runs are
    usually hashes or glued-together junk). Each linked host, and the commenter's website, gives
    ``domain:<host>`` without ``www.``. ``links:0``, ``links:1``, ``links:2`` or ``links:3+``
    counts the links in the text (not the website field, which honest commenters fill in too).
    """
    # NFKC folds the full-width and ligature letters spammers use to dodge word lists.
    text = unicodedata.normalize("NFKC", text or "")
    words = _WORD.findall(_LINK_PREFIX.sub(" ", text.lower()))
    found = {word for word in words if 2 <= len(word) <= 30}
    hosts = _URL_HOST.findall(text) + _BARE_WWW.findall(text)
    if author_url:
        hosts.append(_url_host(author_url.strip()))
    found.update(token for host in hosts if (token := _domain_token(host)))
    links = len(hosts) - (1 if author_url else 0)
    found.add(f"links:{links}" if links < 3 else "links:3+")
    return found


def _logistic(log_odds: float) -> float:
    # Two branches so math.exp never sees a large positive argument, however long the comment.
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


class NaiveBayes:
    """Token counts per label, and the spam probability they imply. In memory, no database."""

    def __init__(
        self,
        spam_counts: dict[str, int] | None = None,
        ham_counts: dict[str, int] | None = None,
        spam_docs: int = 0,
        ham_docs: int = 0,
    ) -> None:
        self.spam_counts = dict(spam_counts or {})
        self.ham_counts = dict(ham_counts or {})
        self.spam_docs = spam_docs
        self.ham_docs = ham_docs

    def learn(self, token_set: set[str], is_spam: bool) -> None:
        counts = self.spam_counts if is_spam else self.ham_counts
        for token in token_set:
            counts[token] = counts.get(token, 0) + 1
        if is_spam:
            self.spam_docs += 1
        else:
            self.ham_docs += 1

    def unlearn(self, token_set: set[str], is_spam: bool) -> None:
        """Undo ``learn()``; counts stop at zero and zeroed tokens are dropped."""
        counts = self.spam_counts if is_spam else self.ham_counts
        for token in token_set:
            left = counts.get(token, 0) - 1
            if left > 0:
                counts[token] = left
            else:
                counts.pop(token, None)
        if is_spam:
            self.spam_docs = max(0, self.spam_docs - 1)
        else:
            self.ham_docs = max(0, self.ham_docs - 1)

    def spam_probability(self, token_set: set[str]) -> float | None:
        """P(spam | tokens) in [0, 1], or None until it has MIN_EXAMPLES of each label."""
        if self.spam_docs < MIN_EXAMPLES or self.ham_docs < MIN_EXAMPLES:
            return None
        log_odds = math.log(self.spam_docs / self.ham_docs)
        # Laplace smoothing of "a comment of this label contains the token": (n + 1) / (docs + 2).
        spam_total = math.log(self.spam_docs + 2)
        ham_total = math.log(self.ham_docs + 2)
        for token in token_set:
            # min(): counts can outrun docs if a comment was edited between learn and forget.
            spam = min(self.spam_counts.get(token, 0), self.spam_docs)
            ham = min(self.ham_counts.get(token, 0), self.ham_docs)
            if spam or ham:
                log_odds += math.log(spam + 1) - spam_total - math.log(ham + 1) + ham_total
        return min(1.0, max(0.0, _logistic(log_odds)))


def evaluate(
    examples: list[tuple[str, bool]], train_fraction: float = 0.7, seed: int = 0
) -> dict[str, float]:
    """Held-out quality of the filter on ``(text, is_spam)`` pairs.

    Shuffles with ``seed`` (so the split is reproducible), trains on the first ``train_fraction``
    and predicts spam at p >= 0.5 on the rest; an abstaining filter counts as predicting ham.
    Returns accuracy, precision and recall for the spam label, and the train and test sizes.
    """
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    cut = round(len(shuffled) * train_fraction)
    train, test = shuffled[:cut], shuffled[cut:]
    model = NaiveBayes()
    for text, is_spam in train:
        model.learn(tokens(text), is_spam)
    hits = true_spam = predicted_spam = actual_spam = 0
    for text, is_spam in test:
        probability = model.spam_probability(tokens(text))
        predicted = probability is not None and probability >= 0.5
        hits += predicted == is_spam
        true_spam += predicted and is_spam
        predicted_spam += predicted
        actual_spam += is_spam
    return {
        "accuracy": hits / len(test) if test else 0.0,
        "precision": true_spam / predicted_spam if predicted_spam else 0.0,
        "recall": true_spam / actual_spam if actual_spam else 0.0,
        "train": len(train),
        "test": len(test),
    }


def spam_probability(text: str, author_url: str = "") -> float | None:
    """The stored filter's verdict on a comment not yet trained on; None while it is untrained."""
    from broadsheet.comments.models import SpamCorpus, SpamToken

    corpus = SpamCorpus.objects.filter(pk=1).values_list("spam_comments", "ham_comments").first()
    if corpus is None or min(corpus) < MIN_EXAMPLES:
        return None
    token_set = tokens(text, author_url)
    spam_counts: dict[str, int] = {}
    ham_counts: dict[str, int] = {}
    rows = SpamToken.objects.filter(token__in=token_set).values_list("token", "spam", "ham")
    for token, spam, ham in rows:
        spam_counts[token] = spam
        ham_counts[token] = ham
    model = NaiveBayes(spam_counts, ham_counts, spam_docs=corpus[0], ham_docs=corpus[1])
    return model.spam_probability(token_set)


def _count(token_set: set[str], label: str, step: int) -> None:
    """Add ``step`` (+1 or -1) to the label's count for each token and for the corpus."""
    from broadsheet.comments.models import SpamCorpus, SpamToken

    # The columns are named after the labels: SpamToken.spam/.ham, SpamCorpus.spam_comments/...
    corpus_field = f"{label}_comments"
    if step > 0:
        # Create what is missing, then increment in the database: two moderators training at
        # once both insert (one is ignored) and both increments land.
        SpamToken.objects.bulk_create(
            [SpamToken(token=token) for token in token_set], ignore_conflicts=True
        )
        SpamCorpus.objects.bulk_create([SpamCorpus(pk=1)], ignore_conflicts=True)
        tokens_to_change = SpamToken.objects.filter(token__in=token_set)
        corpus = SpamCorpus.objects.filter(pk=1)
    else:
        # Never below zero: the columns are unsigned, and an edited comment may not match.
        tokens_to_change = SpamToken.objects.filter(token__in=token_set, **{f"{label}__gt": 0})
        corpus = SpamCorpus.objects.filter(pk=1, **{f"{corpus_field}__gt": 0})
    tokens_to_change.update(**{label: F(label) + step})
    corpus.update(**{corpus_field: F(corpus_field) + step})


def _stored_label(comment: Comment) -> str | None:
    """The comment's ``trained_as`` as stored, row locked; None if the row is gone."""
    if comment.pk is None:
        raise ValueError("Save the comment before training the filter on it.")
    # Re-read under a lock so two moderators acting at once cannot both count the comment.
    rows = type(comment).objects.select_for_update().filter(pk=comment.pk)
    return rows.values_list("trained_as", flat=True).first()


def learn(comment: Comment, label: str) -> None:
    """Train the filter on a moderator's decision; ``label`` is "spam" or "ham".

    Idempotent: a comment already trained with this label changes nothing, and one trained with
    the other label is moved, so it is never counted twice. Train on the body as it stands and
    ``forget()`` before editing a trained comment, or its tokens will not be subtracted exactly.
    """
    if label not in LABELS:
        raise ValueError(f"label must be one of {LABELS}, not {label!r}")
    with transaction.atomic():
        current = _stored_label(comment)
        if current is None:
            raise type(comment).DoesNotExist(f"Comment {comment.pk} is not in the database.")
        comment.trained_as = current
        if current == label:
            return
        token_set = tokens(comment.body, comment.author_url)
        if current:
            _count(token_set, current, -1)
        _count(token_set, label, +1)
        comment.trained_as = label
        comment.save(update_fields=["trained_as"])


def forget(comment: Comment) -> None:
    """Undo the comment's training, e.g. when it is deleted or sent back to pending or trash.

    Call it before deleting the row (a ``pre_delete`` handler); for a row already deleted it
    falls back to the in-memory ``trained_as``.
    """
    with transaction.atomic():
        current = _stored_label(comment)
        label = comment.trained_as if current is None else current
        if label in LABELS:
            _count(tokens(comment.body, comment.author_url), label, -1)
        comment.trained_as = ""
        if current:
            comment.save(update_fields=["trained_as"])
