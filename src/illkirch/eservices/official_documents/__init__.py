"""Official documents (#18): the filing receipt of a request, the town's
decision, the payment certificate, as tagged PDFs, issued once, stored with
their request or payment, verifiable by anyone with their code."""
