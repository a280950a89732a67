"""Viewlets customised for the add-on's layer."""

from html import escape
from plone.app.layout.viewlets import common
from zope.i18n import translate


class TitleViewlet(common.TitleViewlet):
    """Use the ``page_title`` of a view of ours in the browser title."""

    def update(self):
        title = getattr(self.view, "page_title", None)
        if not title:
            return super().update()
        page_title = escape(translate(title, context=self.request))
        self.site_title = self.sep.join([page_title, self.site_title_setting])
