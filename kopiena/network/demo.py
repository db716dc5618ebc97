"""The network's demo: news from communities and municipalities, comments and follows, so
the feed, the home page and a resident's notifications have something to show."""

from __future__ import annotations

from django.db import transaction

from kopiena.accounts.demo import RESIDENT, demo_user
from kopiena.accounts.models import User
from kopiena.communities.models import Community, CommunityMembership
from kopiena.core.extensions import DemoContext
from kopiena.places.models import Municipality

from .models import NewsPost
from .services import comment_create, follow_set, news_post_create

# (community or None, municipality, author e-mail or None for the community's coordinator,
#  title, body, topic)
POSTS = [
    (
        "Baloži",
        "kekavas_nov",
        "Pavasara talka Baložu parkā",
        "Sestdien, 10:00, tiekamies pie **Baložu vidusskolas**. Cimdus un maisus nodrošinās "
        "pašvaldība; ņemiet līdzi grābekļus. Pēc talkas — zupa no katla.",
        "vide",
    ),
    (
        "Baloži",
        "kekavas_nov",
        "Kopienas sapulce par gājēju ietvi",
        "Aicinām uz sapulci par drošu ietvi gar Rīgas ielu. Pieteikumu pašvaldībai "
        "sagatavosim kopā — lūdzu, atnāciet vai atsūtiet savus priekšlikumus.",
        "satiksme",
    ),
    (
        "Ķekavas Ūdri",
        "kekavas_nov",
        "Jāņu ielīgošana pie upes",
        "23. jūnijā no 19:00 — dziesmas, siers un ugunskurs. Līdzi ņemiet vainagus un labu "
        "garastāvokli!",
        "kultura",
    ),
    (
        "Daugmale",
        "kekavas_nov",
        "Daugmales bibliotēkā — senioru datorklase",
        "Katru otrdienu 11:00 brīvprātīgie palīdz apgūt e-pakalpojumus, e-pastu un "
        "videozvanus ar mazbērniem.",
        "informacija",
    ),
    (
        None,
        "kekavas_nov",
        "Izsludināts NVO un iedzīvotāju projektu konkurss",
        "Ķekavas novada pašvaldība aicina kopienas pieteikt projektus: līdz 5 000 EUR "
        "projektam, pašvaldība sedz līdz 90 % izmaksu. Nolikums un pieteikšanās — platformā.",
        "lidzdaliba",
    ),
    (
        None,
        "kekavas_nov",
        "Līdzdalības budžeta balsojums sācies",
        "Balsot var novada iedzīvotāji no 16 gadu vecuma ar deklarēto dzīvesvietu novadā. "
        "Iepazīstieties ar idejām un balsojiet!",
        "lidzdaliba",
    ),
    (
        "Āgenskalns",
        "riga",
        "Āgenskalna tirgus pagalmā — kaimiņu brokastis",
        "Svētdien no 10:00 kopīgas brokastis: katrs atnes kaut ko uz galda. Bērniem — "
        "radošās darbnīcas.",
        "kultura",
    ),
    (
        "Mežaparks",
        "riga",
        "Mežaparka iedzīvotāju viedoklis par satiksmes shēmu",
        "Apkopojām 214 iedzīvotāju atbildes par jauno satiksmes shēmu; kopsavilkumu "
        "iesniedzām Rīgas domei. Paldies visiem, kas piedalījās!",
        "satiksme",
    ),
    (
        None,
        "riga",
        "Rīgas apkaimju iedzīvotāju centri aicina",
        "Apkaimju centros pieejamas telpas kopienu sanāksmēm un pasākumiem bez maksas — "
        "piesakiet laiku platformas telpu sadaļā.",
        "lidzdaliba",
    ),
    (
        "Jaunolaine",
        "olaines_nov",
        "Jaunolaines kopiena izveido biedrību",
        "Pēc kopsapulces nolēmām dibināt biedrību, lai varētu pieteikties projektu "
        "konkursos. Paldies Ķekavas kaimiņiem par padomu!",
        "lidzdaliba",
    ),
    (
        "Kaldabruņa",
        "augsdaugavas_nov",
        "Kaldabruņas skolas 100 gadu salidojums",
        "Aicinām bijušos skolēnus un skolotājus uz salidojumu augustā. Pieteikšanās līdz "
        "15. jūlijam.",
        "kultura",
    ),
    (
        "Liepa",
        "cesu_nov",
        "Liepas bērnu laukuma atjaunošana pabeigta",
        "Ar projektu konkursa atbalstu un 40 brīvprātīgo stundām laukums atkal gatavs "
        "rotaļām. Paldies visiem talciniekiem!",
        "vide",
    ),
]


def _coordinator(community: Community) -> User | None:
    membership = community.memberships.filter(role=CommunityMembership.Role.COORDINATOR).first()
    return membership.user if membership else None


@transaction.atomic
def demo_load(context: DemoContext) -> None:
    if NewsPost.objects.exists():
        context.existing.append("news")
        return
    resident = demo_user(RESIDENT)
    home_community = Community.objects.get(name="Baloži", municipality__slug="kekavas_nov")
    follow_set(user=resident, community=home_community, follow=True)
    follow_set(user=resident, topic="vide", follow=True)
    for name, municipality_slug, title, body, topic in POSTS:
        municipality = Municipality.objects.get(slug=municipality_slug)
        if name is None:
            author = municipality.staff.first() or User.objects.get(email="admin@kopiena.lv")
            post = news_post_create(
                author=author, municipality=municipality, title=title, body=body, topic=topic
            )
        else:
            community = Community.objects.get(name=name, municipality=municipality)
            post = news_post_create(
                author=_coordinator(community),
                community=community,
                title=title,
                body=body,
                topic=topic,
            )
        if "talka" in title.lower():
            comment_create(post=post, author=resident, body="Būšu ar visu ģimeni!")
        context.created.append(f"ziņa: {title}")
