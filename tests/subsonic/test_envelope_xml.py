"""The XML envelope is written as text (core/subsonic/envelope.py) with exactly the bytes
Python's ElementTree writes for the same payload: attributes, text, nested and repeated
elements, escaping of every special character, empty elements."""

from datetime import UTC, datetime
from xml.etree.ElementTree import Element, SubElement, fromstring, tostring

from hypothesis import given, settings
from hypothesis import strategies as st

from core.subsonic.envelope import NAMESPACE, TextElement, _text, xml_document


def _tree_fill(element: Element, payload: dict) -> None:
    """The payload conventions of the envelope, built as an ElementTree (the reference)."""
    for key, value in payload.items():
        if value is None:
            continue
        if key == "value":
            element.text = _text(value)
        elif isinstance(value, TextElement):
            SubElement(element, key).text = value
        elif isinstance(value, dict):
            _tree_fill(SubElement(element, key), value)
        elif isinstance(value, list):
            for item in value:
                child = SubElement(element, key)
                if isinstance(item, dict):
                    _tree_fill(child, item)
                else:
                    child.text = _text(item)
        else:
            element.set(key, _text(value))


def _by_element_tree(body: dict) -> str:
    root = Element("subsonic-response", xmlns=NAMESPACE)
    _tree_fill(root, body)
    return '<?xml version="1.0" encoding="UTF-8"?>' + tostring(root, encoding="unicode")


# XML 1.0 text: no control characters but tab, new line and carriage return.
texts = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)],
    ),
    max_size=12,
)
names = st.sampled_from(["id", "name", "song", "artist", "value", "starred", "index", "x"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    texts,
    texts.map(TextElement),
    st.datetimes(timezones=st.just(UTC)),
)
payloads = st.recursive(
    st.dictionaries(names, scalars, max_size=5),
    lambda inner: st.dictionaries(
        names,
        st.one_of(scalars, inner, st.lists(st.one_of(inner, texts, st.integers()), max_size=4)),
        max_size=5,
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(body=payloads)
def test_the_written_xml_is_element_trees_byte_for_byte(body):
    written = xml_document(body)

    assert written == _by_element_tree(body)
    root = fromstring(written.encode())  # noqa: S314 (our own output)
    assert root.tag == f"{{{NAMESPACE}}}subsonic-response"


def test_special_characters_and_empty_elements():
    body = {
        "status": "ok",
        "artist": [
            {"id": "ar-1", "name": 'AC/DC & "Friends" <live>\n\ttour\r', "starred": None},
            {},
        ],
        "lyrics": {"value": "a < b & c > d", "artist": "x"},
        "biography": TextElement(""),
        "when": datetime(2026, 12, 4, 3, 4, 5, 678901, tzinfo=UTC),
    }

    written = xml_document(body)

    assert written == _by_element_tree(body)
    assert 'name="AC/DC &amp; &quot;Friends&quot; &lt;live&gt;&#10;&#09;tour&#13;"' in written
    assert "<artist />" in written and "<biography />" in written
    assert 'when="2026-12-04T03:04:05.678Z"' in written
