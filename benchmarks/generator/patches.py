"""What this process changes in Zope and Plone while it generates (restored
at the end; the add-on itself is not changed): forms parsed once, no email
sent, the work of the add events that is useless for the generated objects
skipped, the catalog's values read once per object (and the names a type
does not have once per type), the holders' email read once.
"""

from contextlib import contextmanager


@contextmanager
def cached_service_forms():
    """Parse each service's easyform model once in this process (collective
    easyform parses the XML on every call): the add-on's own ``answers``
    code then checks and stores the generated answers at little cost."""
    from illkirch.eservices.requests import forms

    original = forms.answer_fields
    cache = {}

    def answer_fields(service):
        key = service.UID()
        if key not in cache:
            cache[key] = original(service)
        return cache[key]

    forms.answer_fields = answer_fields
    try:
        yield
    finally:
        forms.answer_fields = original


@contextmanager
def muted_mail():
    """No email leaves this process: the MailHost's send only counts."""
    from Products.MailHost.MailHost import MailBase

    sent = []
    original = MailBase.send

    def send(self, messageText, mto=None, mfrom=None, subject=None, *args, **kw):
        sent.append(mto)

    MailBase.send = send
    try:
        yield sent
    finally:
        MailBase.send = original


@contextmanager
def faster_adds(portal):
    """Skip, in this process and for the objects this script adds, the work
    of the add events that changes nothing for them:

    - z3c.relationfield looks for relation fields anew on each add: cached
      here by the interfaces the object provides, when it has none;
    - the workflow tool reindexes the workflow variables and the security of
      the new object and of its sub-objects (it has none yet): the catalog
      indexes all of it once, at the commit;
    - handlers that find nothing to do for these types: link integrity (no
      rich text), content rules (when the site has none), five.intid's
      « moved » handler (it stores again the same intid), CMFUid (when it
      does not assign uids on add).
    """
    from five.intid.intid import moveIntIdSubscriber
    from plone.app.contentrules.handlers import added
    from plone.app.linkintegrity.handlers import modifiedContent
    from Products.CMFCore.WorkflowTool import WorkflowTool
    from Products.CMFUid.UniqueIdAnnotationTool import handleUidAnnotationEvent
    from z3c.relationfield import event
    from z3c.relationfield.interfaces import IRelation
    from z3c.relationfield.interfaces import IRelationList
    from zope.component import getGlobalSiteManager
    from zope.interface import providedBy
    from zope.schema import getFields

    potential_relations = event._potential_relations
    reindex_variables = WorkflowTool._reindexWorkflowVariables
    without_relations = set()

    def _potential_relations(obj):
        spec = providedBy(obj)
        if spec in without_relations:
            return iter(())
        if not any(
            IRelation.providedBy(f) or IRelationList.providedBy(f)
            for iface in spec.flattened()
            for f in getFields(iface).values()
        ):
            without_relations.add(spec)
            return iter(())
        return potential_relations(obj)

    def _reindexWorkflowVariables(self, ob):
        if not getattr(ob, "_v_generated", False):
            reindex_variables(self, ob)

    quiet = {modifiedContent, moveIntIdSubscriber}
    if not content_rules():
        quiet.add(added)
    uid_tool = getattr(portal, "portal_uidannotation", None)
    if uid_tool is None or not uid_tool.getProperty("assign_on_add", False):
        quiet.add(handleUidAnnotationEvent)
    registry = getGlobalSiteManager()
    swapped = [
        (reg, skipping_generated(reg.handler))
        for reg in list(registry.registeredHandlers())
        if reg.handler in quiet
    ]
    for reg, wrapper in swapped:
        registry.unregisterHandler(reg.handler, reg.required, reg.name)
        registry.registerHandler(wrapper, reg.required, reg.name, reg.info)
    event._potential_relations = _potential_relations
    WorkflowTool._reindexWorkflowVariables = _reindexWorkflowVariables
    try:
        yield
    finally:
        event._potential_relations = potential_relations
        WorkflowTool._reindexWorkflowVariables = reindex_variables
        for reg, wrapper in swapped:
            registry.unregisterHandler(wrapper, reg.required, reg.name)
            registry.registerHandler(reg.handler, reg.required, reg.name, reg.info)


def content_rules():
    """The content rules of the current site."""
    from plone.contentrules.engine.interfaces import IRuleStorage
    from zope.component import queryUtility

    storage = queryUtility(IRuleStorage)
    return list(storage.values()) if storage is not None else []


def skipping_generated(handler):
    """``handler``, doing nothing when an object of this script is added."""
    from zope.lifecycleevent.interfaces import IObjectAddedEvent

    def wrapper(*args):
        event = args[-1]
        if IObjectAddedEvent.providedBy(event) and getattr(
            event.object, "_v_generated", False
        ):
            return None
        return handler(*args)

    return wrapper


@contextmanager
def indexing_read_once():
    """Each value the catalog reads from an object is computed once per
    indexing (not once per index and once more per metadata column): the
    add-on's indexing wrapper (``content/indexing.OwnAttributesWrapper``,
    one per ``catalog_object`` call) remembers, for the call, what each name
    gave: an indexer's value, the attribute or method, or AttributeError.
    The values indexed and stored are the same; only the repeated lookups
    (indexer adapters called again, acquisition, Dexterity's
    ``__getattr__``) go.

    A name that gave nothing (no attribute of its own, no workflow variable,
    no indexer: what depends on the object's type, its interfaces and its
    instance attributes alone) is known to give nothing for the next object
    of the same type and interfaces that has no such instance attribute:
    the many columns and indexes of other types (``start``, ``getIcon``,
    the requests' own on an invoice…) are not looked up again through
    Dexterity's ``__getattr__`` (schemas and behaviors)."""
    from Acquisition import aq_base
    from illkirch.eservices.content.indexing import OwnAttributesWrapper
    from zope.interface import providedBy

    original = OwnAttributesWrapper.__getattr__
    absent = set()  # (interfaces provided, portal_type, name): no such value

    def __getattr__(self, name):
        if name.startswith("__"):
            return original(self, name)
        memo = self.__dict__.get("_generated_memo")
        if memo is None:
            obj = aq_base(self._getWrappedObject())
            if getattr(obj, "_p_changed", False) is None:
                obj._p_activate()  # a ghost's vars are empty
            kind = (providedBy(obj), getattr(obj, "portal_type", None))
            memo = self.__dict__["_generated_memo"] = {_KIND: kind, _OWN: vars(obj)}
        found = memo.get(name, _UNKNOWN)
        if found is _UNKNOWN:
            kind = (*memo[_KIND], name)
            if kind in absent and name not in memo[_OWN]:
                found = _ABSENT
            else:
                try:
                    found = original(self, name)
                except AttributeError:
                    found = _ABSENT
                    if name not in memo[_OWN]:
                        absent.add(kind)
            memo[name] = found
        if found is _ABSENT:
            raise AttributeError(name)
        return found

    OwnAttributesWrapper.__getattr__ = __getattr__
    try:
        yield
    finally:
        OwnAttributesWrapper.__getattr__ = original


_UNKNOWN = object()
_ABSENT = object()
_KIND = object()
_OWN = object()


@contextmanager
def remembered_emails():
    """The account's email address read once per citizen (``mail.user_email``
    asks PAS, every plugin, for each of the household's requests): the
    generator made the account and its address does not change meanwhile."""
    from illkirch.eservices import mail

    original = mail.user_email
    cache = {}

    def user_email(userid):
        if userid not in cache:
            cache[userid] = original(userid)
        return cache[userid]

    mail.user_email = user_email
    try:
        yield
    finally:
        mail.user_email = original
