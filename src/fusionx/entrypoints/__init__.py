"""Ways in: the HTTP app, the CLI, and the composition root that wires them."""

import sys

# structlog imports rich, when it can, to draw tracebacks on a console; rich is installed
# for Litestar's own command line, which FusionX does not use. Refused here, before
# anything of ours imports structlog: a process started through these ways in (the CLI,
# `fusionx serve` and the workers it forks, granian's factory) is 3 MB and 66 modules
# lighter, and logs tracebacks as plain text, as it does in JSON (entrypoints/logging.py).
sys.modules.setdefault("rich", None)  # type: ignore[arg-type]  # import refused
