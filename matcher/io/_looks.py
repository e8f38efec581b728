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
#: Where a space would stand at the edge of a quoted cell: after its opening quote, before its
#: closing one (a line break or tab there too; an escaped quote "" beside a space counts, to be safe).
_QUOTE_EDGES = tuple(a + b for q in (b'"',) for w in (b" ", b"\t", b"\n", b"\r") for a, b in ((q, w), (w, q)))


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
        d = delimiter.encode()
        edges = ((b" ", d), (d, b" "), (b" ", b"\n"), (b"\n", b" "), (b" ", b"\r"))
        spaced = (
            tab
            or odd
            or raw.startswith(b" ")
            or raw.endswith(b" ")
            or any(a + b in raw for a, b in edges)
            or (quoted and any(edge in raw for edge in _QUOTE_EDGES))
        )
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
