"""One page size and one way to cut a list into pages, for every list page."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(queryset, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The page asked for; a page number that is not a number or out of range gives the
    nearest page (the first or the last), never an error."""
    return Paginator(queryset, per_page).get_page(page_number)
