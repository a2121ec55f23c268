"""Reading the translation catalogue (django.po) without gettext tools: which strings still need a
translation. Used by `make messages` and by the test that keeps every page in Bahasa Indonesia."""

import ast


def entries(path):
    """[(msgid, msgstr or [plural forms], flags)] of a .po file (the header left out)."""
    found, current, field, flags = [], None, None, set()

    def finish():
        if current and current.get("msgid"):
            found.append((current["msgid"], current.get("msgstr_plural") or current.get("msgstr", ""), flags))

    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if line.startswith("#,"):
            finish()
            current, field, flags = None, None, {f.strip() for f in line[2:].split(",")}
        elif line.startswith("msgid "):
            if current is not None and field != "msgctxt":
                finish()
                flags = set()
            current = current if field == "msgctxt" else {}
            field = "msgid"
            current["msgid"] = ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
        elif line.startswith("msgstr["):
            field = "msgstr_plural"
            current.setdefault("msgstr_plural", []).append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            current["msgstr"] = ast.literal_eval(line[7:])
        elif line.startswith("msgctxt "):
            finish()
            current, field = {}, "msgctxt"
        elif line.startswith('"') and current is not None and field in ("msgid", "msgstr"):
            current[field] += ast.literal_eval(line)
        elif line.startswith('"') and current is not None and field == "msgstr_plural":
            current["msgstr_plural"][-1] += ast.literal_eval(line)
    finish()
    return found


def untranslated(path):
    """The msgids of ``path`` with no translation, or marked fuzzy."""
    missing = []
    for msgid, msgstr, flags in entries(path):
        empty = not all(msgstr) if isinstance(msgstr, list) else not msgstr
        if empty or "fuzzy" in flags:
            missing.append(msgid)
    return missing
