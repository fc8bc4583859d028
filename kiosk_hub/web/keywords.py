"""Keywords of the written answers: nouns by topic and by week, and the terms that are rising.

Nouns come from Kiwi (`kiwipiepy`, a Korean morphological analyser whose model ships as the PyPI
package `kiwipiepy_model`): common and proper nouns (NNG, NNP) and foreign words (SL) of two
characters or more. Without kiwipiepy the fallback takes runs of Hangul or Latin letters and cuts
a trailing particle from a short list: cruder (verbs stay in), but the page keeps working.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from kiosk_hub.web.pages import SEOUL

NOUN_TAGS = {"NNG", "NNP", "SL"}
STOP = {"의견", "생각", "정도", "부분", "경우", "문제", "때문", "우리", "사람", "정말", "하나"}
_PARTICLES = sorted(
    ["은", "는", "이", "가", "을", "를", "에", "에서", "에게", "으로", "로", "와", "과", "도",
     "의", "만", "까지", "부터", "처럼", "보다", "이나", "나", "하고", "이랑", "랑"],
    key=len, reverse=True,
)  # fmt: skip
_WORD = re.compile(r"[가-힣]{2,}|[A-Za-z]{3,}")

_kiwi: Any = None
_kiwi_lock = threading.Lock()


def analyser_name() -> str:
    return "kiwipiepy" if _load() is not None else "fallback"


def _load() -> Any:
    """The Kiwi instance, made once per process (loading the model takes a few seconds)."""
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            try:
                from kiwipiepy import Kiwi
            except ImportError:
                _kiwi = False
            else:
                _kiwi = Kiwi()
    return _kiwi or None


def nouns(texts: list[str]) -> list[list[str]]:
    """The nouns of each text, in order (repeats kept)."""
    kiwi = _load()
    if kiwi is None:
        return [_fallback(text) for text in texts]
    found = []
    for tokens in kiwi.tokenize(texts):
        found.append(
            [
                t.form.lower() if t.tag == "SL" else t.form
                for t in tokens
                if t.tag in NOUN_TAGS and len(t.form) >= 2 and t.form not in STOP
            ]
        )
    return found


def _fallback(text: str) -> list[str]:
    words = []
    for word in _WORD.findall(text):
        for particle in _PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                word = word[: -len(particle)]
                break
        if word not in STOP:
            words.append(word.lower())
    return words


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week in Seoul."""
    day = moment.astimezone(SEOUL).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Rising:
    term: str
    latest: int
    before: float  # mean count per earlier week
    ratio: float


@dataclass(frozen=True)
class Analysis:
    analyser: str
    texts: int
    by_topic: dict[str, list[tuple[str, int]]]
    weeks: list[date]
    by_week: dict[date, list[tuple[str, int]]]
    rising: list[Rising]


def analyse(
    items: Iterable[tuple[datetime, str | None, str]], weeks: list[date], top: int = 12
) -> Analysis:
    """Items are (submitted at, topic or None, text); `weeks` are the Mondays to report."""
    rows = list(items)
    per_text = nouns([text for _, _, text in rows])
    topic_counts: dict[str, Counter[str]] = {}
    week_counts: dict[date, Counter[str]] = {week: Counter() for week in weeks}
    for (moment, topic, _), terms in zip(rows, per_text, strict=True):
        topic_counts.setdefault(topic or "-", Counter()).update(terms)
        week = week_of(moment)
        if week in week_counts:
            week_counts[week].update(terms)
    rising: list[Rising] = []
    if len(weeks) >= 2:
        latest = week_counts[weeks[-1]]
        earlier = [week_counts[w] for w in weeks[:-1]]
        for term, count in latest.items():
            before = sum(c[term] for c in earlier) / len(earlier)
            ratio = (count + 1) / (before + 1)
            if count >= 2 and ratio >= 1.5:
                rising.append(Rising(term, count, round(before, 2), round(ratio, 2)))
        rising.sort(key=lambda r: (-r.ratio, -r.latest, r.term))
    return Analysis(
        analyser=analyser_name(),
        texts=len(rows),
        by_topic={t: c.most_common(top) for t, c in sorted(topic_counts.items())},
        weeks=weeks,
        by_week={w: week_counts[w].most_common(top) for w in weeks},
        rising=rising[:top],
    )
