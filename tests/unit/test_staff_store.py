"""The staff store without widgets: PIN hashing, the growing lock, the service flag, and the
visit's out-of-service state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.storage import Database, open_database
from kiosk.storage import staff as staff_module
from kiosk.storage.models import MetaRow
from kiosk.storage.staff import PinFormatError, StaffStore, hash_pin, pin_matches
from kiosk.visit.flow import Step, VisitorSession
from tests.conftest import SAMPLE_CONTENT, FakeClock


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "store.sqlite3")
    yield db
    db.close()


def test_a_pin_hash_is_salted_and_only_the_right_pin_matches() -> None:
    first, second = hash_pin("482913"), hash_pin("482913")
    assert first != second and "482913" not in first
    assert pin_matches("482913", first) and pin_matches("482913", second)
    assert not pin_matches("482914", first)
    assert not pin_matches("482913", "plain$482913")
    assert not pin_matches("482913", "scrypt$x$y$z$00$00")


@pytest.mark.parametrize(
    "pin", ["123", "4829", "48291", "1234567890123", "12a456", "１２３４５６", ""]
)
def test_a_pin_that_is_not_6_to_12_ascii_digits_is_refused(database: Database, pin: str) -> None:
    with pytest.raises(PinFormatError):
        StaffStore(database, FakeClock()).set_pin(pin)
    assert not StaffStore(database, FakeClock()).pin_set


def test_the_lock_starts_at_the_fifth_wrong_pin_and_doubles_up_to_the_maximum(
    database: Database,
) -> None:
    clock = FakeClock()
    staff = StaffStore(database, clock, lockout_after=5, lockout_base_s=30, lockout_max_s=100)
    staff.set_pin("246813")
    for count in range(1, 5):
        check = staff.check_pin("0000")
        assert (check.accepted, check.failed_count, check.locked_until) == (False, count, None)
    check = staff.check_pin("0000")
    assert check.locked_until == clock.now + timedelta(seconds=30)
    assert not staff.check_pin("246813").accepted  # locked: even the right PIN waits
    clock.now += timedelta(seconds=30)
    assert staff.locked_until() is None
    assert staff.check_pin("1111").locked_until == clock.now + timedelta(seconds=60)
    clock.now += timedelta(seconds=60)
    assert staff.check_pin("1111").locked_until == clock.now + timedelta(seconds=100)  # capped
    clock.now += timedelta(seconds=100)
    assert staff.check_pin("246813").accepted
    assert staff.check_pin("0000").failed_count == 1  # the right PIN started the count again


def test_no_pin_set_never_accepts(database: Database) -> None:
    check = StaffStore(database, FakeClock()).check_pin("0000")
    assert not check.accepted and not check.pin_set


def test_out_of_service_waits_for_the_visit_to_end(database: Database) -> None:
    staff = StaffStore(database, FakeClock())
    staff.set_out_of_service(True)
    assert StaffStore(database, FakeClock()).out_of_service
    session = VisitorSession(load_pack(SAMPLE_CONTENT), lambda draft: None)
    session.start()
    session.set_out_of_service(True)
    assert session.step == Step.HOME  # the visitor goes on
    session.start()
    session.reset("finished")
    assert session.step == Step.OUT_OF_SERVICE
    session.start()  # a touch on the notice starts nothing
    assert session.step == Step.OUT_OF_SERVICE
    session.set_out_of_service(False)
    assert session.step == Step.ATTRACT


def test_the_production_pin_hash_is_memory_hard_and_costs_about_a_second() -> None:
    # The figure itself is measured by hand (0.96 s on the kiosk PC); here: the parameters.
    cost = staff_module.PinCost(2**17, 8, 1)
    assert staff_module.PinCost.__dataclass_fields__  # a value, comparable with stored ones
    assert 128 * cost.n * cost.r >= 128 * 2**20  # 128 MiB a guess: no cheap GPU batches
    assert staff_module.stored_cost(hash_pin("482913", cost=cheap())) == cheap()


def cheap() -> staff_module.PinCost:
    return staff_module.PinCost(2**8, 8, 1)


def test_an_old_hash_is_replaced_at_the_next_good_login_and_only_then(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = StaffStore(database, FakeClock())
    old = staff_module.PinCost(2**9, 8, 1)  # stands for the old n=2^14 of the 4-digit days
    monkeypatch.setattr(staff_module, "PIN_COST", old)
    staff.set_pin("482913")
    before = stored_hash(database)
    assert staff_module.stored_cost(before) == old
    newer = staff_module.PinCost(2**10, 8, 1)
    monkeypatch.setattr(staff_module, "PIN_COST", newer)

    assert not staff.check_pin("000000").accepted
    assert stored_hash(database) == before  # a wrong PIN never rewrites the hash
    assert staff.check_pin("482913").accepted

    after = stored_hash(database)
    assert after != before and staff_module.stored_cost(after) == newer
    assert staff.check_pin("482913").accepted and stored_hash(database) == after


def stored_hash(database: Database) -> str:
    with database.sessions() as session:
        row = session.get(MetaRow, staff_module.PIN_KEY)
        assert row is not None
        return row.value
