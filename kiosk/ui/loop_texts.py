"""Closing the loop in words: result rows and attract highlights, in the visitor's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n.texts import localized, text

if TYPE_CHECKING:  # the attract screen shows before the results module is needed
    from kiosk.feedback.live_results import Highlight, ResultRow


def row_label(row: ResultRow, language: str) -> str:
    """A result row's label: the form's words, or the kiosk's own for yes and no."""
    if row.label_key is not None:
        return text(row.label_key, language)
    return localized(dict(row.label), language)


def highlight_text(highlight: Highlight, language: str) -> str:
    """One line of the attract rotation."""
    from kiosk.feedback.live_results import FeedHighlight

    if isinstance(highlight, FeedHighlight):
        status = text(f"feed.status.{highlight.status}", language)
        return text(
            "highlight.feed",
            language,
            status=status,
            title=localized(dict(highlight.title), language),
        )
    return text(
        "highlight.result",
        language,
        question=localized(dict(highlight.question), language),
        answer=row_label(highlight.answer, language),
        percent=highlight.answer.percent,
        count=highlight.responses,
    )
