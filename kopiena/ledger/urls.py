from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("ieraksts/<int:pk>/", views.item_detail, name="item"),
    path("<slug:municipality>/koordinatori/", views.liaisons, name="liaisons"),
]
