"""The form schema: kinds, question types, conditions, localised texts."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

DEFAULT_LANGUAGES = ("ko", "en")
FormKind = Literal["survey", "opinion", "proposal_call"]
QuestionType = Literal[
    "single_choice", "multi_choice", "likert", "rating", "nps", "yes_no", "free_text"
]
AnswerValue = str | int | bool | tuple[str, ...]
SCALES: dict[str, tuple[int, int]] = {"likert": (1, 5), "rating": (1, 5), "nps": (0, 10)}
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]


def _has_languages(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    languages = (info.context or {}).get("languages", DEFAULT_LANGUAGES)
    missing = [lang for lang in languages if not value.get(lang, "").strip()]
    if missing:
        raise ValueError(f"missing text in {', '.join(missing)}")
    return value


Text = Annotated[dict[str, str], AfterValidator(_has_languages)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Briefing(_Model):
    """A few sentences of background shown before the questions."""

    title: Text
    body: Text
    source: Text | None = None
    as_of: date | None = None


class Option(_Model):
    """One choice of a single- or multi-choice question."""

    id: Identifier
    text: Text
    briefing: Briefing | None = Field(
        None, description="Background on this topic, openable from the question."
    )


class ScaleLabels(_Model):
    """The words at both ends of a scale (likert, rating, nps)."""

    low: Text
    high: Text


class Condition(_Model):
    """Show a question only when an earlier answer matches."""

    question: Identifier
    equals: str | int | bool | None = None
    any_of: list[str | int] | None = None
    includes: str | None = Field(None, description="For a multi_choice answer: this option picked.")

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        given = [self.equals is not None, self.any_of is not None, self.includes is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of equals, any_of, includes")
        return self

    def holds(self, answer: AnswerValue | None) -> bool:
        """Whether the earlier answer satisfies this condition (no answer never does)."""
        if answer is None:
            return False
        if self.includes is not None:
            return isinstance(answer, tuple) and self.includes in answer
        if self.any_of is not None:
            return not isinstance(answer, tuple) and answer in self.any_of
        return answer == self.equals and type(answer) is type(self.equals)


class Question(_Model):
    """One question, shown on its own screen."""

    id: Identifier
    type: QuestionType
    text: Text
    help: Text | None = None
    required: bool = True
    options: list[Option] | None = None
    min_picks: Annotated[int, Field(ge=0)] | None = None
    max_picks: Annotated[int, Field(ge=1)] | None = None
    labels: ScaleLabels | None = None
    max_length: Annotated[int, Field(ge=1, le=5000)] = 1000
    show_if: Condition | None = None

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        choice = self.type in ("single_choice", "multi_choice")
        if choice and (not self.options or len(self.options) < 2):
            raise ValueError(f"a {self.type} question needs at least two options")
        if not choice and self.options is not None:
            raise ValueError(f"options are only for choice questions, not {self.type}")
        if self.options and len({o.id for o in self.options}) != len(self.options):
            raise ValueError("option ids must be unique")
        if self.type != "multi_choice" and (
            self.min_picks is not None or self.max_picks is not None
        ):
            raise ValueError("min_picks/max_picks are only for multi_choice")
        if self.type == "multi_choice" and self.options:
            low, high = self.picks
            if low > high or high > len(self.options):
                raise ValueError(f"picks must satisfy min <= max <= {len(self.options)} options")
        if self.type == "likert" and self.labels is None:
            raise ValueError("a likert question needs labels for both ends")
        if self.labels is not None and self.type not in SCALES:
            raise ValueError("labels are only for likert, rating and nps")
        return self

    @property
    def picks(self) -> tuple[int, int]:
        """(min, max) picks of a multi-choice question."""
        count = len(self.options or [])
        low = self.min_picks if self.min_picks is not None else (1 if self.required else 0)
        return low, self.max_picks if self.max_picks is not None else count

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(self.type)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options or [] if o.id == option_id), None)


class ActiveWindow(_Model):
    """When a form is offered (a call for proposals has one)."""

    starts: datetime
    ends: datetime

    @model_validator(mode="after")
    def _ordered_and_zoned(self) -> ActiveWindow:
        if self.starts.tzinfo is None or self.ends.tzinfo is None:
            raise ValueError("starts and ends need a time zone, e.g. 2026-12-01T09:00:00+09:00")
        if self.ends <= self.starts:
            raise ValueError("ends must be after starts")
        return self

    def contains(self, moment: datetime) -> bool:
        return self.starts <= moment < self.ends


class Form(_Model):
    """A survey, an opinion form or a call for proposals."""

    id: Identifier
    version: Annotated[int, Field(ge=1)]
    kind: FormKind
    title: Text
    summary: Text | None = None
    briefing: Briefing | None = None
    active: ActiveWindow | None = None
    placement: Literal["home", "end_of_visit"] = "home"
    order: int = 100
    keep_abandoned: bool = Field(
        False, description="Keep partial answers when a visitor walks away."
    )
    questions: Annotated[list[Question], Field(min_length=1)]
    public: bool = Field(
        False, description="A survey whose results so far are shown after answering it."
    )

    @model_validator(mode="after")
    def _only_surveys_are_public(self) -> Form:
        if self.public and self.kind != "survey":
            raise ValueError("only a survey can be public (opinions and proposals are free text)")
        return self

    @property
    def definition_hash(self) -> str:
        """SHA-256 of the canonical definition: ties each stored response to what was asked."""
        definition = self.model_dump(mode="json")
        # Fields added later are left out at their defaults, so unchanged forms keep their hash.
        if not definition["public"]:
            del definition["public"]
        for question in definition["questions"]:
            for option in question["options"] or ():
                if option["briefing"] is None:
                    del option["briefing"]
        canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def is_active(self, moment: datetime) -> bool:
        return self.active is None or self.active.contains(moment)


ContactItem = Literal["email", "phone"]


class ConsentText(_Model):
    """The versioned consent asked before optional contact details (config/content/consent.yaml)."""

    version: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    offered_after: tuple[FormKind, ...] = Field(
        ("opinion", "proposal_call"),
        description="Form kinds after which contact details are offered.",
    )
    title: Text
    purpose: Text
    items: dict[ContactItem, Text] = Field(min_length=1)
    retention: Text = Field(description="Must contain {days}: the configured retention period.")
    refusal: Text

    @model_validator(mode="after")
    def _retention_names_the_period(self) -> ConsentText:
        missing = [lang for lang, value in self.retention.items() if "{days}" not in value]
        if missing:
            raise ValueError(
                f"retention text must contain {{days}} (missing in {', '.join(missing)})"
            )
        return self

    def retention_text(self, language: str, days: int) -> str:
        value = self.retention.get(language) or self.retention.get("ko") or ""
        return value.replace("{days}", str(days))


class ContentPack(BaseModel):
    """The forms the kiosk offers, with a version that changes when any form does."""

    model_config = ConfigDict(frozen=True)

    forms: tuple[Form, ...]
    consent: ConsentText | None = None

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for form in sorted(self.forms, key=lambda f: f.id):
            digest.update(f"{form.id}:{form.version}:{form.definition_hash}\n".encode())
        if self.consent is not None:  # packs without a consent text keep their old version
            digest.update(f"consent:{self.consent.version}\n".encode())
        return digest.hexdigest()[:12]

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def home_forms(self, moment: datetime) -> list[Form]:
        """Forms offered on the home screen now, in their configured order."""
        offered = [f for f in self.forms if f.placement == "home" and f.is_active(moment)]
        return sorted(offered, key=lambda f: (f.order, f.id))

    def topic_briefing(self, topic: str) -> Briefing | None:
        """The briefing of an opinion topic (a choice option with a `briefing`), if any."""
        for form in self.forms:
            for question in form.questions:
                option = question.option(topic)
                if option is not None and option.briefing is not None:
                    return option.briefing
        return None

    def exit_form(self, moment: datetime) -> Form | None:
        """The short satisfaction survey offered at the end of a visit, if any."""
        return next(
            (f for f in self.forms if f.placement == "end_of_visit" and f.is_active(moment)), None
        )
