"""`python -m kiosk_hub` is the `kiosk-hub` command."""

import sys

from kiosk_hub.cli import main

sys.exit(main())
