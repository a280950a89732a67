"""The scan of the drafts' kept files (#21): the kind ``draft-files`` of
``antivirus.files`` (the rules: ``drafts.store``)."""

from illkirch.eservices import mail
from illkirch.eservices.antivirus import files as scanned
from illkirch.eservices.antivirus import served
from illkirch.eservices.drafts import store
from illkirch.eservices.drafts.expiry import resume_url
from illkirch.eservices.site_storage import site_btree
from plone import api
from zope.interface import implementer


def _household(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        return brain._unrestrictedGetObject()
    return None


@implementer(scanned.IScannedFiles)
class DraftFiles(served.BlobFiles):
    """The named utility ``draft-files``."""

    def _find(self, ref):
        parts = (ref or "").split("/")
        if len(parts) != 3:
            return None, None
        household = _household(parts[0])
        draft = store.get(household, parts[1]) if household is not None else None
        return draft, (draft.file(parts[2]) if draft is not None else None)

    def refused(self, holder, ref, record):
        served.drop_content(holder)
        draft, _kept = self._find(ref)
        if draft is None:
            return
        served.tell_citizen(
            mail.user_email(draft.owner),
            "draft",
            holder.filename,
            resume_url(draft),
            service=draft.service_title,
        )

    def unscanned(self):
        """``(ref, holder)`` of the drafts' files never scanned (kept while
        the antivirus was off)."""
        for draft_id, uid in list(site_btree(store.INDEX_KEY).items()):
            household = _household(uid)
            draft = store.get(household, draft_id) if household is not None else None
            for kept in list(draft.files) if draft is not None else ():
                if kept.scan is None:
                    yield f"{uid}/{draft_id}/{kept.id}", kept
