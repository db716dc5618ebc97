"""Latvia's municipalities in the public API (/api/v1/municipalities/)."""

from ninja import Router, Schema

from kopiena.core.api import paged

from . import models

router = Router(tags=["municipalities"])


class Municipality(Schema):
    slug: str
    name: str
    kind: models.Municipality.Kind
    atvk: str | None = None

    @staticmethod
    def resolve_atvk(municipality: models.Municipality) -> str | None:
        return municipality.atvk or None


@router.get(
    "/",
    response=list[Municipality],
    url_name="municipalities",
    operation_id="listMunicipalities",
    summary="Municipalities",
)
@paged()
def municipalities(request):
    return models.Municipality.objects.order_by("name", "id")
