"""The follow-up card of the home pages: what issues.followup.services.home_summary says."""

from django import template

from issues.followup.services import home_summary

register = template.Library()


@register.inclusion_tag("issues/followup/_home_card.html", takes_context=True)
def followup_card(context):
    user = context["user"]
    return {"summary": home_summary(user), "user": user}
