import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "rakortek.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        # WeasyPrint logs every layout step at INFO; that would bury the export
        # command's output and the server log. Its warnings still come through.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
