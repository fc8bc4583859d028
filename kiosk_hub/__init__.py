"""The server side of the sync protocol: the reference backend (executable specification) and the hub.

The hub, for those building on it (web pages, console):
- `kiosk_hub.api.create_app(HubSettings(database_url=...))` builds the ASGI app; add routers to
  it (`app.include_router`). `kiosk_hub.api.app.db_session` is the per-request session
  dependency, `hub_state(request)` the settings and engine.
- Tables in `kiosk_hub.db.models` (one Alembic migration per change in kiosk_hub/migrations);
  read through `kiosk_hub.queries`, `devices.device_statuses`, `alerts.list_alerts`.
- Tests: `tests/hub/fixtures.py` gives a throwaway PostgreSQL database per test and a hub on
  loopback (`running_hub`).
"""
