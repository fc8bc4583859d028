"""docs/openapi.yaml is what the code says, and the hub answers schemathesis's cases as documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk_hub.openapi import openapi_yaml
from tests.hub.conftest import TOKEN
from tests.hub.fixtures import HubBackend

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
CASES_PER_OPERATION = 25


def test_the_openapi_file_is_generated_from_the_hub() -> None:
    assert OPENAPI.read_text(encoding="utf-8") == openapi_yaml(), (
        "docs/openapi.yaml differs from the code: run `kiosk-hub openapi > docs/openapi.yaml`"
    )
    document = yaml.safe_load(openapi_yaml())
    batch = document["components"]["schemas"]["Batch"]
    assert batch["additionalProperties"] is False and batch["properties"]["responses"]["maxItems"]
    assert "simulated" in document["components"]["schemas"]["ResponseDocument"]["properties"]


@pytest.mark.slow
def test_schemathesis_finds_nothing_against_the_hub(hub: HubBackend) -> None:
    """Every generated case is answered as the document says: status, content type, schema, and
    never a 5xx (schemathesis's default checks), a bounded number of cases per operation."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_path(str(OPENAPI))
    failures: list[str] = []
    statuses: set[tuple[str, int]] = set()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=CASES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            # One kiosk's id, so the token (bound to its first kiosk) opens the door and the
            # cases reach the hub's checks rather than stopping at 403.
            case.path_parameters["device_id"] = "dev-1"
            try:
                response = case.call_and_validate(
                    base_url=hub.url + "/v1", headers={"Authorization": f"Bearer {TOKEN}"}
                )
                statuses.add((case.method, response.status_code))
            except Exception as exc:  # collected so one run reports every operation's problem
                failures.append(f"{case.method} {case.path}: {exc}"[:2000])

        run()
    assert operations == 5
    assert failures == []
    assert {("GET", 200), ("POST", 200), ("POST", 204)} <= statuses, statuses
