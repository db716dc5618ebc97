from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kopiena.core.api import api_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls()),
]
urlpatterns += i18n_patterns(
    path("", include("kopiena.portal.urls")),
    path("", include("kopiena.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("surveys/", include("kopiena.surveys.urls")),
    path("communities/", include("kopiena.communities.urls")),
    path("account/data/", include("kopiena.accounts.urls_personal_data")),
    path("account/notifications/", include("kopiena.accounts.urls_notifications")),
    path("reports/", include("kopiena.reports.urls")),
    path("practices/", include("kopiena.practices.urls")),
    path("network/", include("kopiena.network.urls")),
    path("saistibas/", include("kopiena.ledger.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
