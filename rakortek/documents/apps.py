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

        # issues sits below this app and asks it, through a hook, which agreement
        # document is final (that locks the agreement points).
        from issues.agreement.services import register_final_agreement_lookup
        from rakortek.documents.selectors import final_agreement_document

        register_final_agreement_lookup(final_agreement_document)
