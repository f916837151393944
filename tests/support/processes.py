"""What a served process is doing, read from Linux's ``/proc``: its workers and their sockets."""

from __future__ import annotations

from pathlib import Path

_PROC = Path("/proc")
_LISTEN = "0A"  # the TCP state in /proc/net/tcp


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid``."""
    found = set()
    for stat in _PROC.glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # it exited while we looked
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def listens(pid: int, port: int) -> bool:
    """Whether ``pid`` holds a TCP socket listening on ``port`` (IPv4)."""
    try:
        held = {link.readlink().name for link in (_PROC / str(pid) / "fd").iterdir()}
    except OSError:  # gone, or going
        return False
    for line in (_PROC / "net" / "tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        on_port = int(local.rpartition(":")[2], 16) == port
        if state == _LISTEN and on_port and f"socket:[{inode}]" in held:
            return True
    return False


def workers(pid: int, port: int) -> set[int]:
    """The children of ``pid`` that serve ``port``."""
    return {child for child in children(pid) if listens(child, port)}
