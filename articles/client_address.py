"""The address of the client behind the trusted reverse proxies (``ARCHIVE_TRUSTED_PROXIES``).

Behind N proxies, each proxy appends the address it received the request from to
``X-Forwarded-For`` and the last one connects to us (``REMOTE_ADDR``). The client is therefore
the N-th address from the right of ``X-Forwarded-For``; anything to its left was written by the
client and is not trusted. With no proxy configured (the default) the header is ignored, since
any client can send it.

django-ipware was tried for this: its proxy-count mode counts proxies inside the header, gave no
address for the ordinary one-proxy chain and, ordered left-most, returned an address the client
had forged. The rule here is the one nginx's ``real_ip_recursive`` and Werkzeug's ``ProxyFix``
apply.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address, or None when the request has none (a test's forced login, say)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(forwarded) < proxies:
        return remote  # the request did not come through every proxy: trust only the connection
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a proxy passed on garbage: count it against the connection, not a made-up name
