"""What a whole CSV file says its cells may need, read from its bytes in a few scans.

Stripping the spaces around cells, restoring a quote put before a formula,
looking for a control character and for a space beyond ASCII in a number each
cost a pass over every cell of every column. Most files need none of them, and
one scan of the file's bytes says so (:class:`_Looks`): a clean national
registry is then not scanned column by column. Where a file may need one — a
quoted cell may hold anything — every column is looked at, as for a workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

#: The bytes a CSV file's :class:`_Looks` asks about: C0 controls but the line breaks (the tab
#: among them), DEL, the double and the single quote, and the lead bytes of the UTF-8 sequences
#: of C1 controls and of the spaces beyond ASCII (U+0080-U+00A0, U+1680, U+2000-U+205F, U+3000).
_ASKED = bytes([*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x22, 0x27, 0xC2, 0xE1, 0xE2, 0xE3])
_UNASKED = bytes(b for b in range(256) if b not in _ASKED)
#: C0 controls other than tab and line breaks, and DEL.
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
#: Whitespace bytes other than the space and the line breaks (``str.isspace``), the tab aside.
_SPACE_BYTES = frozenset([0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F])
#: UTF-8 of the whitespace beyond ASCII (``str.isspace``), and of the C1 controls.
_UTF8_SPACE = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")
#: The same in decoded text (a file that is not UTF-8).
_ODD_SPACE = re.compile(r"[^\S \r\n]")
_ODD_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


#: C0 controls other than tab and line breaks: no text may hold them (``_cells.UNWRITABLE``).
_TEXT_CONTROL_BYTES = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


@dataclass(frozen=True)
class _Looks:
    """What a whole CSV file says its cells may need, found in a few scans of its bytes instead
    of a pass per column: surrounding spaces to strip, a quote to restore before a formula, a
    control character in text (``controls``) or in an id (``id_controls``: also a tab, a line
    break inside a quoted cell, DEL or a C1 control), a space beyond ASCII in a number. Each is
    True unless the file shows it cannot be."""

    spaced: bool = True
    inert: bool = True
    controls: bool = True
    id_controls: bool = True
    odd_spaces: bool = True

    @classmethod
    def of(cls, raw: bytes, delimiter: str, codec: str = "utf-8") -> _Looks:
        if codec != "utf-8":
            text = raw.decode(codec)
            odd = _ODD_SPACE.search(text) is not None
            controls = _ODD_CONTROL.search(text) is not None
            return cls(
                spaced=True,
                inert="'" in text,
                controls=controls,
                id_controls=controls or '"' in text or "\t" in text,
                odd_spaces=odd,
            )
        present = frozenset(raw.translate(None, _UNASKED))  # one pass: the asked bytes the file has
        quoted = 0x22 in present
        tab = 0x09 in present and delimiter != "\t"
        lead = bool(present & {0xC2, 0xE1, 0xE2, 0xE3})
        odd = bool(present & _SPACE_BYTES) or (lead and _UTF8_SPACE.search(raw) is not None)
        spaced = tab or odd or _space_at_edge(raw, ord(delimiter), quoted)
        controls = bool(present & _TEXT_CONTROL_BYTES)
        id_controls = (
            controls
            or quoted
            or tab
            or 0x7F in present
            or (0xC2 in present and _UTF8_C1.search(raw) is not None)
        )
        return cls(
            spaced=spaced, inert=0x27 in present, controls=controls, id_controls=id_controls, odd_spaces=odd
        )


def _space_at_edge(raw: bytes, delimiter: int, quoted: bool) -> bool:
    """Whether a space may stand at the edge of a cell: beside a separator or a line break outside
    quotes (an even number of quotes before it) or at the file's ends; and, in a quoted cell,
    after its opening quote or before its closing one (a tab or line break there too)."""
    codes = np.frombuffer(raw, dtype=np.uint8)
    last = len(codes) - 1
    quotes = np.flatnonzero(codes == 0x22) if quoted else np.empty(0, dtype=np.intp)
    spaces = np.flatnonzero(codes == 0x20)
    if len(spaces):
        before = codes.take(np.maximum(spaces - 1, 0))
        after = codes.take(np.minimum(spaces + 1, last))
        edge = (spaces == 0) | (spaces == last) | (before == delimiter) | (before == 0x0A)
        edge |= (after == delimiter) | (after == 0x0A) | (after == 0x0D)
        at = spaces[edge]
        if len(quotes) and len(at):
            at = at[np.searchsorted(quotes, at) % 2 == 0]
        if len(at):
            return True
    if not len(quotes):
        return False
    blank = np.array([0x20, 0x09, 0x0A, 0x0D], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]  # an escaped quote "" counts as both: to be safe
    after = codes.take(np.minimum(opening + 1, last))
    before = codes.take(np.maximum(closing - 1, 0))
    return bool(np.isin(after[opening < last], blank).any() or np.isin(before, blank).any())


#: One to three digits (the first not 0), a point, three digits, and no digit on either side.
_THREE = re.compile(rb"(?<![0-9])[1-9][0-9]{0,2}\.[0-9]{3}(?![0-9])")


def _digit(codes: np.ndarray) -> np.ndarray:
    return (codes >= 0x30) & (codes <= 0x39)


def three_decimals(raw: bytes) -> bool:
    """Whether a cell of the file may be a number written with one to three digits, a point and
    exactly three digits (``2.000``, ``11.520``): read as digit grouping in a whole-number field
    and as either in another, so never left to a float parser. One look at each point of the
    file's bytes; a false alarm (``A1.000`` in an id) only costs the careful reading.

    Examples
    --------
    >>> three_decimals(b"a,b\\n2.000,x\\n"), three_decimals(b"a,b\\n0.048,2.5\\n"), three_decimals(b"1.5000")
    (True, False, False)
    """
    if len(raw) < 32:
        return _THREE.search(raw) is not None
    if _THREE.search(raw[:16]) or _THREE.search(raw[-16:]):  # the file's ends (a cut number: to be safe)
        return True
    codes = np.frombuffer(raw, dtype=np.uint8)
    at = np.flatnonzero(codes == 0x2E)
    at = at[(at >= 4) & (at < len(codes) - 4)]  # those nearer the ends were looked at above

    def byte(offset: int) -> np.ndarray:
        return codes[at + offset]

    at = at[_digit(byte(1)) & _digit(byte(2)) & _digit(byte(3)) & ~_digit(byte(4))]
    if not len(at):
        return False
    d1, d2, d3, d4 = (_digit(byte(-k)) for k in (1, 2, 3, 4))
    lead = np.where(d2, np.where(d3, byte(-3), byte(-2)), byte(-1))  # the first digit of those before
    before = d1 & ~(d2 & d3 & d4) & (lead != 0x30)
    return bool(before.any())
