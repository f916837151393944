"""One SQL repository per port in ``fusionx.ports.repositories``, all over one session."""
