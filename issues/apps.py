from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Strategic issues")

    def ready(self):
        # The weights live in meetings, the stored scores here: meetings calls down to
        # nothing, so it offers a hook.
        from issues.services import meeting_scores_refresh
        from meetings.services import on_criteria_changed

        on_criteria_changed(meeting_scores_refresh)
