/*
 * Assises widget for partner sites: <assises-programme> and <assises-communiques>.
 *
 *   <script src="https://assises.example/static/assises/widget.js" defer></script>
 *   <assises-programme></assises-programme>          the current (else latest) edition's programme
 *   <assises-programme edition="12"></assises-programme>
 *   <assises-communiques limit="5" topic="logement"></assises-communiques>
 *
 * Attributes: api (the API's base URL; by default the script's origin + /api/v1/), edition,
 * limit (1-20), topic, lang ("fr" by default, or "en"), heading (replaces the title).
 * Styled by CSS custom properties set on the element or any ancestor (see docs/consumers/widget.md):
 * --assises-font, --assises-color, --assises-muted, --assises-accent, --assises-background,
 * --assises-border, --assises-radius, --assises-gap, --assises-heading-size.
 *
 * No dependency. It renders in a shadow root, so the host page's styles do not leak in nor ours
 * out. Every text from the API is set with textContent and every link is checked to be http(s):
 * nothing the API returns is ever parsed as HTML.
 */
(function () {
  "use strict";

  if (!window.customElements || window.customElements.get("assises-programme")) {
    return;
  }

  var script = document.currentScript;
  var DEFAULT_API = script && script.src ? new URL("/api/v1/", script.src).href : "/api/v1/";

  var TEXT = {
    fr: {
      programme: "Programme",
      communiques: "Communiqués",
      loading: "Chargement…",
      error: "Le contenu n'a pas pu être chargé.",
      noEdition: "Aucun congrès publié pour le moment.",
      noSession: "Le programme n'est pas encore publié.",
      noCommunique: "Aucun communiqué publié pour le moment.",
      cancelled: "annulée",
      from: "Du",
      to: "au",
    },
    en: {
      programme: "Programme",
      communiques: "Press releases",
      loading: "Loading…",
      error: "The content could not be loaded.",
      noEdition: "No congress published yet.",
      noSession: "The programme is not published yet.",
      noCommunique: "No press release published yet.",
      cancelled: "cancelled",
      from: "From",
      to: "to",
    },
  };

  var CSS = [
    ":host{display:block;font-family:var(--assises-font,inherit);color:var(--assises-color,#1b1f24);",
    "background:var(--assises-background,transparent);line-height:1.5}",
    ":host([hidden]){display:none}",
    ".box{border:1px solid var(--assises-border,#d5dbe3);border-radius:var(--assises-radius,.5rem);",
    "padding:var(--assises-gap,1rem)}",
    "h2{font-size:var(--assises-heading-size,1.35rem);margin:0 0 .5rem;color:var(--assises-accent,#0b3d6b)}",
    "h3{font-size:1.05rem;margin:1rem 0 .25rem}",
    "p{margin:.25rem 0}",
    "ul{list-style:none;margin:0;padding:0}",
    "li{padding:.5rem 0;border-top:1px solid var(--assises-border,#d5dbe3)}",
    "li:first-child{border-top:0}",
    "a{color:var(--assises-accent,#0b3d6b)}",
    ".muted{color:var(--assises-muted,#4a5260);font-size:.92em}",
    ".time{font-weight:700;white-space:nowrap;margin-right:.4rem}",
    ".cancelled .title{text-decoration:line-through}",
    ".status{color:var(--assises-muted,#4a5260)}",
  ].join("");

  function text(tag, content, className) {
    var node = document.createElement(tag);
    if (content !== undefined && content !== null) {
      node.textContent = String(content);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function safeUrl(value) {
    try {
      var url = new URL(String(value), window.location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(label, href) {
    var url = safeUrl(href);
    if (!url) {
      return text("span", label);
    }
    var node = text("a", label);
    node.href = url;
    return node;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" }).then(
      function (response) {
        if (!response.ok) {
          var error = new Error("HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return response.json();
      }
    );
  }

  class AssisesElement extends HTMLElement {
    connectedCallback() {
      if (this._root) {
        return;
      }
      this._root = this.attachShadow({ mode: "open" });
      if (this._root.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this._root.adoptedStyleSheets = [sheet];
      } else {
        this._root.appendChild(text("style", CSS));
      }
      this._box = text("section", null, "box");
      this._root.appendChild(this._box);
      this.load();
    }

    get t() {
      var lang = (this.getAttribute("lang") || "fr").slice(0, 2);
      return TEXT[lang] || TEXT.fr;
    }

    get api() {
      var base = this.getAttribute("api") || DEFAULT_API;
      return base.charAt(base.length - 1) === "/" ? base : base + "/";
    }

    get limit() {
      var value = parseInt(this.getAttribute("limit") || "5", 10);
      return Math.min(20, Math.max(1, isNaN(value) ? 5 : value));
    }

    formatDate(value, options) {
      var lang = this.t === TEXT.en ? "en-GB" : "fr-FR";
      var date = value.length === 10 ? new Date(value + "T12:00:00Z") : new Date(value);
      options = Object.assign({ timeZone: "Europe/Paris" }, options);
      return new Intl.DateTimeFormat(lang, options).format(date);
    }

    show(nodes) {
      this._box.replaceChildren.apply(this._box, nodes);
    }

    status(message, failed) {
      var node = text("p", message, "status");
      node.setAttribute("role", failed ? "alert" : "status");
      this.show([node]);
    }

    load() {
      var self = this;
      this.setAttribute("aria-busy", "true");
      this.status(this.t.loading);
      this.fetchAndRender()
        .catch(function () {
          self.status(self.t.error, true);
        })
        .then(function () {
          self.removeAttribute("aria-busy");
          self.dispatchEvent(new CustomEvent("assises:rendered", { bubbles: true }));
        });
    }
  }

  class AssisesProgramme extends AssisesElement {
    edition() {
      var api = this.api;
      var id = this.getAttribute("edition");
      if (id && /^\d{1,18}$/.test(id)) {
        return fetchJson(api + "editions/" + id + "/");
      }
      // The current edition (under way, else the next one), else the latest: the rule of
      // /editions/current/, applied to the list so that no 404 between congresses shows up
      // in the partner's console.
      return fetchJson(api + "editions/?ordering=-start_date&limit=20").then(function (page) {
        var editions = page.results || [];
        var today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
        var current = editions
          .filter(function (e) {
            return !e.archived && e.end_date >= today;
          })
          .sort(function (a, b) {
            return a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : 0;
          });
        var chosen = current[0] || editions[0];
        return chosen ? fetchJson(api + "editions/" + chosen.id + "/") : null;
      });
    }

    fetchAndRender() {
      var self = this;
      return this.edition().then(function (edition) {
        self.render(edition);
      });
    }

    render(edition) {
      var t = this.t;
      var nodes = [];
      if (!edition) {
        nodes.push(text("h2", this.getAttribute("heading") || t.programme));
        nodes.push(text("p", t.noEdition, "status"));
        return this.show(nodes);
      }
      var heading = text("h2");
      heading.appendChild(link(this.getAttribute("heading") || edition.title, edition.url));
      nodes.push(heading);
      var place = edition.host_town && edition.host_town.name ? " — " + edition.host_town.name : "";
      nodes.push(
        text(
          "p",
          t.from +
            " " +
            this.formatDate(edition.start_date, { day: "numeric", month: "long" }) +
            " " +
            t.to +
            " " +
            this.formatDate(edition.end_date, { day: "numeric", month: "long", year: "numeric" }) +
            place,
          "muted"
        )
      );
      var sessions = edition.sessions || [];
      if (!sessions.length) {
        nodes.push(text("p", t.noSession, "status"));
      }
      var day = null;
      var list = null;
      for (var i = 0; i < sessions.length; i++) {
        var session = sessions[i];
        var label = this.formatDate(session.start, { weekday: "long", day: "numeric", month: "long" });
        if (label !== day) {
          day = label;
          nodes.push(text("h3", label.charAt(0).toUpperCase() + label.slice(1)));
          list = text("ul");
          nodes.push(list);
        }
        var item = text("li", null, session.cancelled ? "session cancelled" : "session");
        var time = { hour: "2-digit", minute: "2-digit" };
        item.appendChild(
          text("span", this.formatDate(session.start, time) + "–" + this.formatDate(session.end, time), "time")
        );
        var title = link(session.title, session.url);
        title.classList.add("title");
        item.appendChild(title);
        if (session.cancelled) {
          item.appendChild(text("span", " (" + t.cancelled + ")"));
        }
        var people = (session.participants || []).map(function (p) {
          return p.speaker.title + (p.role_label ? " (" + p.role_label.toLowerCase() + ")" : "");
        });
        var details = [session.kind_label, session.room].filter(Boolean).join(" · ");
        if (details) {
          item.appendChild(text("p", details, "muted"));
        }
        if (people.length) {
          item.appendChild(text("p", people.join(", "), "muted"));
        }
        list.appendChild(item);
      }
      this.show(nodes);
    }
  }

  class AssisesCommuniques extends AssisesElement {
    fetchAndRender() {
      var self = this;
      var url = this.api + "communiques/?limit=" + this.limit;
      var topic = this.getAttribute("topic");
      if (topic && /^[a-z0-9-]{1,100}$/.test(topic)) {
        url += "&topic=" + encodeURIComponent(topic);
      }
      return fetchJson(url).then(function (page) {
        self.render(page.results || []);
      });
    }

    render(communiques) {
      var t = this.t;
      var nodes = [text("h2", this.getAttribute("heading") || t.communiques)];
      if (!communiques.length) {
        nodes.push(text("p", t.noCommunique, "status"));
        return this.show(nodes);
      }
      var list = text("ul");
      for (var i = 0; i < communiques.length; i++) {
        var communique = communiques[i];
        var item = text("li", null, "communique");
        var date = text(
          "p",
          this.formatDate(communique.publication_date, { day: "numeric", month: "long", year: "numeric" }),
          "muted"
        );
        item.appendChild(date);
        var title = text("p");
        title.appendChild(link(communique.title, communique.url));
        item.appendChild(title);
        if (communique.lead) {
          item.appendChild(text("p", communique.lead, "muted"));
        }
        list.appendChild(item);
      }
      nodes.push(list);
      this.show(nodes);
    }
  }

  window.customElements.define("assises-programme", AssisesProgramme);
  window.customElements.define("assises-communiques", AssisesCommuniques);
})();
