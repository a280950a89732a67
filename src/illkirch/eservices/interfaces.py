"""Marker and schema interfaces shared across the add-on."""

from illkirch.eservices import _
from zope import schema
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

import re


# The help of the footer's links to the site's pages (the same for each).
FOOTER_PAGE_HELP = _(
    "help_footer_page",
    default="Linked from the footer of every page: a path in the site "
    "(such as /mentions-legales) or a full address (https://…). "
    "Leave empty to show no link.",
)


# The document types a service's supporting documents may be marked with, so
# that the document locker (« Mes documents », reuse/locker.py, #17) keeps
# them: one per line, « identifier|Title|validity in months ».
DEFAULT_DOCUMENT_TYPES = [
    "justificatif-domicile|Justificatif de domicile|3",
    "livret-famille|Livret de famille|120",
    "piece-identite|Pièce d'identité|120",
    "avis-imposition|Avis d'imposition|12",
    "attestation-assurance-scolaire|Attestation d'assurance scolaire|12",
]
DOCUMENT_TYPE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_VALIDITY_MONTHS = 1200


class BadDocumentTypes(schema.ValidationError):
    """A line of the document types is not « identifier|Title|months »."""

    def doc(self):
        return self.args[0]


def parse_document_types(lines):
    """``[(identifier, title, months)]`` of the lines « id|Title|months »
    (blank lines skipped); raise BadDocumentTypes with a French message
    naming the first wrong line."""
    result, seen = [], set()
    for number, line in enumerate(lines or (), start=1):
        line = (line or "").strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        months = parts[2] if len(parts) == 3 else ""
        if (
            len(parts) != 3
            or not DOCUMENT_TYPE_ID.match(parts[0])
            or not parts[1]
            or not months.isdigit()
            or not 1 <= int(months) <= MAX_VALIDITY_MONTHS
        ):
            raise BadDocumentTypes(
                _(
                    "error_document_types_line",
                    default="Line ${line} (« ${text} »): write « identifier|Title|"
                    "validity in months », the identifier in lower case letters, "
                    "digits and hyphens, the validity a whole number of months "
                    "from 1 to ${max} (for example « justificatif-domicile|"
                    "Justificatif de domicile|3 »).",
                    mapping={
                        "line": number,
                        "text": line[:80],
                        "max": MAX_VALIDITY_MONTHS,
                    },
                )
            )
        if parts[0] in seen:
            raise BadDocumentTypes(
                _(
                    "error_document_types_twice",
                    default="Line ${line}: the identifier « ${id} » is already "
                    "used by another type.",
                    mapping={"line": number, "id": parts[0]},
                )
            )
        seen.add(parts[0])
        result.append((parts[0], parts[1], int(months)))
    return result


def check_document_types(value):
    """The constraint of ``document_types`` (the control panel, REST)."""
    parse_document_types(value)
    return True


# The town's style sheet of the official documents (#18): appended after
# official_documents/templates/document.css, checked when it is saved.
MAX_DOCUMENT_CSS = 20000


class BadDocumentCss(schema.ValidationError):
    """The style sheet of the official documents cannot be used."""

    def doc(self):
        return self.args[0]


def _css_tokens(nodes):
    """Every token of ``nodes`` and of the blocks and functions in them."""
    for node in nodes or ():
        yield node
        if node.type in ("() block", "[] block", "{} block", "function"):
            yield from _css_tokens(
                node.arguments if node.type == "function" else node.content
            )


def _check_css_rules(rules):
    """The first error of parsed rules (tinycss2) and of their contents."""
    import tinycss2

    for rule in rules:
        if rule.type == "error":
            raise BadDocumentCss(
                _(
                    "error_document_css_syntax",
                    default="Line ${line}, column ${column}: this is not valid CSS "
                    "(${detail}).",
                    mapping={
                        "line": rule.source_line,
                        "column": rule.source_column,
                        "detail": rule.message,
                    },
                )
            )
        if rule.type not in ("qualified-rule", "at-rule"):
            continue
        prelude = list(rule.prelude or ())
        at_keywords = [rule.lower_at_keyword] if rule.type == "at-rule" else []
        for token in _css_tokens(prelude + list(rule.content or ())):
            if token.type == "at-keyword":
                at_keywords.append(token.lower_value)
            if token.type == "literal" and token.value in "{}":
                raise BadDocumentCss(
                    _(
                        "error_document_css_brace",
                        default="Line ${line}, column ${column}: a brace « } » "
                        "closes no block.",
                        mapping={
                            "line": token.source_line,
                            "column": token.source_column,
                        },
                    )
                )
            url = None
            if token.type == "url":
                url = token.value
            elif token.type == "function" and token.lower_name in ("url", "src"):
                strings = [t for t in token.arguments if t.type == "string"]
                url = strings[0].value if strings else ""
            if url is not None and not url.strip().lower().startswith("data:"):
                raise BadDocumentCss(
                    _(
                        "error_document_css_url",
                        default="Line ${line}: only « data: » addresses may be used "
                        "in « url(…) » (documents never fetch anything: an image is "
                        "written in the style sheet itself).",
                        mapping={"line": token.source_line},
                    )
                )
        for keyword in at_keywords:
            if keyword == "import":
                raise BadDocumentCss(
                    _(
                        "error_document_css_import",
                        default="Line ${line}: « @import » is not allowed: write the "
                        "whole style sheet here.",
                        mapping={"line": rule.source_line},
                    )
                )
            if keyword == "font-face":
                raise BadDocumentCss(
                    _(
                        "error_document_css_font_face",
                        default="Line ${line}: « @font-face » is not allowed: use "
                        "the fonts installed on the server (such as « DejaVu Sans », "
                        "« DejaVu Serif »).",
                        mapping={"line": rule.source_line},
                    )
                )
        if rule.content is not None:
            _check_css_rules(
                tinycss2.parse_blocks_contents(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
            )


def check_document_css(value):
    """The constraint of ``document_css`` (the control panel, REST): raise
    BadDocumentCss with a French message for the first problem found (too
    long, markup, ``@import``, ``@font-face``, a ``url()`` that is not a
    ``data:`` URI, CSS that does not parse, with its line)."""
    import tinycss2

    value = value or ""
    if len(value) > MAX_DOCUMENT_CSS:
        raise BadDocumentCss(
            _(
                "error_document_css_length",
                default="The style sheet is too long: ${length} characters, at most "
                "${max}.",
                mapping={"length": len(value), "max": MAX_DOCUMENT_CSS},
            )
        )
    if "<" in value:
        # Never the end of the <style> element it is written in.
        line = value[: value.index("<")].count("\n") + 1
        raise BadDocumentCss(
            _(
                "error_document_css_markup",
                default="Line ${line}: the character « < » is not allowed (a style "
                "sheet holds no markup).",
                mapping={"line": line},
            )
        )
    _check_css_rules(
        tinycss2.parse_stylesheet(value, skip_comments=True, skip_whitespace=True)
    )
    return True


class IIllkirchEservicesLayer(IDefaultBrowserLayer):
    """Browser layer registered when the add-on is installed."""


class IEservicesSettings(Interface):
    """Site-wide settings of the citizen portal, stored in the registry."""

    town_name = schema.TextLine(
        title=_("label_town_name", default="Town name"),
        description=_(
            "help_town_name",
            default="Shown to citizens in pages and emails.",
        ),
        default="Ville d'Illkirch-Graffenstaden",
        required=True,
    )

    postal_address = schema.Text(
        title=_("label_postal_address", default="Postal address of the town hall"),
        description=_(
            "help_postal_address",
            default="Where citizens send documents by post; shown in the "
            "footer of every page.",
        ),
        default=(
            "Mairie d'Illkirch-Graffenstaden\n"
            "181 route de Lyon\n"
            "67400 Illkirch-Graffenstaden"
        ),
        required=True,
    )

    phone = schema.TextLine(
        title=_("label_town_hall_phone", default="Phone of the town hall"),
        description=_(
            "help_town_hall_phone",
            default="Shown in the footer of every page, as a link that "
            "phones can call.",
        ),
        # A number of the range the French regulator (ARCEP) reserves for
        # fiction: the demo town's; set the real one.
        default="03 53 01 00 00",
        required=False,
    )

    opening_hours = schema.Text(
        title=_("label_opening_hours", default="Opening hours of the town hall"),
        description=_(
            "help_opening_hours",
            default="Shown in the footer of every page, line by line.",
        ),
        default=(
            "Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h 30\n"
            "Le samedi : 9 h – 12 h (état civil)"
        ),
        required=False,
    )

    accessibility_page = schema.ASCIILine(
        title=_("label_accessibility_page", default="Accessibility statement page"),
        description=FOOTER_PAGE_HELP,
        default="/@@declaration-accessibilite",
        required=False,
    )

    accessibility_compliance = schema.Choice(
        title=_("label_accessibility_compliance", default="Compliance with the RGAA"),
        description=_(
            "help_accessibility_compliance",
            default="Stated in the footer's link to the accessibility "
            "statement, as the RGAA requires: set it from the results of the "
            "site's audit; without an audit, the site is not compliant.",
        ),
        vocabulary="illkirch.eservices.AccessibilityCompliance",
        default="none",
        required=True,
    )

    legal_notice_page = schema.ASCIILine(
        title=_("label_legal_notice_page", default="Legal notice page"),
        description=FOOTER_PAGE_HELP,
        default="/mentions-legales",
        required=False,
    )

    personal_data_page = schema.ASCIILine(
        title=_("label_personal_data_page", default="Personal data page"),
        description=FOOTER_PAGE_HELP,
        default="/donnees-personnelles",
        required=False,
    )

    public_url = schema.URI(
        title=_("label_public_url", default="Public address of the portal"),
        description=_(
            "help_public_url",
            default="The address citizens use to reach the site, such as "
            "https://www.illkirch.eu. Every link in an email and every "
            "address given to a bank is built from it, never from the "
            "address a request came with.",
        ),
        default="http://localhost:8080/Plone",
        required=True,
    )

    contact_email = schema.ASCIILine(
        title=_("label_contact_email", default="Contact email of the town"),
        description=_(
            "help_contact_email",
            default="Shown to citizens who need to reach the town's services.",
        ),
        default="accueil@illkirch.example",
        required=True,
    )

    service_categories = schema.List(
        title=_("label_service_categories", default="Categories of services"),
        description=_(
            "help_service_categories",
            default="One per line, in the order of the catalogue.",
        ),
        value_type=schema.TextLine(),
        default=[
            "Enfance et éducation",
            "Papiers d'identité et citoyenneté",
            "État civil",
            "Cadre de vie",
            "Solidarité",
        ],
        required=True,
    )

    agents_groups = schema.List(
        title=_("label_agents_groups", default="Agents' groups"),
        description=_(
            "help_agents_groups",
            default="The ids of the groups of the town's agents that may "
            "process the requests of a service, one per line (Site Setup, "
            "Users and Groups). Editors choose a service's group among "
            "them only. Plone's own groups (AuthenticatedUsers, "
            "Administrators, Site Administrators, Reviewers), the régies' "
            "group and any group holding an administrator's role are never "
            "accepted.",
        ),
        value_type=schema.TextLine(),
        default=["Agents"],
        required=False,
    )

    max_attachment_mb = schema.Int(
        title=_("label_max_attachment_mb", default="Largest attached file (MB)"),
        min=1,
        max=100,
        default=10,
        required=True,
    )

    max_request_attachments_mb = schema.Int(
        title=_(
            "label_max_request_attachments_mb",
            default="Largest total of the files attached to a request (MB)",
        ),
        min=1,
        max=500,
        default=30,
        required=True,
    )

    invoice_window_months = schema.Int(
        title=_(
            "label_invoice_window_months", default="Invoices shown to citizens (months)"
        ),
        description=_(
            "help_invoice_window_months",
            default="« Mes comptes » lists the invoices issued in this many "
            "last months.",
        ),
        min=1,
        max=60,
        default=3,
        required=True,
    )

    demo_bank = schema.Bool(
        title=_("label_demo_bank", default="Demonstration bank"),
        description=_(
            "help_demo_bank",
            default="Only on demonstration and test sites: payments on the "
            "« dummy » backend go to the portal's own demonstration bank, "
            "which accepts any payment. Never on a real site.",
        ),
        default=False,
        required=False,
    )

    draft_expiry_days = schema.Int(
        title=_("label_draft_expiry_days", default="Drafts kept (days)"),
        description=_(
            "help_draft_expiry_days",
            default="A request being filled in and not sent (a draft, with its "
            "documents) is deleted this many days after its last save.",
        ),
        min=1,
        max=365,
        default=30,
        required=True,
    )

    draft_reminder_days = schema.Int(
        title=_(
            "label_draft_reminder_days",
            default="Reminder before a draft's deletion (days)",
        ),
        description=_(
            "help_draft_reminder_days",
            default="The citizen is reminded by email this many days before "
            "their draft is deleted (0: no reminder).",
        ),
        min=0,
        max=60,
        default=7,
        required=True,
    )

    # « Dites-le-nous une fois » (#17): the reusable document types.
    document_types = schema.List(
        title=_("label_document_types", default="Reusable document types"),
        description=_(
            "help_document_types",
            default="One per line: « identifier|Title|validity in months ». "
            "A service's supporting document marked with one of these types "
            "is kept in the citizen's « Mes documents » once given, and "
            "offered again for other requests until its validity ends "
            "(counted from the day it was given). Do not change the "
            "identifier of a type in use: the documents kept under it would "
            "no longer be offered.",
        ),
        value_type=schema.TextLine(),
        default=list(DEFAULT_DOCUMENT_TYPES),
        constraint=check_document_types,
        required=False,
    )

    # Official documents (#18): the town's restyling of their layout.
    document_css = schema.Text(
        title=_("label_document_css", default="Style sheet of the official documents"),
        description=_(
            "help_document_css",
            default="CSS added after the documents' own style sheet (filing "
            "receipts, decisions, payment certificates): colours, fonts "
            "installed on the server (« DejaVu Sans », « DejaVu Serif »), "
            "margins (@page), the header's layout. At most 20,000 characters; "
            "no @import, images only as « data: » addresses. The verification "
            "footer (code, QR code, address) always stays visible. Only the "
            "documents issued from now on change: those already issued are "
            "stored PDFs and never change. Preview: Site Setup, « Aperçu des "
            "documents officiels (PDF) ».",
        ),
        default="",
        constraint=check_document_css,
        required=False,
    )


class BadFrontendUri(schema.ValidationError):
    """A line of the FranceConnect frontends' addresses is not an absolute
    http(s) URL without fragment."""

    def doc(self):
        return self.args[0]


def check_frontend_uris(value):
    """The constraint of ``frontend_redirect_uris`` and
    ``frontend_post_logout_uris``: each line an absolute ``http://`` or
    ``https://`` address, with a host, no fragment, no spaces (blank lines
    skipped; raise BadFrontendUri naming the first wrong line). They are
    compared exactly, character for character, with what a client asks for
    (``accounts.franceconnect.redirect_uri_allowed``)."""
    from urllib.parse import urlsplit

    for number, line in enumerate(value or (), start=1):
        line = line or ""
        if not line:
            continue  # a blank line of the form, never matched
        try:
            parts = urlsplit(line)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not host
            or "#" in line
            or any(c.isspace() or ord(c) < 32 for c in line)
        ):
            raise BadFrontendUri(
                _(
                    "error_franceconnect_frontend_uri",
                    default="Line ${line} (« ${text} »): write a complete "
                    "address beginning with https:// (or http://), with its "
                    "server and without « # », for example "
                    "« https://app.illkirch.eu/franceconnect/callback ».",
                    mapping={"line": number, "text": line[:80]},
                )
            )
    return True


# FranceConnect (#20, docs/franceconnect.md): the records' prefix.
FRANCECONNECT_PREFIX = "illkirch.eservices.franceconnect"


class IFranceConnectSettings(Interface):
    """Login with FranceConnect (or any OpenID Connect provider shaped as
    FranceConnect), stored in the registry under ``FRANCECONNECT_PREFIX``."""

    enabled = schema.Bool(
        title=_("label_franceconnect_enabled", default="Offer FranceConnect"),
        description=_(
            "help_franceconnect_enabled",
            default="When unticked, nothing of FranceConnect is shown: no "
            "button on the login page or on « Créer un compte ».",
        ),
        default=False,
        required=False,
    )
    issuer = schema.URI(
        title=_("label_franceconnect_issuer", default="Provider address (issuer)"),
        description=_(
            "help_franceconnect_issuer",
            default="The address its /.well-known/openid-configuration is "
            "read from: FranceConnect's integration platform "
            "(https://fcp-low.sbx.dev-franceconnect.fr/api/v2), its "
            "production platform (https://oidc.franceconnect.gouv.fr/api/v2) "
            "or any OpenID Connect provider.",
        ),
        required=False,
    )
    client_id = schema.TextLine(
        title=_("label_franceconnect_client_id", default="Client identifier"),
        description=_(
            "help_franceconnect_client_id",
            default="Given by FranceConnect's partner space for this site.",
        ),
        required=False,
    )
    client_secret = schema.Password(
        title=_("label_franceconnect_client_secret", default="Client secret"),
        description=_(
            "help_franceconnect_client_secret",
            default="Never shown again once saved: leave empty to keep the "
            "current one.",
        ),
        required=False,
    )
    frontend_redirect_uris = schema.List(
        title=_(
            "label_franceconnect_frontend_redirect_uris",
            default="Return addresses of the applications (Volto, mobile)",
        ),
        description=_(
            "help_franceconnect_frontend_redirect_uris",
            default="One per line: the addresses where FranceConnect may send "
            "the citizen back to an application using the site's REST API "
            "(a Volto site, a mobile application) instead of the site's own "
            "/franceconnect-callback. Each must also be registered as a "
            "redirect URI in FranceConnect's partner space, and is compared "
            "exactly (the same characters, no other path or parameter).",
        ),
        value_type=schema.TextLine(),
        default=[],
        constraint=check_frontend_uris,
        required=False,
    )
    frontend_post_logout_uris = schema.List(
        title=_(
            "label_franceconnect_frontend_post_logout_uris",
            default="Addresses of the applications after logout",
        ),
        description=_(
            "help_franceconnect_frontend_post_logout_uris",
            default="One per line: where FranceConnect may send the citizen "
            "back after ending its session from such an application (the "
            "site's own address is always allowed). Each must also be "
            "registered as a post-logout redirect URI in FranceConnect's "
            "partner space, and is compared exactly.",
        ),
        value_type=schema.TextLine(),
        default=[],
        constraint=check_frontend_uris,
        required=False,
    )


ANTIVIRUS_PREFIX = "illkirch.eservices.antivirus"


class IAntivirusSettings(Interface):
    """Every uploaded file scanned by ClamAV's daemon before anyone opens it
    (#21, ``antivirus/files.py``), stored in the registry under
    ``ANTIVIRUS_PREFIX``."""

    enabled = schema.Bool(
        title=_("label_antivirus_enabled", default="Scan the uploaded files"),
        description=_(
            "help_antivirus_enabled",
            default="When ticked and a daemon address is given, every file a "
            "citizen sends waits « en cours d'analyse » until ClamAV finds "
            "it clean; nobody can open it before.",
        ),
        default=True,
        required=False,
    )
    address = schema.TextLine(
        title=_("label_antivirus_address", default="Address of ClamAV's daemon"),
        description=_(
            "help_antivirus_address",
            default="Its Unix socket (/run/clamav/clamd.ctl or "
            "unix:///run/clamav/clamd.ctl) or its TCP address "
            "(tcp://127.0.0.1:3310). Empty: no scan.",
        ),
        default="",
        required=False,
    )
    max_stream_mb = schema.Int(
        title=_(
            "label_antivirus_max_stream_mb",
            default="Largest file sent to the daemon (MB)",
        ),
        description=_(
            "help_antivirus_max_stream_mb",
            default="At least the largest file a citizen may send, and at "
            "most the daemon's StreamMaxLength.",
        ),
        default=25,
        min=1,
        required=False,
    )
    timeout = schema.Int(
        title=_("label_antivirus_timeout", default="Daemon's timeout (seconds)"),
        default=30,
        min=1,
        required=False,
    )
