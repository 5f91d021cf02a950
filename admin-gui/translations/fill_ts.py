#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
"""fill_ts.py: after lupdate, writes the Korean translations (ko.py) into console_ko.ts
and the English plural forms into console_en.ts; prints the Korean messages still
missing and exits 1 if there are any."""
import os
import re
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from ko import KO, KO_PREFIX  # noqa: E402


def korean(source):
    if source in KO:
        return KO[source]
    for prefix, text in KO_PREFIX.items():
        if source.startswith(prefix):
            return text
    return None


def english_forms(source):
    one = re.sub(r"\((s|es)\)", "", source)
    many = re.sub(r"\((s|es)\)", r"\1", source)
    return [one, many]


def fill(path, lang):
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation")
        numerus = message.get("numerus") == "yes"
        for child in list(translation):
            translation.remove(child)
        translation.text = None
        if lang == "ko":
            text = korean(source)
            if text is None:
                missing.append(source)
                translation.set("type", "unfinished")
                continue
            if numerus:
                ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = text
        elif numerus:
            for form in english_forms(source):
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.set("type", "unfinished")  # English: the source text is used
            continue
        translation.attrib.pop("type", None)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    with open(path, "r+", encoding="utf-8") as f:  # keep lupdate's DOCTYPE line
        body = f.read().replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        f.seek(0)
        f.write(body)
        f.truncate()
    return missing


missing = fill(os.path.join(here, "console_ko.ts"), "ko")
fill(os.path.join(here, "console_en.ts"), "en")
for m in missing:
    print("missing:", m)
sys.exit(1 if missing else 0)
