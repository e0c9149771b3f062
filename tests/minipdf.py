"""Tiny hand-written PDFs for tests: text in Helvetica, rectangles, /Rotate, RC4 encryption.

A PDF here is a list of objects, a cross-reference table with exact byte offsets and a trailer,
written out by :func:`build_pdf`. Text uses the standard Helvetica font with WinAnsiEncoding, so
``€`` is the single byte 0x80 and needs no embedded font. Encryption follows the PDF standard
security handler, revision 2 (40-bit RC4, ISO 32000-1 §7.6.3, algorithms 2, 3 and 4).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

#: Padding string of the standard security handler (ISO 32000-1, 7.6.3.3, algorithm 2 step a).
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = bytes.fromhex("0123456789abcdef0123456789abcdef")


@dataclass(frozen=True)
class Text:
    """A run of text whose baseline starts at ``(x, y)`` in PDF points (bottom-left origin)."""

    x: float
    y: float
    text: str
    size: float = 20.0
    #: Counter-clockwise angle of the baseline, in degrees.
    angle: float = 0.0


@dataclass(frozen=True)
class Rect:
    """A black filled rectangle, ``(x, y)`` its bottom-left corner, in PDF points."""

    x: float
    y: float
    width: float
    height: float


@dataclass
class PageSpec:
    """One page: its size in points, its /Rotate and what is drawn on it.

    The media box is ``[x y x+width y+height]`` with ``(x, y) = origin``.
    """

    width: float = 612.0
    height: float = 792.0
    rotate: int = 0
    origin: tuple[float, float] = (0.0, 0.0)
    items: list[Text | Rect] = field(default_factory=list)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b")")


def _content(page: PageSpec) -> bytes:
    parts: list[bytes] = []
    for item in page.items:
        if isinstance(item, Text):
            cos = round(math.cos(math.radians(item.angle)), 6)
            sin = round(math.sin(math.radians(item.angle)), 6)
            matrix = b"%g %g %g %g %g %g" % (cos, sin, -sin, cos, item.x, item.y)
            parts.append(
                b"BT /F1 %g Tf %s Tm %s Tj ET" % (item.size, matrix, _pdf_string(item.text))
            )
        else:
            parts.append(b"0 0 0 rg %g %g %g %g re f" % (item.x, item.y, item.width, item.height))
    return b"\n".join(parts) + b"\n"


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4 stream cipher (encryption and decryption are the same operation)."""
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _security(user_password: str, owner_password: str) -> tuple[bytes, bytes, bytes, int]:
    """(file key, /O, /U, /P) for revision 2, 40-bit RC4."""
    permissions = -4  # every permission bit set
    owner_key = hashlib.md5(_padded(owner_password or user_password)).digest()[:5]
    o_entry = rc4(owner_key, _padded(user_password))  # algorithm 3
    digest = hashlib.md5(
        _padded(user_password) + o_entry + permissions.to_bytes(4, "little", signed=True) + _FILE_ID
    ).digest()
    key = digest[:5]  # algorithm 2
    u_entry = rc4(key, _PAD)  # algorithm 4
    return key, o_entry, u_entry, permissions


def build_pdf(
    pages: list[PageSpec],
    *,
    user_password: str | None = None,
    owner_password: str = "owner",
) -> bytes:
    """Write a complete PDF with ``pages``; encrypted (RC4 40-bit) when a user password is given.

    ``user_password=""`` makes a PDF that is encrypted but opens without a password.
    """
    # Object numbers: 1 catalog, 2 pages, 3 font, then (page, content) pairs, then /Encrypt.
    objects: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    page_numbers = [4 + 2 * i for i in range(len(pages))]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))
    objects[3] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for number, page in zip(page_numbers, pages, strict=True):
        rotate = b" /Rotate %d" % page.rotate if page.rotate else b""
        x, y = page.origin
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [%g %g %g %g]%s"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (x, y, x + page.width, y + page.height, rotate, number + 1)
        )
        streams[number + 1] = _content(page)

    encrypt_number = None
    key = b""
    if user_password is not None:
        key, o_entry, u_entry, permissions = _security(user_password, owner_password)
        encrypt_number = 4 + 2 * len(pages)
        objects[encrypt_number] = b"<< /Filter /Standard /V 1 /R 2 /Length 40 %s /P %d >>" % (
            b"/O <%s> /U <%s>" % (o_entry.hex().encode(), u_entry.hex().encode()),
            permissions,
        )
    for number, plain in streams.items():
        data = plain
        if encrypt_number is not None:
            object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
            data = rc4(object_key, plain)
        objects[number] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    count = max(objects) + 1
    offsets = [0] * count
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    encrypt = b" /Encrypt %d 0 R" % encrypt_number if encrypt_number is not None else b""
    file_id = _FILE_ID.hex().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        count,
        encrypt,
        file_id,
        file_id,
        xref,
    )
    return bytes(out)
