"""What good practice contributes to lower apps' services (kopiena.core.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kopiena.core.extensions import CommunityMerge, DemoData

from .demo import demo_load
from .models import PracticeCase, ReplicationRequest, ThreadMessage


def _merge(source, target) -> dict[str, int]:
    """Cases, replication requests and their messages follow the community. A request the
    duplicate made for a case the target had asked about too is folded into the target's
    (its messages move there), so the thread stays one per case and community."""
    cases = PracticeCase.objects.filter(community=source).update(community=target)
    for request in ReplicationRequest.objects.filter(community=source):
        kept = ReplicationRequest.objects.filter(case=request.case_id, community=target).first()
        if kept is not None:
            ThreadMessage.objects.filter(request=request).update(request=kept)
            request.delete()
    requests = ReplicationRequest.objects.filter(community=source).update(community=target)
    ThreadMessage.objects.filter(community=source).update(community=target)
    return {_("labās prakses piemēri"): cases, _("pieredzes apmaiņas pieprasījumi"): requests}


CONTRIBUTIONS = (
    DemoData(app_label="practices", load=demo_load),
    CommunityMerge(app_label="practices", move=_merge),
)
