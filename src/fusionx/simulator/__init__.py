"""``fusionx simulate``: a client that drives a shift through the public API.

It talks HTTP and WebSocket only, like the staff app and TruckKDS do, and checks that
the shift's event stream is gapless, in order, free of repeats, and agrees with what
REST says at the end. The checks themselves (``checker``, ``board``) are pure.
"""
