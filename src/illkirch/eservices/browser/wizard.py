"""What the portal's step-by-step forms share (the registration and the
filing of a request): the POST of a step, moving between steps, the heading
of a step (« Étape 2 sur 4 : Adresse », also in the page's title)."""

from illkirch.eservices import _
from plone.protect import CheckAuthenticator
from zope.i18n import translate
from zope.i18nmessageid import Message


STEP_HEADING = _("step_heading", default="Step ${number} of ${count}: ${title}")


def handle_post(view):
    """On a POST, check the CSRF token and let ``view.handle(action)`` act;
    return what it returns (None: render the page)."""
    if view.request.method != "POST":
        return None
    CheckAuthenticator(view.request)
    return view.handle(view.request.form.get("action", "next"))


def move(step_ids, current, action, check):
    """The step to show after ``action`` on step ``current``.

    ``action`` is "previous", "goto:<step>" (an earlier step only) or "next"
    (only when ``check(current)`` finds no error). Return ``(step, errors)``;
    any other action leaves the step as it is.
    """
    if current not in step_ids:
        current = step_ids[0]
    index = step_ids.index(current)
    if action == "previous":
        return step_ids[max(index - 1, 0)], {}
    if action.startswith("goto:"):
        target = action.split(":", 1)[1]
        return (target if target in step_ids[:index] else current), {}
    if action == "next":
        errors = check(current)
        if not errors and index + 1 < len(step_ids):
            return step_ids[index + 1], errors
        return current, errors
    return current, {}


def step_heading(number, count, title, request):
    """« Étape 2 sur 4 : Adresse »: the heading of a step and the start of
    its page's title."""
    return Message(
        STEP_HEADING,
        mapping={
            "number": number,
            "count": count,
            "title": translate(title, context=request),
        },
    )
