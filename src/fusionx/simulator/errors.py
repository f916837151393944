from __future__ import annotations


class SimulationError(Exception):
    """The simulation could not run: bad options, server unreachable, refused sign-in.

    The message is one line for the operator; the CLI prints it and exits with 2.
    """
