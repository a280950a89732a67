"""« Dites-le-nous une fois »: forms prefilled from the household, and
the document locker (« Mes documents »)."""
