"""`kiosk run`'s start-up: the attract screen paints first, then the store and content open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.app.launch import launch
from kiosk.config.settings import KioskConfig
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step


def test_attract_screen_shows_before_the_store_opens_then_a_visit_works(
    qtbot: object, config: KioskConfig
) -> None:
    app = QApplication.instance()
    started = launch(app, config, windowed=True, warm_speech=False)  # type: ignore[arg-type]
    assert started.kiosk is None
    assert started.window.stack.currentWidget() is started.window.attract
    assert not config.db_path.exists()  # nothing opened before the first paint
    # The window holds the attract screen alone until it has painted (a stack of one page).
    assert not started.window.is_complete and started.window.stack.count() == 1
    qtbot.waitUntil(lambda: started.kiosk is not None, timeout=5000)  # type: ignore[attr-defined]
    kiosk = started.kiosk
    assert kiosk is not None and kiosk.window is started.window
    assert started.window.is_complete and started.window.stack.count() > 1
    try:
        driver = KioskDriver(kiosk)
        driver.pick_language("ko")
        assert kiosk.session.step == Step.HOME
        assert config.db_path.exists()
    finally:
        kiosk.close()


def test_invalid_content_at_start_shows_out_of_order_and_names_the_problem(
    qtbot: object, config: KioskConfig, tmp_path: Path, capsys: object
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.yaml").write_text("id: x\nversion: one\n", encoding="utf-8")
    broken = config.model_copy(
        update={"content": config.content.model_copy(update={"dir": content})}
    )
    app = QApplication.instance()
    started = launch(app, broken, windowed=True, warm_speech=False)  # type: ignore[arg-type]
    window = started.window
    try:
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: window.is_complete and window.stack.currentWidget() is window.fatal,
            timeout=5000,
        )
        out = capsys.readouterr().out  # type: ignore[attr-defined]
        assert f"{content / 'broken.yaml'}: version" in out
        assert started.kiosk is None
        assert started.exit_timer is not None and started.exit_timer.isActive()
    finally:
        # QApplication.exit() would also end every later event loop of this test process.
        if started.exit_timer is not None:
            started.exit_timer.stop()
        window.allow_close = True
        window.close()


def test_the_attract_screen_path_imports_neither_the_store_nor_the_network() -> None:
    # Painting first only helps while the window's modules stay light: a screen that imports a
    # storage module for a constant drags SQLAlchemy in before the first frame, and one that
    # imports the visit's modules for a type annotation drags in the content loader and YAML.
    heavy = (
        "sqlalchemy",
        "alembic",
        "requests",
        "keyring",
        "openpyxl",
        "yaml",
        "qrcode",
        "kiosk.content.loader",
        "kiosk.visit.flow",
        "kiosk.feedback.live_results",
        "kiosk.ui.screens.question",
        "kiosk.ui.keyboard.widget",
        "kiosk.ui.staff.area",
    )
    check = (
        "import sys, kiosk.app.launch; "
        f"heavy = [m for m in {heavy!r} if m in sys.modules]; "
        "sys.exit(heavy or 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env={**os.environ}
    )
    assert result.returncode == 0, f"imported before the first paint: {result.stderr.strip()}"


def test_a_staff_restart_exits_with_its_code_and_no_teardown_errors(tmp_path: Path) -> None:
    # `kiosk run` as systemd starts it, left the way the staff "restart" leaves it (the event loop
    # ends with the restart code) once the kiosk is ready and its speech engine is starting:
    # the process must end with that code, quietly, whatever threads were running.
    script = tmp_path / "restart.py"
    script.write_text(
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import kiosk.app.launch as launching\n"
        "from kiosk.cli.main import main\n"
        "real = launching.launch\n"
        "def launch(*args, **kwargs):\n"
        "    started = real(*args, **kwargs)\n"
        "    started.on_ready.append(\n"
        "        lambda _kiosk: QTimer.singleShot(3000, lambda: QApplication.exit(75)))\n"
        "    return started\n"
        "launching.launch = launch\n"
        "sys.exit(main(['run', '--data-dir', sys.argv[1], '--create', '--windowed']))\n",
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "data")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 75, result.stderr[-2000:]
    for sign in ("Traceback", "already deleted", "Destroyed while"):
        assert sign not in result.stderr, result.stderr[-2000:]
