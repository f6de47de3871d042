"""Permission codenames of the catalog app, as ``user.has_perm`` expects them.

Tiers are Django groups; staff grant or withdraw these codenames in the
admin and the API follows without a code change.
"""

STORE_ADD = "catalog.add_store"
STORE_CHANGE = "catalog.change_store"
PRODUCT_ADD = "catalog.add_product"
PRODUCT_CHANGE = "catalog.change_product"
ORDER_ADD = "catalog.add_order"
ORDER_CHANGE = "catalog.change_order"
ORDER_VIEW = "catalog.view_order"
REVIEW_ADD = "catalog.add_review"
