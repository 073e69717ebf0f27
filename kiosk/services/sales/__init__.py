"""Sales: the catalogue, the sale and its refund, the till (X/Z, cash moves, training), products (admin)."""

from kiosk.services.sales.catalog import Catalog, ImportResult, ProductView
from kiosk.services.sales.checkout import CheckoutResult, Sales, SaleSummary
from kiosk.services.sales.counter import Counter, FinishedSale
from kiosk.services.sales.product_admin import ListedProduct, ProductAdmin, ProductDraft
from kiosk.services.sales.till import SUPERVISORS, Till, ZResult

__all__ = [
    "SUPERVISORS",
    "Catalog",
    "CheckoutResult",
    "Counter",
    "FinishedSale",
    "ImportResult",
    "ListedProduct",
    "ProductAdmin",
    "ProductDraft",
    "ProductView",
    "SaleSummary",
    "Sales",
    "Till",
    "ZResult",
]
