#!/usr/bin/env python3
"""Prints the character class used for tag keys and values in
specs/openapi/vpc-lattice-create-association.yaml.

The documented tag character set is Unicode letters, digits and white space plus `_ . : / = + - @`
(the suite reads it as `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`). JSON Schema patterns are ECMA-262
without the `u` flag, and Python's `re` (which Schemathesis and hypothesis-jsonschema use) has no
`\\p{...}`, so the class is spelled out as `\\uXXXX` ranges over the Basic Multilingual Plane:
both engines read those the same way. Letters outside the BMP cannot be written portably and are
left out (an under-approximation, stated in the schema).

Usage: python3 scripts/openapi_tag_chars.py   (prints the class, with its brackets)
"""

import unicodedata


def allowed(cp: int) -> bool:
    if 0xD800 <= cp <= 0xDFFF:
        return False
    c = chr(cp)
    return unicodedata.category(c)[0] in "LNZ" or c in "_.:/=+-@"


def escape(cp: int) -> str:
    c = chr(cp)
    if c.isascii() and c.isalnum():
        return c
    return "\\u%04X" % cp


def main() -> None:
    ranges, start = [], None
    for cp in range(0x10000):
        ok = allowed(cp)
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0xFFFF))
    body = "".join(escape(a) if a == b else f"{escape(a)}-{escape(b)}" for a, b in ranges)
    print(f"[{body}]")


if __name__ == "__main__":
    main()
