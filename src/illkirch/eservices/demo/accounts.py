"""Demo accounts, one for each kind of user (passwords documented in the README)."""

from plone import api


# All demo passwords follow the portal's password policy (12+ characters,
# 3 character classes); they are published in the README: demo only.
DEMO_ACCOUNTS = (
    {
        # A citizen whose household the town has validated.
        "username": "amélie.lire",
        "userid": "amelie.lire",
        "email": "amelie.lire@example.org",
        "fullname": "Amélie Lire",
        "password": "Citoyenne-Demo-2026",
        "roles": ("Member",),
        "groups": (),
    },
    {
        # A citizen whose account awaits validation by the town.
        "username": "jérôme.attente",
        "userid": "jerome.attente",
        "email": "jerome.attente@example.org",
        "fullname": "Jérôme Attente",
        "password": "Citoyen-Attente-2026",
        "roles": ("Member",),
        "groups": (),
    },
    {
        "username": "agent.accueil",
        "userid": "agent.accueil",
        "email": "agent.accueil@illkirch.example",
        "fullname": "Claire Guichet (agent)",
        "password": "Agent-Mairie-2026",
        "roles": ("Member",),
        "groups": ("Agents", "agents-enfance", "agents-population"),
    },
    {
        # An agent of the public space service only (another group).
        "username": "agent.voirie",
        "userid": "agent.voirie",
        "email": "agent.voirie@illkirch.example",
        "fullname": "Marc Voirie (agent)",
        "password": "Agent-Voirie-2026",
        "roles": ("Member",),
        "groups": ("Agents", "agents-voirie"),
    },
    {
        "username": "agent.regie",
        "userid": "agent.regie",
        "email": "agent.regie@illkirch.example",
        "fullname": "Paul Régie (finances)",
        "password": "Regie-Finance-2026",
        "roles": ("Member",),
        "groups": ("Regies",),
    },
    {
        # A manager « Responsable »: the statistics of every service.
        "username": "responsable.ville",
        "userid": "responsable.ville",
        "email": "responsable@illkirch.example",
        "fullname": "Nadia Pilotage (responsable)",
        "password": "Responsable-Ville-2026",
        "roles": ("Member",),
        "groups": ("Responsables",),
    },
    {
        "username": "redacteur",
        "userid": "redacteur",
        "email": "redaction@illkirch.example",
        "fullname": "Rédaction du site",
        "password": "Redaction-Site-2026",
        "roles": ("Member", "Contributor", "Editor", "Reviewer", "Reader"),
        "groups": (),
    },
)


# The agents' groups of the demo services (group id -> title).
SERVICE_GROUPS = {
    "agents-enfance": "Agents — Enfance et éducation",
    "agents-population": "Agents — Population et citoyenneté",
    "agents-voirie": "Agents — Cadre de vie",
}


def create_accounts(portal):
    """Create the demo accounts that do not exist yet (idempotent)."""
    for group_id, title in SERVICE_GROUPS.items():
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=title)
    pas = portal.acl_users
    created = []
    for account in DEMO_ACCOUNTS:
        userid = account["userid"]
        if pas.getUserById(userid) is None:
            # Login names differ from user ids (accents): add through the
            # user plugin, which keeps both, then set the member properties.
            pas.source_users.addUser(userid, account["username"], account["password"])
            created.append(userid)
        member = api.user.get(userid=userid)
        member.setMemberProperties(
            {"email": account["email"], "fullname": account["fullname"]}
        )
        roles = [r for r in account["roles"] if r != "Member"]
        api.user.grant_roles(user=member, roles=["Member", *roles])
        for group in account["groups"]:
            api.group.add_user(groupname=group, user=member)
    return created
