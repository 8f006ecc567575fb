#!/usr/bin/env python3
"""AI Tool Concierge: the single entry point (command line and server).

python app.py ask "What can I use to summarize a 40-page PDF?"
python app.py serve
"""

from __future__ import annotations

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
