"""``{% load dnaweb_tags %}{% case_dna_matrix case %}``: the case's evidence × reference
matrix coloured by log10 LR (for the case page)."""

from django import template

register = template.Library()


@register.inclusion_tag("dnaweb/_case_matrix.html", takes_context=True)
def case_dna_matrix(context, case):
    from habeas.dnaweb.views import matrix_context

    ctx = matrix_context(case)
    ctx["request"] = context.get("request")
    ctx["csrf_token"] = context.get("csrf_token")
    return ctx
