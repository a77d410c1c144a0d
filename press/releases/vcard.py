"""Press contacts as vCards (RFC 6350, version 4.0)."""

from press.releases.models import PressContact

FOLD_AT = 75


def _escape(value: str) -> str:
    """Text value escaping of RFC 6350 §3.4: backslash, comma, semicolon, newline."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.2),
    never cutting a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = FOLD_AT if not out else FOLD_AT - 1
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def press_contact_vcard(*, contact: PressContact, language: str) -> str:
    """The contact's card: name, role in `language`, email, phone."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_escape(contact.name)}",
        "KIND:individual",
        f"EMAIL;TYPE=work:{_escape(contact.email)}",
    ]
    role = contact.role_in(language)
    if role:
        lines.append(f"TITLE;LANGUAGE={language}:{_escape(role)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{contact.phone.replace(' ', '')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
