from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kopiena.core.text import render_markdown
from kopiena.places.models import Municipality

from . import selectors
from .models import LedgerItem


def _item_or_404(pk: int) -> LedgerItem:
    try:
        return selectors.ledger_item_detail(pk)
    except LedgerItem.DoesNotExist as exc:
        raise Http404(_("Saistība nav atrasta")) from exc


def item_detail(request, pk: int):
    item = _item_or_404(pk)
    return render(
        request,
        "ledger/item_detail.html",
        {
            "item": item,
            "description": render_markdown(item.description),
            "timeline": selectors.item_timeline(item),
        },
    )


def liaisons(request, municipality: str):
    municipality = get_object_or_404(Municipality, slug=municipality)
    return render(
        request,
        "ledger/liaisons.html",
        {
            "municipality": municipality,
            "liaisons": selectors.liaisons_of_municipality(municipality),
        },
    )
