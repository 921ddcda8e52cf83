"""The configured province's name in templates (RAKORTEK_PROVINCE_CODE)."""

from django import template

from meetings.areas import province_name as _province_name

register = template.Library()


@register.simple_tag
def province_name(upper=False):
    """{% province_name %} -> Kepulauan Bangka Belitung; {% province_name upper=True %}."""
    name = _province_name()
    return name.upper() if upper else name
