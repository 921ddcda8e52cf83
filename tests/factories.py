from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from meetings.models import AgendaItem, Criterion, Desk, Field, Meeting, Region
from rakortek.accounts.models import Role, User

PASSWORD = "sandi-uji-yang-panjang"


def region(slug):
    """Regions come from the data migration; tests look them up, never create them."""
    return Region.objects.get(slug=slug)


def field(slug):
    return Field.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    role = Role.SECRETARIAT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.RAKORTEK
    year = 2022
    title = factory.Sequence(lambda n: f"RAKORTEK PU Uji {n}")
    slug = factory.Sequence(lambda n: f"rakortek-uji-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=8))
    venue = "Ruang Auditorium Dinas PUPRPRKP"
    mode = Meeting.Mode.HYBRID
    online_link = "https://zoom.example.go.id/j/1"
    submission_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    submission_closes_at = factory.LazyAttribute(lambda m: m.starts_at - timedelta(days=1))
    status = Meeting.Status.ACTIVE


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    meeting = factory.SubFactory(MeetingFactory)
    field = factory.LazyFunction(lambda: field("bina-marga"))
    room = "Ruang Rapat"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Kriteria {n}")
    weight = 20
    order = factory.Sequence(int)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    starts_at = time(9, 0)
    activity = "Pembukaan"


# Meetings setup (tests/meetings): a RAKORGUB must follow a RAKORTEK.
class RakorgubFactory(MeetingFactory):
    kind = Meeting.Kind.RAKORGUB
    title = factory.Sequence(lambda n: f"RAKORGUB Uji {n}")
    slug = factory.Sequence(lambda n: f"rakorgub-uji-{n}")
    follows = factory.SubFactory(MeetingFactory)
    mode = Meeting.Mode.IN_PERSON
    online_link = ""
    submission_opens_at = None
    submission_closes_at = None


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field

    name = factory.Sequence(lambda n: f"Bidang Uji {n}")
    code = factory.Sequence(lambda n: f"U{n}")
    slug = factory.Sequence(lambda n: f"bidang-uji-{n}")
    order = 10


# ---- issues ----
class IssueFactory(factory.django.DjangoModelFactory):
    """A draft issue of Pangkalpinang in a Bina Marga desk; submit it through issues.services."""

    class Meta:
        model = "issues.Issue"

    desk = factory.SubFactory(DeskFactory)
    meeting = factory.SelfAttribute("desk.meeting")
    region = factory.LazyFunction(lambda: region("pangkalpinang"))
    proposing_office = "DPUPRPKP Kota Pangkalpinang"
    title = factory.Sequence(lambda n: f"Penanganan genangan Jalan Soekarno Hatta ruas {n}")
    problem = "Genangan setinggi 40 cm setiap hujan deras karena saluran tersumbat sedimen."
    current_condition = "Saluran eksisting berdimensi 60 x 60 cm dan rusak di beberapa titik."
    proposed_handling = "Normalisasi dan peningkatan kapasitas saluran sepanjang 1,2 km."
    support_requested = "Dukungan pendanaan APBD Provinsi untuk pembangunan saluran primer."
    district = "Gerunggang"
    village = "Kacang Pedang"
    place = "Jalan Soekarno Hatta"
    volume = Decimal("1.2")
    unit = "km"
    estimated_cost = Decimal("1250000000")
    funding_source = "apbd_provinsi"
    authority = "provinsi"
    priority_order = factory.Sequence(lambda n: n + 1)


# ---- end issues ----


# ---- attendance and minutes (tests/meetings/test_attendance*.py, test_minutes*.py) ----
class ParticipantFactory(factory.django.DjangoModelFactory):
    """A participant not yet checked in; name_key/office_key follow the name and office."""

    class Meta:
        model = "meetings.Participant"

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Peserta Uji {n}")
    position = "Perencana Ahli Muda"
    office = "DPUPRPKP Kota Pangkalpinang"
    region = factory.LazyFunction(lambda: region("pangkalpinang"))
    phone = "081234567890"
    mode = "luring"
    name_key = factory.LazyAttribute(lambda p: _person_key(p.name))
    office_key = factory.LazyAttribute(lambda p: _person_key(p.office))


def _person_key(text):
    from meetings.services import person_key

    return person_key(text)


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Minutes"

    meeting = factory.SubFactory(MeetingFactory)
    desk = None
    opening = "Rapat dibuka pada pukul 08.30 WIB oleh Kepala Dinas PUPRPRKP."
    discussion = "Pembahasan isu strategis per bidang."
    place = "Pangkalpinang"


def signature_png(width=600, height=200, *, ink=True):
    """A PNG like the signature pad's: a dark squiggle on a transparent background."""
    import io
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if ink:
        draw = ImageDraw.Draw(image)
        points = [
            (20 + x * (width - 40) / 60, height / 2 + math.sin(x / 3) * height / 3)
            for x in range(61)
        ]
        draw.line(points, fill=(11, 31, 77, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_data_url(png=None):
    import base64

    return "data:image/png;base64," + base64.b64encode(png or signature_png()).decode()


# ---- end attendance and minutes ----
