"""``{% load document_tags %}`` — ``{% case_documents case %}``: the case's documents, a search
box and an upload link, for the case page."""

from django import template

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html", takes_context=True)
def case_documents(context, case, limit=25):
    from habeas.documents.views import case_document_list

    docs = case_document_list(case, context.get("user") or getattr(context.get("request"), "user", None))
    total = docs.count()
    if limit:
        docs = docs[:limit]
    return {"case": case, "documents": list(docs), "total": total, "more": bool(limit) and total > limit,
            "request": context.get("request"), "user": context.get("user")}
