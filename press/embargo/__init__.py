"""Embargoed access for accredited journalists.

Before a communiqué goes live, an editor shares it with chosen journalists: each gets a personal
link (only a hash of its token is stored) that shows the communiqué as it will be published,
under an embargo banner, until the go-live time or an earlier expiry, and that an editor can
revoke at once. After go-live the same link leads to the public page. Every opening is logged.

`models` (journalists, links, openings), `services` (sharing, revoking, resolving a token, the
e-mail), `views` (the journalist's pages), `admin` (the editor's screen), `urls` (what a host
includes for the journalists' links).
"""
