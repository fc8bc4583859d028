"""The staff area without widgets: PIN login, dashboard, results, export, actions."""
