from django.apps import AppConfig


class RakortekConfig(AppConfig):
    """The project itself, installed so its templates tags and commands load."""

    name = "rakortek"
    verbose_name = "Rakortek"

    def ready(self):
        from django.core.signals import request_finished

        from rakortek.logs import clear_request_context

        # Django logs a 404 or 500 after the middleware has returned: the ids stay set
        # until the response is finished.
        request_finished.connect(clear_request_context, dispatch_uid="rakortek.logs")
        from rakortek import checks  # noqa: F401  (registers the system checks)

        _empty_choice_says_choose()


def _empty_choice_says_choose():
    """Every select's empty choice reads "Pilih ..." instead of Django's "---------".

    Django spells the dashes in two places: the blank choice of a model field's choices
    (`BLANK_CHOICE_DASH`, a list the fields share, changed in place here) and the default
    `empty_label` of `ModelChoiceField` (wrapped here). A form that sets its own empty
    label keeps it.
    """
    from django.db.models import fields
    from django.forms import models as form_models
    from django.utils.translation import gettext_lazy as _

    choose = _("Choose ...")
    fields.BLANK_CHOICE_DASH[:] = [("", choose)]
    original_init = form_models.ModelChoiceField.__init__
    if getattr(original_init, "says_choose", False):
        return

    def __init__(self, queryset, *, empty_label=choose, **kwargs):
        if empty_label == "---------":
            empty_label = choose
        original_init(self, queryset, empty_label=empty_label, **kwargs)

    __init__.says_choose = True
    form_models.ModelChoiceField.__init__ = __init__
