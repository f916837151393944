"""The allocators of a worker: what it frees goes back to the OS.

glibc's (Python's own allocations). Every password hash or check takes argon2id's
19 MiB (OWASP's setting) in one block, on whichever of asyncio's executor threads runs
it. glibc serves the first such block with mmap and returns it; but freeing it raises
glibc's mmap threshold past 19 MiB, so from then on each thread's arena keeps its own
19 MiB for good: one login added ~20 MB to a worker, six at once ~115 MB. A fixed
threshold keeps such blocks on mmap, at the price of faulting the pages in again for
each hash (a few ms of a login).

granian's (its Rust side: sockets, buffers). granian allocates through jemalloc, which
keeps freed pages for ten seconds and returns them only when it next allocates. Each
WebSocket holds about 148 KB of granian's buffers; once 500 kitchen clients had left a
worker, it kept about 70 MB of them until traffic came again (220 MB against 149 MB
returned at once, in ``nox -s bench``). Told to, it returns pages as they are freed:
some CPU on the busiest routes (docs/benchmarks.md) for memory a host can count on.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import MutableMapping

# Blocks this large or larger are mapped on their own; smaller ones (response bodies)
# stay in the heap as before. Far below argon2's block, far above our other allocations.
BIG_BLOCK_BYTES = 4 * 2**20
_M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>; musl's mallopt accepts it and does nothing


def return_big_blocks_to_the_os() -> bool:
    """Fix glibc's mmap threshold at ``BIG_BLOCK_BYTES``; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # the C library already loaded
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, BIG_BLOCK_BYTES))


GRANIAN_ALLOCATOR_SETTING = "_RJEM_MALLOC_CONF"
"""Where granian's jemalloc (prefixed ``_rjem_`` in its build) reads its options, once,
when granian is loaded."""
FREED_PAGES_GO_BACK = "dirty_decay_ms:0,muzzy_decay_ms:0"
"""Freed pages returned to the OS at once, rather than kept for ten seconds."""


def granian_returns_freed_pages(environ: MutableMapping[str, str] | None = None) -> bool:
    """Ask granian's allocator to return freed pages at once, unless the operator set
    its options; False when granian is already loaded (its allocator read them then).
    Workers forked afterwards inherit the setting."""
    if "granian._granian" in sys.modules:
        return False
    (os.environ if environ is None else environ).setdefault(
        GRANIAN_ALLOCATOR_SETTING, FREED_PAGES_GO_BACK
    )
    return True
