"""The C allocator of a worker: big blocks go back to the OS when freed.

Every password hash or check takes argon2id's 19 MiB (OWASP's setting) in one block,
on whichever of asyncio's executor threads runs it. glibc serves the first such block
with mmap and returns it; but freeing it raises glibc's mmap threshold past 19 MiB,
so from then on each thread's arena keeps its own 19 MiB for good: one login added
~20 MB to a worker, six at once ~115 MB. A fixed threshold keeps such blocks on mmap,
at the price of faulting the pages in again for each hash (a few ms of a login).
"""

from __future__ import annotations

import ctypes
import sys

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
