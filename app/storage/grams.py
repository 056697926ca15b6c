"""A 256-bit signature of a row's searchable text, so text search skips most rows unread.

Text search is `search LIKE '%needle%'` over a covering index (`app.storage.query`). On
100,000 rows the `LIKE` itself was most of a filter's time: SQLite ran it on every entry
the index walk visited. Each row now also stores a Bloom filter of the byte trigrams of
its ASCII-lowered `search` text, in four INTEGER columns (`g0`, the high 64 bits, to
`g3`, as signed 64-bit values; migration 6). A needle's trigrams are all among a row's
whenever the row matches, so `(g0 & m0) = m0 AND …` rules out only rows the `LIKE` would
refuse: the results are exactly the `LIKE`'s, and the `LIKE` runs on the few rows left
(tests/unit/test_history_grams.py checks both).

Why that holds: SQLite's `LIKE` folds ASCII case only, as `bytes.lower()` does, and a
substring of valid UTF-8 text is a substring of its bytes, so every trigram of the
lowered needle is a trigram of the lowered row. A needle under three bytes has no
trigram and a signature of 0, which every row passes.

Why two halves of 128 bits, each trigram setting one bit in each: a row's text has about
60 distinct trigrams. With one bit per trigram, a needle trigram whose bit is also that of
a trigram every row has ("msg", "ren") tests nothing: in 256 bits `user-00999` left 5,624
of 100,000 rows for the `LIKE` (about a microsecond each). With a bit in each half, both
must collide, and it leaves 752, of which 160 hold all its trigrams. Over 24 needles
(user and message ids, words) the rows left fell from 132,467 in all to 18,820 (measured
on tests/bench/bench_history.py's rows).

Each half's trigram hash is simple tabulation (three tables of random 7-bit values
XORed), and it is built with `bytes.translate` and big-integer XOR rather than a Python
loop per character: about 10 µs for a row's text, against about 45 µs for the loop
(`signature_reference`, which a test keeps it equal to). The tables come from SHAKE-128
of fixed labels, the same on every machine and Python. **They must never change**: the
stored signatures depend on them, and changing them needs a migration that recomputes
every row's.
"""

from __future__ import annotations

import hashlib

#: The stored columns, most significant 64 bits first.
COLUMNS = ("g0", "g1", "g2", "g3")

#: A row written without a signature (by an older app, or by hand) reads as "every
#: trigram present" (-1 is all 64 bits set), so it is always a candidate, never missed.
UNKNOWN = -1


def _table(label: bytes) -> bytes:
    """256 random values in 0..127 (a position in one half)."""
    digest = hashlib.shake_128(b"rc-segment-tester grams " + label).digest(256)
    return bytes(b & 0x7F for b in digest)


#: The trigram hashes of each half: (first, second, third byte) tables.
_HALVES = tuple(tuple(_table(f"{half}{k}".encode()) for k in "123") for half in "ab")
_POSITIONS = bytes(range(128))
#: Turns 0xff (a hit position) into "1" and any other byte into "0".
_BITS = bytes.maketrans(bytes(range(256)), b"0" * 255 + b"1")
_WORD = (1 << 64) - 1
_SIGN = 1 << 63


def _half(data: bytes, tables: tuple[bytes, ...]) -> int:
    t1, t2, t3 = tables
    count = len(data) - 2
    hashes = (
        int.from_bytes(data[:-2].translate(t1))
        ^ int.from_bytes(data[1:-1].translate(t2))
        ^ int.from_bytes(data[2:].translate(t3))
    ).to_bytes(count)
    # Each hash value marks its own position in 0..127 with 0xff; an unmarked position
    # keeps its own value, never 0xff.
    marked = _POSITIONS.translate(bytes.maketrans(hashes, b"\xff" * count))
    return int(marked.translate(_BITS), 2)


def signature(text: str) -> int:
    """The 256-bit Bloom filter of `text`'s lowered byte trigrams: for each trigram,
    bit 255 - h of the first half's hash h and bit 127 - h of the second's (0 for text
    under three bytes)."""
    data = text.encode("utf-8", "surrogatepass").lower()
    if len(data) < 3:
        return 0
    first, second = _HALVES
    return _half(data, first) << 128 | _half(data, second)


def signature_reference(text: str) -> int:
    """`signature`, one trigram at a time: the definition the fast one must equal."""
    data = text.encode("utf-8", "surrogatepass").lower()
    bits = 0
    for offset, (t1, t2, t3) in zip((255, 127), _HALVES, strict=True):
        for i in range(len(data) - 2):
            bits |= 1 << (offset - (t1[data[i]] ^ t2[data[i + 1]] ^ t3[data[i + 2]]))
    return bits


def _signed(word: int) -> int:
    return word - _WORD - 1 if word >= _SIGN else word


def columns(text: str) -> tuple[int, int, int, int]:
    """(g0, g1, g2, g3): `signature(text)` as the signed 64-bit values SQLite stores."""
    bits = signature(text)
    return (
        _signed(bits >> 192),
        _signed(bits >> 128 & _WORD),
        _signed(bits >> 64 & _WORD),
        _signed(bits & _WORD),
    )
