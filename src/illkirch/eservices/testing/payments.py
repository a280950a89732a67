"""Test helpers of card payments: the tests play the bank, with eopayment's
own code for each backend.

- ``PaymentsTestCase``: the base of the integration tests of payments (a
  demo household logged in, its régie « ville » on SystemPay, the mails
  kept), with its basket and checkout helpers;
- ``use_systempay``, ``bank_fields``: a régie on ``systempayv2`` with test
  keys, and SystemPay's signed answers (integration tests);
- one ``Bank`` class per backend family offered to the régies
  (``SystemPayBank``, ``PayZenBank``, ``Sips2Bank``, ``OgoneBank``,
  ``PayboxBank``, ``PayFiPBank`` with its SOAP ``PayFiPResponder``): the
  régie's options, the reading of the portal's request, the bank's signed
  notification (``tests/functional/test_payment_backends.py``).
"""

from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.billing import basket
from illkirch.eservices.payments import checkout
from illkirch.eservices.payments import records
from illkirch.eservices.testing.layers import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.site import use_mock_mailhost
from pathlib import Path
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import base64
import collections
import email
import email.policy
import eopayment
import re
import shutil
import tempfile
import threading
import unittest


SYSTEMPAY_OPTIONS = {
    "vads_site_id": "12345678",
    "secret_test": "TestSecret2026",
    "vads_ctx_mode": "TEST",
}


RETURN_URL = "http://nohost/plone/@@paiement-retour"
NOTIFY_BASE = "http://nohost/plone/@payment-notify"


def use_systempay(regie_id="ville"):
    regie = checkout.get_regie(regie_id)
    regie.backend = "systempayv2"
    regie.backend_options = dict(SYSTEMPAY_OPTIONS)
    return regie


def invoice_by_number(household, number):
    return next(
        obj
        for obj in household.objectValues()
        if getattr(obj, "portal_type", "") == "Invoice" and obj.number == number
    )


def bank_fields(
    payment, result="00", amount_cents=None, secret=None, transaction_id=None
):
    """The fields SystemPay would send about ``payment``, signed with
    ``secret`` (default: the régie's test secret)."""
    import eopayment

    fields = {
        name: value
        for name, value in checkout.bank_form(payment)["fields"]
        if name.startswith("vads_")
    }
    fields.update(
        {
            "vads_result": result,
            "vads_auth_result": result,
            "vads_extra_result": "",
            "vads_auth_number": "A1B2C3",
            "vads_trans_status": "AUTHORISED" if result == "00" else "REFUSED",
        }
    )
    if amount_cents is not None:
        fields["vads_amount"] = str(amount_cents)
    if transaction_id is not None:
        fields["vads_ext_info_eopayment_trans_id"] = transaction_id
    options = dict(
        SYSTEMPAY_OPTIONS, secret_test=secret or SYSTEMPAY_OPTIONS["secret_test"]
    )
    bank = eopayment.Payment("systempayv2", options)
    fields["signature"] = bank.backend.signature(fields)
    return fields


class PaymentsTestCase(unittest.TestCase):
    """A demo household (« amelie.lire », logged in) paying its invoices by
    card on the régie « ville » (SystemPay, test keys); the mails kept in
    ``self.mailhost``."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.household = household_of("amelie.lire")
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        use_systempay("ville")
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)

    def invoice(self, number):
        return invoice_by_number(self.household, number)

    def add(self, *numbers):
        for number in numbers:
            basket.add(
                self.household,
                self.invoice(number).UID(),
                in_payment=records.pending_invoice_uids(self.household),
            )

    def checkout(self, *numbers):
        """The invoices put in the basket and paid: ``(payment, the bank's
        URL)``."""
        self.add(*numbers)
        return checkout.start(self.household, RETURN_URL, NOTIFY_BASE)

    def state(self, number):
        return api.content.get_state(self.invoice(number))

    def mails(self):
        """The mails sent, parsed."""
        return [
            email.message_from_bytes(
                m if isinstance(m, bytes) else m.encode(), policy=email.policy.default
            )
            for m in self.mailhost.messages
        ]


# --- The banks, played with eopayment's own code ------------------------
#
# One class per backend family, used by tests/functional/test_payment_backends.py:
# ``options(production)`` are the régie's options, ``request(payment_id,
# redirect_url, options)`` reads what the portal's checkout sent to the bank (and
# checks its signature as the bank would), ``notification(request, ...)``
# builds the bank's notification, signed with eopayment's own code.


def form_fields(redirect_url):
    """The fields of a FORM backend's request: the checkout gives them as the
    redirect URL's query string (``payments/checkout.py``)."""
    return dict(parse_qsl(urlsplit(redirect_url).query, keep_blank_values=True))


class Bank:
    """What every bank played by the tests offers."""

    kind = None
    method = "POST"
    # Whether the bank's answer carries the mode (test or production) itself.
    signs_mode = True

    def backend(self, options):
        return eopayment.Payment(self.kind, dict(options)).backend

    def options(self, production=False):
        raise NotImplementedError

    def request(self, payment_id, redirect_url, options):
        """``{"reference", "amount_cents", "notify_url", ...}`` of the bank's
        request to the régie of ``options``; fails when the request is not
        signed as the bank expects."""
        raise NotImplementedError

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        """The bank's notification (a dict of form fields)."""
        raise NotImplementedError

    def tamper(self, data):
        """The notification with its amount changed, signature kept."""
        raise NotImplementedError


class SystemPayBank(Bank):
    """SystemPay (and PayZen): HMAC-SHA-256 with the secret of the mode the
    notification names (``vads_ctx_mode``); a production régie holds both
    secrets, as the SystemPay back office gives them."""

    kind = "systempayv2"
    TEST_SECRET = "TestSecret2026"
    PRODUCTION_SECRET = "ProductionSecret2026"

    def options(self, production=False):
        return {
            "vads_site_id": "12345678",
            "secret_test": self.TEST_SECRET,
            "secret_production": self.PRODUCTION_SECRET,
            "vads_ctx_mode": "PRODUCTION" if production else "TEST",
            "signature_algo": "hmac_sha256",
        }

    def request(self, payment_id, redirect_url, options):
        fields = form_fields(redirect_url)
        assert self.backend(options).signature(fields) == fields["signature"]
        return {
            "fields": fields,
            "reference": fields["vads_ext_info_eopayment_trans_id"],
            "amount_cents": int(fields["vads_amount"]),
            "notify_url": fields["vads_url_check"],
        }

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        fields = {
            name: value
            for name, value in request["fields"].items()
            if name.startswith("vads_")
        }
        result = "00" if paid else "05"
        fields.update(
            {
                "vads_result": result,
                "vads_auth_result": result,
                "vads_extra_result": "",
                "vads_auth_number": "A1B2C3",
                "vads_trans_status": "AUTHORISED" if paid else "REFUSED",
            }
        )
        if amount_cents is not None:
            fields["vads_amount"] = str(amount_cents)
        if test_mode:
            fields["vads_ctx_mode"] = "TEST"
        secrets = self.options()
        if forged:
            secrets.update(secret_test="Guessed1", secret_production="Guessed1")
        fields["signature"] = self.backend(secrets).signature(fields)
        return fields

    def tamper(self, data):
        return dict(data, vads_amount="1")


class PayZenBank(SystemPayBank):
    kind = "payzen"


class Sips2Bank(Bank):
    """SIPS 2: the ``Seal`` is SHA-256 of the ``Data`` and the secret key;
    its test platform uses the merchant and key the SIPS documentation
    publishes (eopayment's defaults)."""

    kind = "sips2"
    PRODUCTION_MERCHANT = "011223344550000"
    PRODUCTION_KEY = "production-key-of-the-town-2026"

    def __init__(self):
        from eopayment.sips2 import Payment

        self.TEST_MERCHANT = Payment.TEST_MERCHANT_ID
        self.TEST_KEY = "002001000000001_KEY1"

    def options(self, production=False):
        if production:
            return {
                "platform": "prod",
                "merchant_id": self.PRODUCTION_MERCHANT,
                "secret_key": self.PRODUCTION_KEY,
                "key_version": "1",
            }
        return {
            "platform": "test",
            "merchant_id": self.TEST_MERCHANT,
            "secret_key": self.TEST_KEY,
            "key_version": "1",
        }

    def request(self, payment_id, redirect_url, options):
        fields = form_fields(redirect_url)
        backend = self.backend(options)
        data = backend.decode_data(fields["Data"])
        assert backend.check_seal(data, fields["Seal"])
        return {
            "data": data,
            "reference": data["transactionReference"],
            "amount_cents": int(data["amount"]),
            "notify_url": data["automaticResponseUrl"],
            "options": options,
        }

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        data = collections.OrderedDict(request["data"])
        data.update(
            {
                "responseCode": "00" if paid else "05",
                "acquirerResponseCode": "00" if paid else "05",
                "authorisationId": "123456",
                "transactionDateTime": "2026-12-02 10:00:00",
            }
        )
        if amount_cents is not None:
            data["amount"] = str(amount_cents)
        options = dict(request["options"])
        if test_mode:
            # The test platform's merchant, sealed with the key the régie
            # holds: only the mode tells it apart.
            data["merchantId"] = self.TEST_MERCHANT
        if forged:
            options["secret_key"] = "guessed-key"
        backend = self.backend(options)
        return {
            "Data": backend.encode_data(data),
            "Seal": backend.seal_data(data),
            "InterfaceVersion": "HP_2.3",
        }

    def tamper(self, data):
        return dict(data, Data=re.sub(r"amount=\d+", "amount=1", data["Data"]))


class OgoneBank(Bank):
    """Ogone: ``SHASIGN`` is the SHA of the sorted fields and the SHA-OUT
    key. Its answers carry no mode: the test and production environments
    are separate accounts with their own keys, so a notification of the
    test account is signed with the test account's SHA-OUT key."""

    kind = "ogone"
    signs_mode = False
    KEYS = {
        False: ("TestShaIn2026", "TestShaOut2026"),
        True: ("ProdShaIn2026", "ProdShaOut2026"),
    }

    def options(self, production=False):
        sha_in, sha_out = self.KEYS[production]
        return {
            "environment": "PROD" if production else "TEST",
            "pspid": "illkirch" if production else "illkirchTEST",
            "sha_in": sha_in,
            "sha_out": sha_out,
            "hash_algorithm": "sha256",
        }

    def request(self, payment_id, redirect_url, options):
        fields = form_fields(redirect_url)
        signature = fields.pop("SHASIGN")
        assert self.backend(options).sha_sign_in(fields, encoding="utf-8") == signature
        # The notification URL is set in Ogone's back office, without the
        # payment's reference (the portal finds it in the answer).
        return {
            "fields": fields,
            "reference": fields["COMPLUS"],
            "amount_cents": int(fields["AMOUNT"]),
            "notify_url": None,
            "options": options,
        }

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        cents = request["amount_cents"] if amount_cents is None else amount_cents
        params = {
            "ORDERID": request["fields"]["ORDERID"],
            "COMPLUS": request["fields"]["COMPLUS"],
            "AMOUNT": str(Decimal(cents) / 100),
            "CURRENCY": "EUR",
            "PAYID": "3012345678",
            "STATUS": "9" if paid else "2",
            "NCERROR": "0" if paid else "30001001",
            "ACCEPTANCE": "TEST42",
            "BRAND": "VISA",
            "PM": "CreditCard",
            "CARDNO": "XXXXXXXXXXXX1111",
            "TRXDATE": "12/02/26",
        }
        options = dict(request["options"])
        if test_mode:
            options.update(self.options(production=False))
        if forged:
            options["sha_out"] = "GuessedShaOut"
        params["SHASIGN"] = self.backend(options).sha_sign_out(params, encoding="utf-8")
        return params

    def tamper(self, data):
        return dict(data, AMOUNT="0.01")


class PayboxBank(Bank):
    """Paybox signs its notifications with its private RSA key (SHA-1,
    PKCS#1 v1.5); eopayment checks them with Paybox's public key. The test
    generates its own key pair and puts its public key in the place of
    Paybox's (``use_key()``): a substitution made by the test only. The
    preproduction platform answers with the authorisation number
    ``XXXXXX``. Paybox calls the notification URL with GET."""

    kind = "paybox"
    method = "GET"
    # The test account Paybox documents, and its HMAC key.
    TEST = {
        "site": "1999888",
        "rang": "32",
        "identifiant": "107904945",
        "shared_secret": "0123456789ABCDEF" * 8,
    }
    PRODUCTION = {
        "site": "1234567",
        "rang": "01",
        "identifiant": "123456789",
        "shared_secret": "A1B2C3D4E5F60718" * 8,
    }

    def __init__(self):
        from Cryptodome.PublicKey import RSA

        self.key = RSA.generate(2048)
        self.other_key = RSA.generate(2048)

    def use_key(self):
        """Put the test's public key in the place of Paybox's; returns the
        function restoring it."""
        from eopayment import paybox

        saved = paybox.verify.__defaults__
        paybox.verify.__defaults__ = (self.key.publickey().export_key().decode(),)
        return lambda: setattr(paybox.verify, "__defaults__", saved)

    def options(self, production=False):
        return dict(
            self.PRODUCTION if production else self.TEST,
            platform="prod" if production else "test",
        )

    def request(self, payment_id, redirect_url, options):
        from eopayment.paybox import sign

        fields = list(parse_qsl(urlsplit(redirect_url).query, keep_blank_values=True))
        signature = dict(fields)["PBX_HMAC"]
        unsigned = [(k, v) for k, v in fields if k != "PBX_HMAC"]
        secret = bytes.fromhex(options["shared_secret"])
        assert dict(sign(unsigned, secret))["PBX_HMAC"] == signature
        fields = dict(fields)
        return {
            "fields": fields,
            "reference": fields["PBX_CMD"],
            "amount_cents": int(fields["PBX_TOTAL"]),
            "notify_url": fields["PBX_REPONDRE_A"],
        }

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        from Cryptodome.Hash import SHA
        from Cryptodome.Signature import PKCS1_v1_5

        cents = request["amount_cents"] if amount_cents is None else amount_cents
        pairs = [
            ("montant", str(cents)),
            ("reference", request["reference"]),
            ("code_autorisation", "XXXXXX" if test_mode else "A1B2C3"),
            ("erreur", "00000" if paid else "00021"),
            ("numero_appel", "0123456"),
            ("numero_transaction", "0654321"),
            ("date_transaction", "20261202"),
            ("heure_transaction", "10:00:00"),
        ]
        signed = "&".join(f"{k}={quote(v)}" for k, v in pairs)
        key = self.other_key if forged else self.key
        signature = PKCS1_v1_5.new(key).sign(SHA.new(signed.encode()))
        return dict(pairs, signature=base64.b64encode(signature).decode())

    def tamper(self, data):
        return dict(data, montant="1")


# --- PayFiP: a local SOAP responder speaking the DGFiP web service ---------

PAYFIP_SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/"
    "mas_securite/contrat_paiement_securise/PaiementSecuriseService"
)


class _PayFiPHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        status, answer = self.server.responder.answer(body)
        payload = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">'
            f"<S:Body>{answer}</S:Body></S:Envelope>"
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _tag(body, name):
    found = re.search(rf"<(?:\w+:)?{name}>([^<]*)</(?:\w+:)?{name}>", body)
    return found.group(1) if found else None


class PayFiPResponder:
    """PayFiP's SOAP web service (``creerPaiementSecurise``,
    ``recupererDetailPaiementSecurise``) on 127.0.0.1, in the shape of the
    DGFiP's WSDL that eopayment's ``payfip_ws`` client reads. ``start()``
    also points eopayment's client at it (a copy of eopayment's WSDL with
    this address: a substitution made by the test only)."""

    def __init__(self):
        self.payments = {}  # idop → what the portal asked, and the result
        self.lock = threading.Lock()

    def start(self):
        from eopayment import payfip_ws

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _PayFiPHandler)
        self.server.responder = self
        port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/tpa/services/securite"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.folder = Path(tempfile.mkdtemp())
        resource = Path(payfip_ws.__file__).parent / "resource"
        for path in resource.iterdir():
            shutil.copy(path, self.folder / path.name)
        wsdl = self.folder / "PaiementSecuriseService.wsdl"
        wsdl.write_text(
            wsdl.read_text().replace(
                "https://www.payfip.gouv.fr/tpa/services/securite", self.url
            )
        )
        self._saved = payfip_ws.PayFiP.__init__.__defaults__
        payfip_ws.PayFiP.__init__.__defaults__ = (f"file://{wsdl}",) + self._saved[1:]
        return self

    def stop(self):
        from eopayment import payfip_ws

        payfip_ws.PayFiP.__init__.__defaults__ = self._saved
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def answer(self, body):
        if "creerPaiementSecurise>" in body or "creerPaiementSecurise " in body:
            idop = uuid_hex()
            with self.lock:
                self.payments[idop] = {
                    name: _tag(body, name)
                    for name in (
                        "exer",
                        "mel",
                        "montant",
                        "numcli",
                        "objet",
                        "refdet",
                        "saisie",
                        "urlnotif",
                        "urlredirect",
                    )
                }
                self.payments[idop]["resultrans"] = None
            return 200, (
                "<ns2:creerPaiementSecuriseResponse"
                f' xmlns:ns2="{PAYFIP_SERVICE_NS}">'
                f"<return><idOp>{idop}</idOp></return>"
                "</ns2:creerPaiementSecuriseResponse>"
            )
        idop = _tag(body, "idOp")
        with self.lock:
            payment = dict(self.payments.get(idop) or {})
        if not payment or not payment.get("resultrans"):
            code = "P1" if not payment else "P5"
            return 500, (
                "<S:Fault><faultcode>S:Server</faultcode><faultstring>"
                "fr.gouv.finances.cp.tpa.webservice.exceptions."
                "FonctionnelleErreur"
                "</faultstring><detail>"
                f'<ns2:FonctionnelleErreur xmlns:ns2="{PAYFIP_SERVICE_NS}">'
                f"<code>{code}</code><descriptif>IdOp incorrect</descriptif>"
                "<libelle>IdOp incorrect</libelle><severite>2</severite>"
                "</ns2:FonctionnelleErreur></detail></S:Fault>"
            )
        fields = "".join(
            f"<{name}>{escape(str(payment.get(name) or ''))}</{name}>"
            for name in (
                "dattrans",
                "exer",
                "heurtrans",
                "idOp",
                "mel",
                "montant",
                "numauto",
                "numcli",
                "objet",
                "refdet",
                "resultrans",
                "saisie",
            )
        )
        return 200, (
            "<ns2:recupererDetailPaiementSecuriseResponse"
            f' xmlns:ns2="{PAYFIP_SERVICE_NS}">'
            f"<return>{fields}</return>"
            "</ns2:recupererDetailPaiementSecuriseResponse>"
        )

    def settle(self, idop, resultrans="P", **changes):
        """The citizen paid (``P``) or was refused (``R``) at PayFiP."""
        with self.lock:
            self.payments[idop].update(
                resultrans=resultrans,
                idOp=idop,
                numauto="112233",
                dattrans="02122026",
                heurtrans="1000",
                **changes,
            )


def uuid_hex():
    import uuid

    return uuid.uuid4().hex


class PayFiPBank(Bank):
    """PayFiP: the notification is only ``idop=…``; eopayment then asks the
    DGFiP's web service (here ``PayFiPResponder``) what became of it. There
    is no signature to forge: a forged notification is an idop PayFiP does
    not know, or another payment's."""

    kind = "payfip_ws"

    def __init__(self, responder):
        self.responder = responder

    def options(self, production=False):
        return {"numcli": "123456", "saisie": "W" if production else "T"}

    def request(self, payment_id, redirect_url, options):
        idop = dict(parse_qsl(urlsplit(redirect_url).query))["idop"]
        asked = self.responder.payments[idop]
        return {
            "idop": idop,
            "reference": asked["refdet"],
            "amount_cents": int(asked["montant"]),
            "notify_url": asked["urlnotif"],
            "saisie": asked["saisie"],
        }

    def notification(
        self, request, paid=True, amount_cents=None, test_mode=False, forged=False
    ):
        cents = request["amount_cents"] if amount_cents is None else amount_cents
        changes = {
            "montant": str(cents),
            "saisie": "T" if test_mode else request["saisie"],
        }
        self.responder.settle(request["idop"], "P" if paid else "R", **changes)
        if forged:
            return {"idop": uuid_hex()}
        return {"idop": request["idop"]}

    def tamper(self, data):
        return {"idop": data["idop"][:-4] + "0000"}
