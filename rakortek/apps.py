from django.apps import AppConfig


class RakortekConfig(AppConfig):
    """The project itself, installed so its templates tags and commands load."""

    name = "rakortek"
    verbose_name = "Rakortek"

    def ready(self):
        from django.core.signals import request_finished

        from rakortek.core.logs import clear_request_context

        # Django logs a 404 or 500 after the middleware has returned: the ids stay set
        # until the response is finished.
        request_finished.connect(clear_request_context, dispatch_uid="rakortek.core.logs")
        from rakortek import checks  # noqa: F401  (registers the system checks)
