"""« Suivre ma demande » without shutting people out (#15 item 8): wrong
tries are limited per request number (10 an hour, then that number is
locked even with its code) and per client address only past a much higher
threshold (100 an hour), after which each try needs a solved captcha
instead of a lock. A wrong number and a wrong code answer the same."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import registration
from illkirch.eservices.requests import submission
from illkirch.eservices.requests import tracking
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.requests import PAUL_MARTIN
from illkirch.eservices.testing.site import use_mock_mailhost
from plone.app.testing import logout

import unittest


# The documented limits (docs/security.md), per hour.
PER_NUMBER = 10
PER_ADDRESS = 100
SHARED = "198.51.100.20"  # a town hall's public Wi-Fi, a mobile NAT
OTHER = "203.0.113.9"


def solved_captcha():
    token = registration.new_captcha()
    return {
        "token": token,
        "answer": captcha.answer_for(registration.captcha_secret(), token),
    }


def other_number(index):
    """A well-formed number no request has."""
    return f"2026-9{index:05d}"


class TestTrackingLimits(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        logout()

    def file(self):
        request_obj = submission.submit(
            self.portal["demarches"]["acte-de-naissance"],
            BIRTH_ANSWERS,
            requester=PAUL_MARTIN,
            captcha=solved_captcha(),
        )
        return request_obj, submission.last_tracking_code(self.layer["request"])

    def refused(self, number, code, address, captcha=None):
        with self.assertRaises(tracking.TrackingRefused) as info:
            tracking.lookup(number, code, address, captcha=captcha)
        return info.exception

    def wrong_tries(self, count, address):
        """``count`` wrong tries from ``address``, each on another number
        (none of them reaches its own limit)."""
        for index in range(count):
            refused = self.refused(other_number(index), "WRONG234", address)
            self.assertIs(refused.message, tracking.WRONG)
            self.assertFalse(refused.locked or refused.captcha)

    def test_wrong_tries_on_other_numbers_do_not_shut_the_address_out(self):
        request_obj, code = self.file()
        self.wrong_tries(PER_ADDRESS - 1, SHARED)
        found = tracking.lookup(request_obj.number, code, SHARED)
        self.assertEqual(found.UID(), request_obj.UID())
        self.assertFalse(tracking.asks_captcha(SHARED))

    def test_a_number_under_attack_is_locked_even_with_its_code(self):
        attacked, code = self.file()
        other, other_code = self.file()
        for index in range(PER_NUMBER):
            refused = self.refused(attacked.number, "WRONG234", f"192.0.2.{index}")
            self.assertFalse(refused.locked)
        refused = self.refused(attacked.number, code, SHARED)
        self.assertTrue(refused.locked)
        self.assertIs(refused.message, tracking.LOCKED)
        # another number, from the same address and from the attackers' own
        found = tracking.lookup(other.number, other_code, SHARED)
        self.assertEqual(found.UID(), other.UID())
        found = tracking.lookup(other.number, other_code, "192.0.2.0")
        self.assertEqual(found.UID(), other.UID())
        self.assertFalse(tracking.asks_captcha("192.0.2.0"))

    def test_past_the_address_threshold_a_captcha_instead_of_a_lock(self):
        request_obj, code = self.file()
        self.wrong_tries(PER_ADDRESS, SHARED)
        self.assertTrue(tracking.asks_captcha(SHARED))
        self.assertFalse(tracking.asks_captcha(OTHER))
        refused = self.refused(request_obj.number, code, SHARED)
        self.assertTrue(refused.captcha)
        self.assertFalse(refused.locked)
        self.assertIs(refused.message, tracking.CAPTCHA_NEEDED)
        unanswered = dict(solved_captcha(), answer="")  # a form sends its token
        refused = self.refused(request_obj.number, code, SHARED, unanswered)
        self.assertIs(refused.message, tracking.CAPTCHA_NEEDED)
        wrong = solved_captcha()
        wrong["answer"] = f"{(int(wrong['answer']) + 1) % 10**6:06d}"
        refused = self.refused(request_obj.number, code, SHARED, wrong)
        self.assertIs(refused.message, tracking.CAPTCHA_ERROR)
        solved = solved_captcha()
        found = tracking.lookup(request_obj.number, code, SHARED, captcha=solved)
        self.assertEqual(found.UID(), request_obj.UID())
        # one captcha, one try
        refused = self.refused(request_obj.number, code, SHARED, solved)
        self.assertIs(refused.message, tracking.CAPTCHA_ERROR)
        # another address is not concerned
        found = tracking.lookup(request_obj.number, code, OTHER)
        self.assertEqual(found.UID(), request_obj.UID())

    def test_with_a_captcha_wrong_tries_still_count_for_the_number(self):
        request_obj, code = self.file()
        self.wrong_tries(PER_ADDRESS, SHARED)
        for _attempt in range(PER_NUMBER):
            refused = self.refused(
                request_obj.number, "WRONG234", SHARED, solved_captcha()
            )
            self.assertIs(refused.message, tracking.WRONG)
        refused = self.refused(request_obj.number, code, OTHER)
        self.assertTrue(refused.locked)

    def test_a_wrong_number_and_a_wrong_code_answer_and_count_the_same(self):
        request_obj, code = self.file()
        wrong_code = self.refused(request_obj.number, "WRONG234", SHARED)
        wrong_number = self.refused(other_number(1), code, SHARED)
        self.assertEqual(
            (wrong_code.message, wrong_code.locked, wrong_code.captcha),
            (wrong_number.message, wrong_number.locked, wrong_number.captcha),
        )
        # a number no request has is locked like a real one: a lock does not
        # tell that the number exists
        for _attempt in range(PER_NUMBER - 1):
            self.refused(request_obj.number, "WRONG234", OTHER)
            self.refused(other_number(1), code, OTHER)
        self.assertTrue(self.refused(request_obj.number, code, OTHER).locked)
        self.assertTrue(self.refused(other_number(1), code, OTHER).locked)
