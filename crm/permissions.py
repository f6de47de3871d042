"""Permission codenames of the CRM app, as ``user.has_perm`` expects them."""

CUSTOMER_VIEW = "crm.view_customer"
