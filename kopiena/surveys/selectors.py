from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Survey


def survey_list_public() -> QuerySet[Survey]:
    """Published surveys open for answers now, newest first."""
    now = timezone.now()
    return (
        Survey.objects.filter(status=Survey.Status.PUBLISHED, access=Survey.Access.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("municipality")
    )
