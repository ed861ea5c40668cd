# Varnish in front of Assises (Debian: apt install varnish varnish-modules).
#
# Every public response names the documents and collections it contains in an `xkey` header
# (also `Surrogate-Key` and `Cache-Tag` for CDNs); when the change log records a change, the
# task worker sends `PURGE` with `xkey-purge: <keys>` (cms.consumers.purge.VarnishXkeyBackend) and exactly
# those responses are dropped. Point the backend at gunicorn and list the workers' addresses in
# the `purgers` ACL. Purges are hard (`xkey.purge`, not `xkey.softpurge`): no stale copy of an
# unpublished page is left in grace to be served while the next one is fetched.
#
# Public HTML pages carry the same keys and their own Cache-Control (cms.pagecache): a page
# with an expiry date allows no stale copy past it, so grace here follows the response's
# stale-while-revalidate and only defaults to 10 min where a response names none.
#
# The probe asks /healthz?check=database every 5 s: a backend whose database stays unreachable
# is taken out of rotation (with one backend, Varnish then serves what it holds, stale, for the
# 10 min grace). Worker lag is not probed: it is shared by every backend, so probing it would
# take them all out at once for a late dependent document. The probe's Host header is the
# backend's address (127.0.0.1 here): it must be in the app's ALLOWED_HOSTS.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        .url = "/healthz?check=database";
        .interval = 5s;
        .timeout = 5s;  # a worker's first request loads the whole app
        # out after 6 failed probes in a row (30 s), back after 3 good ones: a backend
        # still warming up (or one slow probe) must not take the site down
        .window = 8;
        .threshold = 3;
        .initial = 8;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # the admin, drafts, the change feed and health checks are never cached
    if (req.url ~ "^/(admin|django-admin)/" || req.url ~ "^/api/v1/(changes|preview)/"
        || req.url ~ "^/healthz") {
        return (pass);
    }
    # a logged-in editor, or a visitor who passed a page's password, has Django's session
    # cookie: their pages are their own (the app answers them `private`). Rename it here if
    # the host changes SESSION_COOKIE_NAME.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # public content does not depend on cookies
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        return (deliver);
    }
    # keep objects past max-age as long as the response's stale-while-revalidate allows
    # (Varnish reads it into beresp.grace; an expiring page allows none past its expiry)
    if (beresp.http.Cache-Control !~ "stale-while-revalidate") {
        set beresp.grace = 10m;
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
}
