"""Survey URLs: staff management under manage/, answering at the survey's slug.

Each group of views lives in its own module; their patterns are joined here.
"""

from . import urls_answer, urls_import, urls_manage

app_name = "surveys"
urlpatterns = [*urls_manage.urlpatterns, *urls_import.urlpatterns, *urls_answer.urlpatterns]
