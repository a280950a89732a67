"""What this process changes in Zope and Plone while it generates (restored
at the end; the add-on itself is not changed): forms parsed once, no email
sent, the work of the add events that is useless for the generated objects
skipped, the catalog's values read once per object (and the names a type
does not have once per type), the holders' email read once, the parents'
local roles read once per batch, Dexterity's schema cache and the names no
schema of a type has remembered per portal type.
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
      does not assign uids on add), CMFDynamicViewFTI's renaming of a
      default page (an add has no old parent: it returns at once, after
      comparing the new parent with None through Dexterity's
      ``__getattr__``).
    """
    from five.intid.intid import moveIntIdSubscriber
    from plone.app.contentrules.handlers import added
    from plone.app.linkintegrity.handlers import modifiedContent
    from Products.CMFCore.WorkflowTool import WorkflowTool
    from Products.CMFDynamicViewFTI.browserdefault import rename_default_page
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

    quiet = {modifiedContent, moveIntIdSubscriber, rename_default_page}
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
    from illkirch.eservices.content.indexing import INVOICE_NAMES
    from illkirch.eservices.content.indexing import InvoiceAttributesWrapper
    from illkirch.eservices.content.indexing import OwnAttributesWrapper
    from plone.indexer.interfaces import IIndexer
    from zope.component import getSiteManager
    from zope.interface import providedBy

    original = OwnAttributesWrapper.__getattr__
    absent = set()  # (interfaces provided, portal_type, name): no such value
    indexers = {}  # (interfaces of the object, of the catalog, name): factory
    wrappers = {OwnAttributesWrapper, InvoiceAttributesWrapper}

    def lookup(self, name):
        """What ``original`` gives (``OwnAttributesWrapper``'s, then
        Plone's ``IndexableObjectWrapper.__getattr__``), with the indexer
        adapter's factory looked up once per interfaces provided and name
        (the registry does not change meanwhile) instead of twice per
        object and name."""
        cls = type(self)
        if cls not in wrappers:
            return original(self, name)
        if (
            cls is InvoiceAttributesWrapper
            and name not in INVOICE_NAMES
            and not name.startswith("_")
        ):
            raise AttributeError(name)
        obj = self._getWrappedObject()
        catalog = self._IndexableObjectWrapper__catalog
        required = (providedBy(obj), providedBy(catalog))
        key = (*required, name)
        try:
            factory = indexers[key]
        except KeyError:
            factory = indexers[key] = getSiteManager().adapters.lookup(
                required, IIndexer, name
            )
        indexer = factory(obj, catalog) if factory is not None else None
        if indexer is not None:
            return indexer()
        wf_vars = self._IndexableObjectWrapper__vars
        if name in wf_vars:
            return wf_vars[name]
        if getattr(aq_base(obj), name, _ABSENT) is _ABSENT:
            raise AttributeError(name)
        # its own attribute, acquisition-wrapped as Plone's wrapper gives it
        return getattr(obj, name)

    def memo_of(self):
        memo = self.__dict__.get("_generated_memo")
        if memo is None:
            obj = aq_base(self._getWrappedObject())
            if getattr(obj, "_p_changed", False) is None:
                obj._p_activate()  # a ghost's vars are empty
            kind = (providedBy(obj), getattr(obj, "portal_type", None))
            memo = self.__dict__["_generated_memo"] = {_KIND: kind, _OWN: vars(obj)}
        return memo

    def __getattr__(self, name):
        if name.startswith("__"):
            return original(self, name)
        memo = memo_of(self)
        found = memo.get(name, _UNKNOWN)
        if found is _UNKNOWN:
            kind = (*memo[_KIND], name)
            if kind in absent and name not in memo[_OWN]:
                found = _ABSENT
            else:
                try:
                    found = lookup(self, name)
                except AttributeError:
                    found = _ABSENT
                    if name not in memo[_OWN]:
                        absent.add(kind)
            memo[name] = found
        if found is _ABSENT:
            raise AttributeError(name)
        return found

    on_class = {}  # (wrapper class, name): found by Python's own lookup

    def known_absent(self, name):
        """True when ``getattr(self, name)`` is known, without reading it,
        to raise AttributeError: an invoice's name outside ``INVOICE_NAMES``
        (``InvoiceAttributesWrapper``), or a name this wrapper already
        found absent, or that gave nothing on an object of the same kind
        and is not an attribute of this one (what ``__getattr__`` answers
        at once). Names starting with ``_`` and the wrapper class's own
        attributes are never known absent."""
        cls = type(self)
        if cls not in wrappers or name.startswith("_"):
            return False
        key = (cls, name)
        if key not in on_class:
            on_class[key] = hasattr(cls, name)
        if on_class[key]:
            return False
        if cls is InvoiceAttributesWrapper and name not in INVOICE_NAMES:
            return True
        memo = memo_of(self)
        found = memo.get(name, _UNKNOWN)
        if found is _UNKNOWN:
            return (*memo[_KIND], name) in absent and name not in memo[_OWN]
        return found is _ABSENT

    OwnAttributesWrapper.__getattr__ = __getattr__
    _known_absent.append(known_absent)
    try:
        yield
    finally:
        OwnAttributesWrapper.__getattr__ = original
        _known_absent.remove(known_absent)


def known_absent(wrapper, name):
    """Whether ``indexing_read_once`` knows, without reading it, that the
    catalog's wrapper has no value for ``name`` (False outside it)."""
    return bool(_known_absent) and _known_absent[-1](wrapper, name)


_known_absent = []  # the check of the ``indexing_read_once`` in force


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


@contextmanager
def steady_schemas():
    """Dexterity's schema cache answered from a plain dictionary for the run.

    ``SCHEMA_CACHE.get`` and its kin are called for every attribute an
    object does not hold (``DexterityContent.__getattr__``, the catalog's
    columns and indexes), for ``providedBy`` (``modified``, the FTI's
    modification time, at each call) and for every behavior lookup:
    each call looks the FTI up (a utility, or the request's cache) and
    compares its modification time. The generator changes no FTI, so for a
    portal type the answers stay those of the first call; the cache is left
    as it was at the end."""
    from plone.dexterity.schema import SCHEMA_CACHE

    names = (
        "get",
        "behavior_registrations",
        "subtypes",
        "behavior_schema_interfaces",
        "schema_interfaces",
        # the FTI's modification time, read by Dexterity's ``__providedBy__``
        # (``FTIAwareSpecification``) at every ``providedBy`` of an object
        "modified",
    )
    for name in names:
        setattr(SCHEMA_CACHE, name, remembered_by_type(getattr(SCHEMA_CACHE, name)))
    try:
        yield
    finally:
        for name in names:
            vars(SCHEMA_CACHE).pop(name, None)


def remembered_by_type(method):
    """``method(portal_type)`` remembered for each portal type (a string);
    an FTI or None is passed through."""
    answers = {}

    def remembered(portal_type):
        if not isinstance(portal_type, str):
            return method(portal_type)
        try:
            return answers[portal_type]
        except KeyError:
            answer = answers[portal_type] = method(portal_type)
            return answer

    return remembered


@contextmanager
def parents_local_roles():
    """``allowedRolesAndUsers`` with the local roles of the parents read once.

    borg.localrole's ``getAllLocalRolesInContext`` walks up the object's
    containment chain for each object indexed: the household, the
    households' folder and the site give the same roles to every object of
    a household. Here the answer of the walk from a parent is remembered
    for the catalog's indexing of one batch (``_local_roles_memo``, emptied
    before each commit's indexing by ``forget_parents_roles``): an object's
    own roles (its local roles and role providers) are read, then its
    parent's remembered map added in the same order as the walk does, so
    the map and its order are the walk's. The parents' roles do not change
    while the batch is indexed (the batch is written before the commit
    indexes it). Left to the original walk: a blocker of the inheritance,
    and borg's old « workspace » adapters (which replace roles rather than
    add them)."""
    from Acquisition import aq_base
    from Acquisition import aq_inner
    from Acquisition import aq_parent
    from borg.localrole.interfaces import IGroupAwareWorkspace
    from borg.localrole.interfaces import IWorkspace
    from borg.localrole.workspace import WorkspaceLocalRoleManager

    original = WorkspaceLocalRoleManager.getAllLocalRolesInContext
    memo = _local_roles_memo

    def own_roles(self, obj):
        """The roles ``obj`` itself gives, or None (left to the walk)."""
        if IGroupAwareWorkspace(obj, IWorkspace(obj, None)) is not None:
            return None
        rolemap = {}
        for a in self._getAdapters(obj):
            for principal, roles in a.getAllRoles():
                rolemap.setdefault(principal, set()).update(roles)
        return rolemap

    def walk(self, obj):
        """The walk's map from ``obj`` (remembered for each parent), or None."""
        key = id(aq_base(obj))
        if key in memo:
            return memo[key][1]
        rolemap = own_roles(self, obj)
        if rolemap is not None and not getattr(obj, "__ac_local_roles_block__", None):
            parent = aq_parent(aq_inner(obj))
            if getattr(obj, "__self__", parent) is not parent:
                rolemap = None  # a method: left to the walk
            elif parent is not None:
                above = walk(self, parent)
                if above is None:
                    rolemap = None
                else:
                    for principal, roles in above.items():
                        rolemap.setdefault(principal, set()).update(roles)
        # the object is kept with its map: its id stays its own meanwhile
        memo[key] = (aq_base(obj), rolemap)
        return rolemap

    def getAllLocalRolesInContext(self, object):
        parent = aq_parent(aq_inner(object))
        if parent is None or getattr(object, "__ac_local_roles_block__", None):
            return original(self, object)
        if getattr(object, "__self__", parent) is not parent:
            return original(self, object)
        rolemap = own_roles(self, object)
        above = walk(self, parent)
        if rolemap is None or above is None:
            return original(self, object)
        for principal, roles in above.items():
            rolemap.setdefault(principal, set()).update(roles)
        return rolemap

    WorkspaceLocalRoleManager.getAllLocalRolesInContext = getAllLocalRolesInContext
    try:
        yield
    finally:
        WorkspaceLocalRoleManager.getAllLocalRolesInContext = original
        memo.clear()


_local_roles_memo = {}  # id of a parent → (the parent, its walk's map or None)


def forget_parents_roles():
    """Before a commit's indexing: the parents' roles are read anew."""
    _local_roles_memo.clear()


@contextmanager
def remembered_missing_fields():
    """Dexterity's ``__getattr__`` answers « no such attribute » at once for
    a name it already found in no schema of the object's portal type.

    Every name an object does not hold goes through it: the tools and the
    ``REQUEST`` acquired from the site (``getToolByName`` in the indexers,
    the indexing queue's ``isTemporary``, Plone's ``rewrap`` of tools), at
    each object of the containment chain, each time reading the type's
    schema and then each behavior's. Whether a name is a field of the
    type's schema or of one of its behaviors depends on the portal type
    alone while the FTIs do not change (the generator changes none), for
    objects of the same class (the behaviors' assignable adapter is the
    content's); the answers found (fields' defaults) are still computed
    each time."""
    from plone.dexterity.content import DexterityContent

    original = DexterityContent.__getattr__
    absent = set()  # (class, portal_type, name): no field of that name

    def __getattr__(self, name):
        key = (type(self), self.portal_type, name)
        if key in absent:
            raise AttributeError(name)
        try:
            return original(self, name)
        except AttributeError:
            absent.add(key)
            raise

    DexterityContent.__getattr__ = __getattr__
    try:
        yield
    finally:
        DexterityContent.__getattr__ = original


_adding = []  # not empty while ``writing.add`` adds an object of this script


@contextmanager
def unchecked_ids():
    """CMF's check of a new id (``PortalFolderBase._checkId``: reserved
    names, the skins' and tools' names acquired through the containment
    chain, each through Dexterity's ``__getattr__``) skipped for the
    objects ``writing.add`` adds: their ids are the add-on's own (numbers,
    seeded hex ids), never a tool's or a skin's, and known to be free in
    their container. BTreeFolder2's check that the id is free still runs."""
    from Products.CMFCore.PortalFolder import PortalFolderBase

    original = PortalFolderBase._checkId

    def _checkId(self, id, allow_dup=0):
        if _adding:
            return None
        return original(self, id, allow_dup)

    PortalFolderBase._checkId = _checkId
    try:
        yield
    finally:
        PortalFolderBase._checkId = original


@contextmanager
def adding():
    """Around one add of ``writing.add`` (see ``unchecked_ids``)."""
    _adding.append(True)
    try:
        yield
    finally:
        _adding.pop()


_indexing_memo = {}  # (what, id of the object) → (the object, its answer)
_indexing = []  # not empty while the catalog indexes a batch


@contextmanager
def indexing_batch():
    """While the catalog indexes a batch (``batches.write_batch_and_commit``):
    the parents' local roles read anew (``forget_parents_roles``) and, for
    that indexing only, the answers that depend on a parent alone remembered
    (``steady_parents``). Nothing is written meanwhile."""
    forget_parents_roles()
    _indexing_memo.clear()
    _indexing.append(True)
    try:
        yield
    finally:
        _indexing.pop()
        _indexing_memo.clear()
        forget_parents_roles()


def remembered(what, obj, compute):
    """``compute()`` once per indexing of a batch for ``obj`` (kept with its
    answer, so that its id stays its own); computed each time otherwise."""
    from Acquisition import aq_base

    if not _indexing:
        return compute()
    key = (what, id(aq_base(obj)))
    found = _indexing_memo.get(key)
    if found is None:
        found = _indexing_memo[key] = (aq_base(obj), compute())
    return found[1]


@contextmanager
def steady_parents():
    """What the indexers read from an object's parent, read once per parent
    while a batch is indexed (``indexing_batch``), the parents being left
    as they are meanwhile:

    - the household's persons (``Household.persons``, listed for each of
      its requests by the ``request_names`` indexer): the same list, in the
      same order, of the same objects (a new list each time);
    - its folder's default page (``plone.base.defaultpage.get_default_page``
      of the parent, asked by Plone's ``is_default_page`` indexer for each
      object): it depends on the folder, its type and the ids it holds."""
    from illkirch.eservices.content.household import Household
    from plone.base import defaultpage

    persons = Household.persons
    get_default_page = defaultpage.get_default_page

    def remembered_persons(self):
        return list(remembered("persons", self, lambda: persons(self)))

    def remembered_default_page(context):
        return remembered("default_page", context, lambda: get_default_page(context))

    Household.persons = remembered_persons
    defaultpage.get_default_page = remembered_default_page
    try:
        yield
    finally:
        Household.persons = persons
        defaultpage.get_default_page = get_default_page


@contextmanager
def direct_blob_files():
    """The issued documents' files (``official_documents.store`` makes a
    ``NamedBlobFile`` of each PDF) built with the state plone.namedfile's
    constructor gives them, without its detours: the blob written once
    (the constructor writes it empty first, then again through the
    storable utility) and the file name set without ``FieldProperty``'s
    validation and « field updated » event (no subscriber here; a name
    that is not a plain line goes through the constructor)."""
    from DateTime import DateTime
    from illkirch.eservices.official_documents import store
    from plone.namedfile.file import NamedBlobFile
    from ZODB.blob import Blob

    original = store.NamedBlobFile

    def named_blob_file(data=b"", contentType="", filename=None):
        if (
            type(data) is not bytes
            or not isinstance(filename, str)
            or "\n" in filename
            or "\r" in filename
            or contentType in ("", "application/octet-stream")
        ):
            return original(data=data, contentType=contentType, filename=filename)
        file = NamedBlobFile.__new__(NamedBlobFile)
        # the attributes in the constructor's order
        file.contentType = contentType
        file._blob = Blob(data)
        file._modified = DateTime().millis()
        vars(file)["filename"] = filename
        return file

    store.NamedBlobFile = named_blob_file
    try:
        yield
    finally:
        store.NamedBlobFile = original


@contextmanager
def fewer_collections():
    """Python's cyclic garbage collector run less often, and never again over
    what lived before a batch (it collects no persistent data: only the
    memory of objects no longer reachable, which it never writes).

    The generator keeps hundreds of thousands of objects alive (Zope's
    configuration, the ZODB cache of the catalog's BTrees and of the objects
    written): each of the collector's passes over the older generations
    traverses them all again (about 7 % of the CPU of a run of 1,000
    households). Here, what is alive at the start and at the end of each
    batch (``settle_collections``, after its commit: a full collection
    first, so that the batch's garbage is freed) is moved to the permanent
    generation (``gc.freeze``), and the young generation is collected every
    50,000 allocations instead of 700. Restored at the end (``gc.unfreeze``,
    the thresholds)."""
    import gc

    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def settle_collections():
    """After a batch's commit (see ``fewer_collections``): its garbage freed,
    what it left alive frozen."""
    import gc

    if gc.get_freeze_count():
        gc.collect()
        gc.freeze()
