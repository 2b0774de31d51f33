"""A feed-article checker written the straightforward way, as a yardstick.

One process; per file: a regular expression for the header, an lxml fragment
parse of the HTML, and a jsonschema validation of the extracted record (with a
validator built once, to be fair). It checks far less than newscheck does.
Usage: python benchmarks/reference_checker.py DIRECTORY
"""

from __future__ import annotations

import os
import re
import sys

import jsonschema
import lxml.html

HEADER = re.compile(
    r"<!--(?P<timestamp>\d{13})-->\n\[(?P<title>.*)\]\((?P<url>[^)\n]*)\)\n------\n\n", re.S
)
RECORD = {
    "type": "object",
    "required": ["timestamp", "title", "url", "body"],
    "properties": {
        "timestamp": {"type": "string", "pattern": "^[0-9]{13}$"},
        "title": {"type": "string", "minLength": 1, "maxLength": 300},
        "url": {"type": "string", "pattern": "^https?://"},
        "date": {"type": "string"},
        "images": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "body": {"type": "string", "minLength": 20},
    },
}


def check(path: str, validator: jsonschema.Draft202012Validator) -> list[str]:
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    header = HEADER.match(text)
    if header is None:
        return ["bad header"]
    content = text[header.end() :].strip()
    root = lxml.html.fragment_fromstring(content or "<p></p>", create_parent="div")
    first = root[0] if len(root) else None
    record = {
        "timestamp": header["timestamp"],
        "title": header["title"],
        "url": header["url"],
        "images": [img.get("src") or "" for img in root.iter("img")],
        "body": root.text_content(),
    }
    if first is not None and first.tag == "div" and not first.attrib:
        record["date"] = first.text_content()
    return [error.message for error in validator.iter_errors(record)]


def main(folder: str) -> int:
    validator = jsonschema.Draft202012Validator(RECORD)
    files = problems = 0
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".md"):
                files += 1
                problems += bool(check(os.path.join(root, name), validator))
    print(f"{files} files, {problems} with problems")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
