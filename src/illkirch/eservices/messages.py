"""Messages said alike by the domain, the pages and the REST services
(their French texts are in locales/fr)."""

from illkirch.eservices import _


CORRECT_ERRORS = _("error_registration", default="Please correct the errors.")
REQUIRED = _("error_required", default="This field is required.")
INVALID_EMAIL = _(
    "error_email", default="Enter a valid email address, e.g. prenom.nom@exemple.fr."
)
