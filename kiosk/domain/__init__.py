"""Pure rules of the shop: money, carts, receipts, shifts, jobs.  Imports no UI, database or device library."""
