"""The demo accounts as the tests log in: ``(login, password)`` pairs, the
passwords read from demo/accounts.py, where they are written once."""

from illkirch.eservices.demo.accounts import DEMO_ACCOUNTS


# user id → password, for the tests that log in with the user id
PASSWORDS = {account["userid"]: account["password"] for account in DEMO_ACCOUNTS}

AMELIE = ("amélie.lire", PASSWORDS["amelie.lire"])  # a validated household
JEROME = ("jérôme.attente", PASSWORDS["jerome.attente"])  # awaiting validation
AGENT = ("agent.accueil", PASSWORDS["agent.accueil"])  # enfance, population
VOIRIE = ("agent.voirie", PASSWORDS["agent.voirie"])  # the public space only
REGIE = ("agent.regie", PASSWORDS["agent.regie"])  # Finance
EDITOR = ("redacteur", PASSWORDS["redacteur"])  # the site's editor
