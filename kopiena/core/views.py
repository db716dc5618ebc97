from django.shortcuts import render

from kopiena.surveys.selectors import survey_list_public


def home(request):
    return render(request, "core/home.html", {"surveys": survey_list_public()[:10]})
