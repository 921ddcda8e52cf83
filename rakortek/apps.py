from django.apps import AppConfig


class RakortekConfig(AppConfig):
    """The project itself, installed so its templates tags and commands load."""

    name = "rakortek"
    verbose_name = "Rakortek"

    def ready(self):
        from rakortek import checks  # noqa: F401 - registers the deployment checks
