"""Throttles of the auth endpoints."""

from rest_framework.throttling import SimpleRateThrottle


class LoginRateThrottle(SimpleRateThrottle):
    """Limit login and refresh attempts per client address (scope ``login``).

    Counted per address whether or not the client is signed in; the address
    honours ``NUM_PROXIES`` like every DRF throttle.
    """

    # TODO: refresh/ shares this scope with login/; many users behind one
    # NAT address can exhaust it together (raise THROTTLE_LOGIN if so).
    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
