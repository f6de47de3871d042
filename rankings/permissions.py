"""Permission codenames of the rankings app."""

RECOMPUTE_RANKING_RUN = "rankings.recompute_rankingrun"
