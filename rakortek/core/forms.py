"""The project's form bases: every select's empty choice reads "Pilih ..." (Indonesian by
default) instead of Django's dashes.

Django writes the dashes in two places: the `empty_label` of a ModelChoiceField and the
blank choice a model field's choices get in its form field. A form built on `ChooseForm`
or `ChooseModelForm` replaces both once its fields exist; a field that sets its own empty
label ("Pilih bidang") keeps it. Django's own admin keeps its dashes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

DASHES = "---------"
CHOOSE = _("Choose ...")


def says_choose(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DASHES):
                field.choices = [("", CHOOSE), *choices[1:]]


class ChooseMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        says_choose(self)


class ChooseForm(ChooseMixin, forms.Form):
    pass


class ChooseModelForm(ChooseMixin, forms.ModelForm):
    pass
