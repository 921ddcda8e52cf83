"""One page for every action that asks for a reason first: withdraw or return an issue,
unlock a desk, undo a merge, reopen minutes or a final document.

The page names what is acted on, says what will happen, and asks for the reason in
the action's own form; the action runs only on a valid POST. A refusal of the rules
is shown on the page next to the form, with what was typed kept (or, where the
action says so, handled by its own `refused`).
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

TEMPLATE = "confirm_reason.html"


def refusal_message(error) -> str:
    return getattr(error, "message", None) or str(error)


def confirm_with_reason(
    request,
    form,
    *,
    act: Callable,
    success: str,
    next_url: str,
    refusals: tuple = (),
    refused: Callable | None = None,
    template: str = TEMPLATE,
    **page,
) -> HttpResponse:
    """The confirmation page of `form`, or the result of `act(cleaned_data)`.

    `act` raises one of `refusals` when the rules refuse; `refused(form, error)` may
    then answer with a response, or a form to show instead (None: the same form).
    `page` is the page's text: title, submit, intro, subject, cancel_url (default
    `next_url`), button_class, and whatever an extending template needs.
    """
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            act(form.cleaned_data)
        except refusals as error:
            answer = refused(form, error) if refused is not None else None
            if isinstance(answer, HttpResponse):
                return answer
            if answer is not None:
                form = answer
            elif refused is None:
                form.add_error(None, refusal_message(error))
        else:
            messages.success(request, success)
            return redirect(next_url)
    page.setdefault("cancel_url", next_url)
    return render(request, template, {"form": form, **page})
