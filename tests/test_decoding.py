from search.extract.decoding import decode


def test_plain_utf8_is_read_as_utf8():
    assert decode("naïve café — “quoted”".encode(), html=False) == "naïve café — “quoted”"


def test_undeclared_latin1_reads_as_windows_1252():
    assert decode(b"caf\xe9", html=False) == "café"
    assert decode(b"<p>caf\xe9</p>", html=True) == "<p>café</p>"


def test_windows_1252_smart_quotes_and_dashes():
    assert decode(b"\x93Hello\x94 \x96 it\x92s", html=False) == "“Hello” – it’s"


def test_bytes_undefined_in_windows_1252_do_not_fail():
    assert decode(b"a\x81b\x8dc\xe9", html=False).endswith("c\xe9")


def test_utf8_bom_is_removed():
    assert decode(b"\xef\xbb\xbfhello", html=False) == "hello"


def test_utf16_with_bom_little_and_big_endian():
    assert decode("\ufeffcafé".encode("utf-16-le"), html=False) == "café"
    assert decode("\ufeffcafé".encode("utf-16-be"), html=True) == "café"


def test_bom_beats_a_contradicting_meta_charset():
    data = b"\xef\xbb\xbf<meta charset='iso-8859-1'><p>\xc3\xa9t\xc3\xa9</p>"
    assert "été" in decode(data, html=True)


def test_meta_charset_is_honoured_for_html():
    data = '<html><head><meta charset="koi8-r"></head><p>Привет</p>'.encode("koi8-r")
    assert "Привет" in decode(data, html=True)


def test_http_equiv_content_type_is_honoured():
    data = (
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><p>日本語</p>'
    ).encode("shift_jis")
    assert "日本語" in decode(data, html=True)


def test_meta_charset_is_ignored_for_plain_text():
    data = '<meta charset="koi8-r"> café'.encode()
    assert decode(data, html=False).endswith("café")


def test_declared_latin1_decodes_smart_quotes_like_a_browser():
    data = b'<meta charset="ISO-8859-1"><p>\x93Yes\x94</p>'
    assert "“Yes”" in decode(data, html=True)


def test_page_resaved_as_utf8_keeps_its_text_despite_an_old_declaration():
    # windows-1251 would decode these bytes too, but into mojibake.
    data = '<meta charset="windows-1251"><p>naïve</p>'.encode()
    assert "naïve" in decode(data, html=True)


def test_wrong_utf8_declaration_falls_back_to_windows_1252():
    data = '<meta charset="utf-8"><p>café</p>'.encode("cp1252")
    assert "café" in decode(data, html=True)


def test_unknown_charset_label_is_ignored():
    assert "café" in decode('<meta charset="no-such-thing"><p>café</p>'.encode(), html=True)


def test_nuls_and_lone_surrogates_are_removed():
    assert decode(b"a\x00b", html=False) == "ab"
    broken = b"\xff\xfe" + "x".encode("utf-16-le") + b"\x00\xd8" + "y".encode("utf-16-le")
    text = decode(broken, html=False)
    assert text.startswith("x") and text.endswith("y")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_never_raises_on_garbage():
    for data in (b"", b"\xff" * 10, bytes(range(256)), b"<meta charset=utf-16>\xff\xfe\x00"):
        assert isinstance(decode(data, html=True), str)
        assert isinstance(decode(data, html=False), str)


def test_nuls_and_byte_order_marks_are_removed_whichever_codec_read_the_page():
    undeclared_utf8 = "a\x00b\ufeffc é".encode()
    declared_utf8 = b'<meta charset="utf-8">' + undeclared_utf8
    windows_1252 = b'<meta charset="windows-1252">a\x00bc \xe9\x81'
    assert decode(undeclared_utf8, html=False) == "abc é"
    assert decode(declared_utf8, html=True).endswith("abc é")
    assert decode(windows_1252, html=True).endswith("abc é\x81")
    assert decode(b"a\x00bc \xe9", html=False) == "abc é"
