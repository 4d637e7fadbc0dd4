#!/usr/bin/env python3
"""Makes dirty hives and their transaction logs from two clean fixture hives.

    mklogs.py BEFORE.hiv AFTER.hiv OUTDIR

BEFORE and AFTER are fixture hives of the same layout (base.hiv and
changed.hiv: same size and root cell). Each scenario is a folder in OUTDIR
holding "hive" (BEFORE's bins, marked dirty) and logs whose pages turn it
into AFTER, written the way msuhanov's "Windows registry file format
specification" describes them: new format (HvLE entries hashed with
Marvin32) and old format (base block, DIRT vector, 512-byte pages).
tests/cli/logs.sh asserts what regdiff makes of each. Standard library only.
"""
import os
import struct
import sys

SEED = 0x82EF4D887A4E55C5
BASE = 4096
M32 = 0xFFFFFFFF


def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & M32


def marvin32(data, seed=SEED):
    lo, hi = seed & M32, seed >> 32

    def mix(lo, hi):
        hi ^= lo
        lo = rotl(lo, 20)
        lo = (lo + hi) & M32
        hi = rotl(hi, 9)
        hi ^= lo
        lo = rotl(lo, 27)
        lo = (lo + hi) & M32
        hi = rotl(hi, 19)
        return lo, hi

    n = len(data) // 4 * 4
    for i in range(0, n, 4):
        lo = (lo + struct.unpack_from("<I", data, i)[0]) & M32
        lo, hi = mix(lo, hi)
    last = 0x80
    for b in reversed(data[n:]):
        last = (last << 8) | b
    lo = (lo + last) & M32
    lo, hi = mix(lo, hi)
    lo, hi = mix(lo, hi)
    return (hi << 32) | lo


def checksum(block):
    x = 0
    for i in range(0, 508, 4):
        x ^= struct.unpack_from("<I", block, i)[0]
    return 1 if x == 0 else 0xFFFFFFFE if x == M32 else x


def base_block(src, seq1, seq2, ftype, hbins=None, size=BASE):
    b = bytearray(src[:size])
    struct.pack_into("<III", b, 4, seq1, seq2, struct.unpack_from("<I", b, 12)[0])
    struct.pack_into("<II", b, 4, seq1, seq2)
    struct.pack_into("<I", b, 28, ftype)
    if hbins is not None:
        struct.pack_into("<I", b, 40, hbins)
    struct.pack_into("<I", b, 508, checksum(b))
    return b


def hvle(seq, hbins, pages, corrupt=False):
    """One log entry; pages: [(offset in the hive bins, bytes)]."""
    refs = b"".join(struct.pack("<II", off, len(data)) for off, data in pages)
    body = refs + b"".join(data for _, data in pages)
    size = (40 + len(body) + 511) // 512 * 512
    body += b"\0" * (size - 40 - len(body))
    head = bytearray(b"HvLE" + struct.pack("<IIIII", size, 0, seq, hbins, len(pages)))
    head += struct.pack("<Q", marvin32(body)) + b"\0" * 8
    struct.pack_into("<Q", head, 32, marvin32(bytes(head[:32])))
    if corrupt:  # one flipped bit in the data: its hash no longer matches
        body = bytearray(body)
        body[-1] ^= 1
    return bytes(head) + bytes(body)


def new_log(hive, seq, entries):
    return bytes(base_block(hive, seq, seq, 6, size=512)) + b"".join(entries)


def old_log(hive, seq, after):
    """Old format: every 512-byte page of AFTER's bins that differs."""
    hbins = struct.unpack_from("<I", after, 40)[0]
    bits = bytearray(hbins // 512 // 8)
    pages = b""
    for i in range(hbins // 512):
        at = BASE + i * 512
        if hive[at:at + 512] != after[at:at + 512]:
            bits[i // 8] |= 1 << (i % 8)
            pages += after[at:at + 512]
    vec = b"DIRT" + bytes(bits)
    vec += b"\0" * (-(512 + len(vec)) % 512)
    return bytes(base_block(after, seq, seq, 1, size=512)) + vec + pages


def changed_pages(before, after):
    """AFTER's 4 KiB pages that differ from BEFORE's."""
    out = []
    for at in range(BASE, len(after), 4096):
        if before[at:at + 4096] != after[at:at + 4096]:
            out.append((at - BASE, after[at:at + 4096]))
    return out


def write(outdir, name, files):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)


def main():
    before = open(sys.argv[1], "rb").read()
    after = open(sys.argv[2], "rb").read()
    out = sys.argv[3]
    if len(before) != len(after) or before[36:44] != after[36:44]:
        sys.exit("mklogs: BEFORE and AFTER must have the same layout")
    hbins = struct.unpack_from("<I", after, 40)[0]
    pages = changed_pages(before, after)
    if len(pages) < 3:
        sys.exit("mklogs: BEFORE and AFTER differ in fewer than 3 pages")
    # The dirty primary: BEFORE's bins, sequence numbers 5/4 (a write that
    # began and never finished).
    dirty = bytes(base_block(before, 5, 4, 0)) + before[BASE:]
    a, b, c = pages[:1], pages[1:2], pages[2:]
    e4, e5, e6 = hvle(4, hbins, a), hvle(5, hbins, b), hvle(6, hbins, c)

    # Dual logs: entries 4 and 5 in .LOG1, 6 in .LOG2 (named in lower case,
    # as a case-insensitive copy may leave it), plus a stale entry 3 after 6.
    write(out, "new", {"hive": dirty,
                       "hive.LOG1": new_log(dirty, 4, [e4, e5]),
                       "hive.log2": new_log(dirty, 6, [e6, hvle(3, hbins, a)])})
    # Entry 5 damaged: 4 is applied, replay stops at 5.
    write(out, "badhash", {"hive": dirty,
                           "hive.LOG1": new_log(dirty, 4, [e4, hvle(5, hbins, b, corrupt=True)]),
                           "hive.LOG2": new_log(dirty, 6, [e6])})
    # Entry 4 missing: nothing can be applied.
    write(out, "gap", {"hive": dirty,
                       "hive.LOG1": new_log(dirty, 5, [e5]),
                       "hive.LOG2": new_log(dirty, 6, [e6])})
    # Only entries older than the hive: a stale log.
    write(out, "stale", {"hive": dirty,
                         "hive.LOG1": new_log(dirty, 2, [hvle(2, hbins, a), hvle(3, hbins, b)])})
    # Old format (Vista/7): one .LOG with the dirty vector.
    write(out, "old", {"hive": dirty, "hive.LOG": old_log(dirty, 5, after)})
    # A damaged base block (checksum wrong): recovered from the log's copy.
    damaged = bytearray(dirty)
    struct.pack_into("<II", damaged, 4, 4, 4)
    damaged[508] ^= 0xFF
    write(out, "badbase", {"hive": bytes(damaged),
                           "hive.LOG1": new_log(dirty, 4, [e4, e5, e6])})
    # Truncated: only the base block and the first bin's page are on disk;
    # the logs hold every page of the bins.
    every = [(at - BASE, after[at:at + 4096]) for at in range(BASE, BASE + hbins, 4096)]
    write(out, "truncated", {"hive": dirty[:BASE + 4096],
                             "hive.LOG1": new_log(dirty, 4, [hvle(4, hbins, every)])})


if __name__ == "__main__":
    main()
