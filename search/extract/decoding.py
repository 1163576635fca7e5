"""Bytes to text without ever failing: saved news pages come in every encoding.

Order of trust: a byte order mark (written by the tool that saved the file),
then strict UTF-8 (which almost never decodes other encodings by accident),
then a charset the HTML declares about itself, then windows-1252, the encoding
of undeclared Western pages (browsers read "latin-1" as windows-1252 too).
"""

from __future__ import annotations

import codecs
import re

# How far into an HTML document to look for a charset declaration. The HTML
# standard prescans 1 KiB, but saved pages often put long comments, scripts or
# many <link> tags before the <meta>; 8 KiB covers the latest declaration in
# the extraction benchmark pages with room to spare and is still cheap.
_SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)

# Labels that browsers decode as windows-1252 (WHATWG Encoding standard): the
# bytes 0x80-0x9F are curly quotes and dashes in practice, never C1 controls.
_AS_WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})
# A page cannot declare a UTF-16/32 charset inside itself in ASCII unless it is
# lying (the declaration would be unreadable); browsers then use UTF-8.
_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_JUNK = re.compile("[\x00\ud800-\udfff\ufeff]")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that windows-1252 leaves undefined (0x81, 0x8D, ...) map as latin-1, like browsers."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("latin-1"), error.end


codecs.register_error("newsearch-cp1252", _cp1252_fallback)


def _codec_name(label: bytes) -> str | None:
    try:
        name = codecs.lookup(label.decode("ascii").strip().lower()).name
    except (LookupError, UnicodeDecodeError, ValueError):
        return None
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    if name in _WIDE:
        return "utf-8"
    return name


def declared_charset(data: bytes) -> str | None:
    """The codec an HTML document names for itself in its first bytes, if any."""
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec_name(match.group(1)) if match else None


def _windows_1252(data: bytes) -> str:
    return data.decode("cp1252", errors="newsearch-cp1252")


def _decode_declared(data: bytes, codec: str) -> tuple[str, bool]:
    """The text, and whether the codec that made it could have made lone
    surrogates (strict UTF-8 and single-byte codecs never do)."""
    # Bytes that are valid UTF-8 beyond ASCII are UTF-8 whatever the <meta>
    # says: text in another encoding almost never forms valid multibyte
    # sequences by chance, while pages re-saved by a browser or an editor are
    # re-encoded as UTF-8 and keep their original declaration.
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    single_byte = codec == "utf-8" or _is_single_byte(codec)
    try:
        return data.decode(codec), not single_byte
    except (UnicodeDecodeError, LookupError):
        pass
    # The declaration is wrong too. A single-byte one is best replaced by
    # windows-1252; a multibyte one (Shift_JIS, GBK) is still the best guess
    # for the parts that do decode.
    if single_byte:
        return _windows_1252(data), False
    return data.decode(codec, errors="replace"), True


def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(256)).decode(codec, errors="replace")) == 256
    except LookupError:
        return True


def _without_junk(text: str, *, surrogates: bool) -> str:
    """The text without NULs, byte order marks and (where a codec could have
    made them) lone surrogates. A page is hundreds of KB and almost never holds
    any: two substring tests answer that at a tenth of a regular expression's
    cost. Strict UTF-8 and windows-1252 never decode to a surrogate."""
    if surrogates or "\x00" in text or "\ufeff" in text:
        return _JUNK.sub("", text)
    return text


def decode(data: bytes, *, html: bool) -> str:
    """Decode a document's bytes; never raises, and never returns NULs or lone surrogates."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _without_junk(data[len(bom) :].decode(codec, errors="replace"), surrogates=True)
    if html:
        codec = declared_charset(data)
        if codec is not None:
            text, surrogates = _decode_declared(data, codec)
            return _without_junk(text, surrogates=surrogates)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _windows_1252(data)
    return _without_junk(text, surrogates=False)
