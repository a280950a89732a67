"""The town's agents' groups: the only groups a service's requests may go to.

Site administrators designate them in Site Setup, « Espace citoyen »
(registry record ``illkirch.eservices.agents_groups``, group ids, one per
line); the demo profile designates its three groups. A designated group is
offered only if it exists and is not one of Plone's own groups, the régies'
group or a group holding an administrator's role: whatever the setting
says, a service's requests can never be opened to every logged-in user or
to staff who are no agents.
"""

from illkirch.eservices.roles import FINANCE_ROLE
from illkirch.eservices.roles import GROUPS
from plone import api
from plone.app.content.browser import vocabulary as vocabulary_views
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


AGENTS_GROUPS_RECORD = "illkirch.eservices.agents_groups"
# Never an agents' group: Plone's virtual group of every logged-in user, its
# administrators' and reviewers' groups, and the add-on's Finance groups.
RESERVED_GROUPS = frozenset(
    {
        "AuthenticatedUsers",
        "Administrators",
        "Site Administrators",
        "Reviewers",
        *(
            group_id
            for group_id, (_title, roles) in GROUPS.items()
            if FINANCE_ROLE in roles
        ),
    }
)
# A group holding one of these roles site-wide is no agents' group either.
RESERVED_ROLES = frozenset({"Manager", "Site Administrator", FINANCE_ROLE})
VOCABULARY_NAME = "illkirch.eservices.AgentsGroups"
# The staff's business: ``@vocabularies`` and ``@@getVocabulary`` list it to
# those who may edit the content they are on (editors), not to citizens.
vocabulary_views.PERMISSIONS.setdefault(VOCABULARY_NAME, "Modify portal content")


def designated():
    """The group ids of the setting, in its order, without blanks."""
    ids = api.portal.get_registry_record(AGENTS_GROUPS_RECORD, default=None) or ()
    seen = []
    for group_id in ids:
        group_id = (group_id or "").strip()
        if group_id and group_id not in seen:
            seen.append(group_id)
    return seen


def _acceptable(group):
    if group is None or group.getId() in RESERVED_GROUPS:
        return False
    roles = set(group.getRoles() or ())
    return not (roles & RESERVED_ROLES)


def may_be_agents_group(group_id):
    """Whether the group exists and may be designated (neither one of
    Plone's own groups, the régies' nor a group of administrators)."""
    if not isinstance(group_id, str) or not group_id or group_id in RESERVED_GROUPS:
        return False
    return _acceptable(api.group.get(groupname=group_id))


def agents_groups():
    """``[(id, title)]``: the designated groups that may process requests."""
    found = []
    for group_id in designated():
        # may_be_agents_group's rules, each group looked up once (#22)
        if not isinstance(group_id, str) or group_id in RESERVED_GROUPS:
            continue
        group = api.group.get(groupname=group_id)
        if _acceptable(group):
            found.append((group_id, group.getProperty("title") or group_id))
    return found


def agents_group_titles(group_ids):
    """``{id: title}`` of those of ``group_ids`` that ``agents_groups``
    lists, with its titles: only these groups looked up (#22: the
    statistics of an agent name one or two groups, not every designated
    one)."""
    wanted = set(group_ids)
    found = {}
    for group_id in designated():
        if group_id not in wanted or group_id in RESERVED_GROUPS:
            continue
        group = api.group.get(groupname=group_id)
        if _acceptable(group):
            found[group_id] = group.getProperty("title") or group_id
    return found


def is_agents_group(group_id):
    """Whether ``group_id`` may process a service's requests."""
    return group_id in designated() and may_be_agents_group(group_id)


@provider(IVocabularyFactory)
def AgentsGroupsVocabularyFactory(context):
    return SimpleVocabulary(
        [
            SimpleTerm(value=group_id, token=group_id, title=title)
            for group_id, title in agents_groups()
        ]
    )
