from django.conf import settings


def site(request):
    return {"SITE_NAME": "Rakortek", "DEBUG": settings.DEBUG}
