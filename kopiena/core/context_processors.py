from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def site(request):
    return {"SITE_URL": settings.SITE_URL}


def other_languages(request):
    """The other languages of the site, each with this page's address in that language.

    The address is translated here, while the page's own language is active: the
    set_language view runs under the default language and could not resolve an
    /en/… address itself.
    """
    current = get_language()
    path = request.get_full_path()
    return {
        "other_languages": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
