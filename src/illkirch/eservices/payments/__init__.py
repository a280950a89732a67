"""Card payments of invoices through eopayment (docs/payments.md).

- ``records``: finding payments, the invoices in a payment in progress;
- ``checkout``: from the basket to the bank (a pending Payment);
- ``notification``: the bank's verified answer, paying the invoices once;
- ``receipts``: the French receipt email;
- ``recheck``: asking the bank about forgotten payments, expiring them.
"""
