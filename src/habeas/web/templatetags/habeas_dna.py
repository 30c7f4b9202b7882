"""Template filters for DNA statistics: numbers held as log10, shown as a court would read them."""

import math

from django import template

register = template.Library()

_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@register.filter
def pow10(log10_value):
    """``21.507`` -> ``"3.2 × 10²¹"``; small values plainly (``0.5`` -> ``"3.16"``); ``None`` -> ``"—"``."""
    if log10_value is None:
        return "—"
    if math.isinf(log10_value):
        return "0" if log10_value < 0 else "∞"
    exponent = math.floor(log10_value)
    mantissa = 10 ** (log10_value - exponent)
    if -3 <= exponent <= 5:
        return f"{10 ** log10_value:,.3g}"
    if mantissa >= 9.95:
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.1f} × 10{str(exponent).translate(_SUP)}"


@register.filter
def one_in(log10_probability):
    """A probability held as log10, as '1 in N': ``-21.5`` -> ``"1 in 3.2 × 10²¹"``."""
    if log10_probability is None:
        return "—"
    return f"1 in {pow10(-log10_probability)}"


@register.filter
def log10_bucket(log10_value):
    """A CSS class for colouring a log10 LR: strong support for Hp, weak, neutral, Hd."""
    if log10_value is None:
        return "lr-none"
    if log10_value >= 6:
        return "lr-strong"
    if log10_value >= 2:
        return "lr-moderate"
    if log10_value > -2:
        return "lr-neutral"
    return "lr-against"
