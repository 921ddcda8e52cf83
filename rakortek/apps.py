from django.apps import AppConfig


class RakortekConfig(AppConfig):
    """The project itself, installed so its templates tags and commands load."""

    name = "rakortek"
    verbose_name = "Rakortek"
