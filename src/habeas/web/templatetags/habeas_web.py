"""Template helpers for the case record: citations, partial dates, source links.

``{% cite obj %}`` shows the source of any sourced object (model with ``source`` /
``confidence`` or a dict with those keys); ``{% cite_field case "jurisdiction" %}`` the
source of one case field from ``Case.field_sources``; ``{% pdate obj "offense_date" %}`` a
date at its stored precision; ``{{ text|sourcelinks }}`` turns the URLs of a citation into
short links (full URL in print).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from habeas.cases.models import REPORTED
from habeas.cases.partial_dates import format_partial

register = template.Library()

_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")


def _get(obj, key, default=""):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


@register.filter
def sourcelinks(text: str) -> str:
    """Escape a citation and link its URLs, labelled by host; print CSS shows the full URL."""
    text = text or ""
    out, pos = [], 0
    for m in _URL.finditer(text):
        url = m.group(0)
        host = urlsplit(url).netloc.removeprefix("www.") or url
        out.append(escape(text[pos:m.start()]))
        out.append(f'<a class="src-link" href="{escape(url)}" rel="noreferrer noopener" '
                   f'target="_blank" title="{escape(url)}">{escape(host)}</a>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@register.inclusion_tag("web/_cite.html")
def cite_source(source, confidence="", note=""):
    """A citation given as text and confidence (e.g. ``collection_source`` of an item)."""
    return {"source": source, "reported": confidence == REPORTED, "note": note}


@register.inclusion_tag("web/_cite.html")
def cite(obj, extra=""):
    """The citation of a sourced object, with a flag when its confidence is only "reported"."""
    return {"source": _get(obj, "source"), "reported": _get(obj, "confidence") == REPORTED,
            "note": _get(obj, "note") or extra}


@register.inclusion_tag("web/_cite.html")
def cite_field(case, field: str):
    """The citation of one case field, from ``Case.field_sources``."""
    entry = case.source_of(field) or {}
    return {"source": entry.get("source", ""), "reported": entry.get("confidence") == REPORTED,
            "note": entry.get("note", "")}


@register.inclusion_tag("web/_date.html")
def pdate(obj, name: str, empty="—"):
    """A partial date at its precision, with the source's own wording when it says more."""
    value = getattr(obj, name, None)
    precision = getattr(obj, f"{name}_precision", "day")
    return {"display": obj.partial(name), "iso": format_partial(value, precision),
            "precision": precision, "empty": empty}


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template."""
    return mapping.get(key) if mapping else None
