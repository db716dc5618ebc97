from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("communities/", api.communities, name="communities"),
    path("communities/<slug:slug>/", api.community_detail, name="community"),
    path("municipalities/", api.municipalities, name="municipalities"),
]
