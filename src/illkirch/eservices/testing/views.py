"""Views for tests only, registered by testing/configure.zcml."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.registration import captcha_secret
from Products.Five.browser import BrowserView


class CaptchaAnswer(BrowserView):
    """The answer of ``?token=``: what a person reads in the image."""

    def __call__(self):
        self.request.response.setHeader("Content-Type", "text/plain")
        return captcha.answer_for(captcha_secret(), self.request.get("token", ""))


class EnqueueConflicting(BrowserView):
    """Queues ``testing.jobs.record(?marker=)``; on the first try of a
    marker, another connection changes the site meanwhile: the request
    conflicts at commit and Zope publishes it again. Answers the number of
    tries."""

    tries = {}

    def __call__(self):
        from illkirch.eservices import jobs
        from illkirch.eservices.testing import jobs as test_jobs

        import transaction

        marker = self.request.form["marker"]
        tries = self.tries[marker] = self.tries.get(marker, 0) + 1
        jobs.enqueue(test_jobs.record, marker)
        self.context._eservices_test_tries = tries
        if tries == 1:
            manager = transaction.TransactionManager()
            connection = self.context._p_jar.db().open(transaction_manager=manager)
            try:
                connection.get(self.context._p_oid)._eservices_test_tries = -1
                manager.commit()
            finally:
                connection.close()
        self.request.response.setHeader("Content-Type", "text/plain")
        return str(tries)


class RenderPdfInRequest(BrowserView):
    """Renders a PDF in the web request itself, as no page may: the guard
    of official_documents/pdf.py refuses (an error 500)."""

    def __call__(self):
        from illkirch.eservices.official_documents import pdf
        from illkirch.eservices.testing import pdfs

        return pdf.render(pdfs.sample_html("receipt", "A" * 16, "http://x/"))


class IssueSamplePdf(BrowserView):
    """Queues ``testing.pdfs.issue_sample(?kind=)`` as an issuing module
    queues its document; answers the number of PDFs rendered while the web
    request ran (0 with a real queue; 1 in EAGER mode, by the job run at
    once, the only place ``pdf.render`` accepts)."""

    def __call__(self):
        from illkirch.eservices import jobs
        from illkirch.eservices.official_documents import pdf
        from illkirch.eservices.official_documents import store
        from illkirch.eservices.testing import pdfs

        code = store.new_code()
        kind = self.request.form.get("kind", "receipt")
        url = f"{self.context.absolute_url()}/@@verifier/{code}"
        before = pdf.RENDERS["count"]
        jobs.enqueue(pdfs.issue_sample, kind, code, url)
        self.request.response.setHeader("Content-Type", "text/plain")
        return str(pdf.RENDERS["count"] - before)
