"""The protocol's documents as pydantic models: the schema of docs/openapi.yaml.

One declaration of every body that crosses the wire (docs/sync-protocol.md), shared by the
servers and the kiosk. The servers judge a response with the checks of
`kiosk_hub.reference.response_check` (whose reasons the kiosk shows to staff); these models are
the same rules written as a schema, from which `kiosk-hub openapi` generates docs/openapi.yaml.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk.feedback.feed import Feed

Uuid = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="A lower-case UUID.",
    ),
]
Timestamp = Annotated[
    datetime,
    Field(
        description="ISO 8601 with a UTC offset, microseconds (2026-11-27T03:00:00.000000+00:00)."
    ),
]
AnswerValue = str | int | bool | list[str]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Wire):
    """One answer: text, a number, true/false, or the ids of the options picked."""

    question_id: str
    value: AnswerValue


class Consent(_Wire):
    """The consent receipt of the contact-details step."""

    text_version: Annotated[str, Field(min_length=1)]
    choices: dict[str, bool] = Field(description="Each item asked (email, phone) and the choice.")
    at: Timestamp


class ResponseDocument(_Wire):
    """Every stored field of one visit to one form. "Same content" means the same SHA-256 of the
    canonical JSON (sorted keys, no whitespace, UTF-8), optional fields included; optional
    fields are absent when the response has none, never null."""

    id: Uuid
    device_id: Annotated[str, Field(min_length=1, description="Equals the device_id of the URL.")]
    form_id: Annotated[str, Field(min_length=1)]
    form_version: Annotated[int, Field(ge=1)]
    form_hash: Annotated[
        str, Field(min_length=1, description="SHA-256 of the form's canonical definition.")
    ]
    content_version: Annotated[str, Field(min_length=1)]
    language: Annotated[str, Field(min_length=1)]
    status: Literal["complete", "abandoned"]
    started_at: Timestamp
    submitted_at: Annotated[Timestamp, Field(description="Not earlier than started_at.")]
    answers: list[Answer] = Field(description="In the order asked; question ids unique.")
    receipt: Annotated[str, Field(min_length=1, description="The receipt code shown.")] = None  # type: ignore[assignment]
    consent: Consent | None = None
    contact_sealed: Annotated[
        str,
        Field(
            min_length=1,
            description="Contact details sealed to the ministry's key (HPKE, docs/privacy.md), "
            "base64 (RFC 4648, padded).",
            json_schema_extra={"contentEncoding": "base64"},
        ),
    ] = None  # type: ignore[assignment]
    flags: Annotated[
        list[str],
        Field(min_length=1, description="Sorted, distinct abuse flags for staff review."),
    ] = None  # type: ignore[assignment]
    simulated: bool = Field(
        False,
        description="True for responses a kiosk's simulator made: stored and counted, never in "
        "results.",
    )


class Batch(_Wire):
    """POST …/batches (gzip JSON): a batch id chosen by the kiosk, 1 to 5,000 responses."""

    batch_id: Uuid
    responses: Annotated[list[ResponseDocument], Field(min_length=1, max_length=5000)]
    schema_version: Literal[1]


class Verdict(_Wire):
    """What became of one response of a batch."""

    response_id: str
    verdict: Literal["accepted", "duplicate", "conflict", "rejected"] = Field(
        description="accepted: stored now. duplicate: same id and content already stored (counts "
        "as accepted). conflict: same id, other content. rejected: invalid, see reason."
    )
    reason: str | None


class BatchVerdicts(_Wire):
    """The answer to a batch, committed before it is sent."""

    batch_id: Uuid
    verdicts: list[Verdict]


class PackFile(_Wire):
    name: Annotated[str, Field(pattern=r"^[^/.][^/]*\.ya?ml$")]
    text: str = Field(description="A form in the YAML of docs/content.md.")


class ContentPack(_Wire):
    """GET …/content: the forms, and (from the hub) their Ed25519 signature."""

    etag: str
    files: list[PackFile]
    signature: str | None = Field(
        None, description="Base64 Ed25519 signature over the files (kiosk/content/signing.py)."
    )


class Heartbeat(BaseModel):
    """POST …/heartbeat: the kiosk's health. Unknown keys are kept (newer kiosks add some)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    sent_at: datetime | None = None
    queue_depth: Annotated[int, Field(ge=0)] | None = None
    quarantined: Annotated[int, Field(ge=0)] | None = None
    oldest_unsent_age_s: float | None = None
    last_success_at: datetime | None = None
    free_disk_bytes: int | None = None
    app_version: str | None = None
    content_version: str | None = None


class QuestionTotals(_Wire):
    answered: Annotated[int, Field(ge=0)]
    device_answered: Annotated[int, Field(ge=0)]
    counts: dict[str, Annotated[int, Field(ge=0)]]
    device_counts: dict[str, Annotated[int, Field(ge=0)]]


class FormTotals(_Wire):
    responses: Annotated[int, Field(ge=0, description="Complete responses, all devices.")]
    device_responses: Annotated[int, Field(ge=0, description="Of which this device's.")]
    questions: dict[str, QuestionTotals]


class Results(_Wire):
    """GET …/results: totals of the public surveys, with the asking device's share split out."""

    generated_at: datetime
    device_id: str = Field(description="Equals the asking device.")
    forms: dict[str, FormTotals]


class Error(_Wire):
    """Every error answer: what is wrong, never a stack trace."""

    error: str


WIRE_MODELS: tuple[type[BaseModel], ...] = (
    Batch,
    BatchVerdicts,
    ContentPack,
    Heartbeat,
    Results,
    Feed,
    Error,
)
