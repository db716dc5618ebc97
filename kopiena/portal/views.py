from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "portal/home.html", {"blocks": selectors.page_blocks(request)})
