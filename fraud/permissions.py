"""Permission codenames of the fraud app."""

DECIDE_FRAUD_CASE = "fraud.change_fraudcase"
RUN_BACKTEST = "fraud.view_orderriskrule"
