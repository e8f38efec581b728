/* matcher: the browser views (network, group proposal, dashboard, shortlist, home, sign-in).
 *
 * Plain ES2020, no framework, no build step. The page shell (templates/page.html) holds
 * <main id="app" data-page=... data-lang=... data-urls=... data-links=...>, the language
 * catalogues (#matcher-i18n) and, in a standalone file, the data (#matcher-data).
 * Every visible string comes from the catalogues through t() (the optimizer's sentences
 * through their message templates, explained()); numbers go through Intl.NumberFormat.
 * When a page is drawn, body[data-ready="1"] and window.matcherState say what is on
 * screen and body[data-drawn] when (for tests and benchmarks).
 */
"use strict";

(function () {
  const LANGS = ["es", "en"];
  const TOKEN_KEY = "matcher_token";
  const LANG_KEY = "matcher_lang";
  // Distinguishable on white; no yellow (too pale for small markers).
  const PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F3C8D",
    "#11A579", "#3969AC", "#E73F74", "#80BA5A", "#008695", "#CF1C90", "#F97B72", "#4B4B8F",
  ];
  const GREY = "#8a8f98";
  const CONFLICT_COLOR = "#c62828";
  const TABLE_ROWS = 400; // workshop rows shown at once; the search box narrows the rest
  const ROLE_PAGES = {
    admin: ["network", "dashboard"],
    coordinator: ["network", "dashboard"],
    association_leader: ["network", "dashboard"],
    lead_firm: [],
    municipality: [],
  };
  const ORDER_PAGES = {
    admin: ["proposal", "shortlist"],
    coordinator: ["proposal", "shortlist"],
    lead_firm: ["shortlist"],
  };

  const app = document.getElementById("app");
  if (!app) return;

  function readJSON(id) {
    const node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      return null;
    }
  }

  function readAttrJSON(name) {
    try {
      return JSON.parse(app.getAttribute(name) || "{}") || {};
    } catch (err) {
      return {};
    }
  }

  const CATALOGUES = readJSON("matcher-i18n") || {};
  if (window.MATCHER_DATA === undefined) window.MATCHER_DATA = readJSON("matcher-data");

  const S = {
    standalone: app.dataset.mode !== "service",
    basePage: app.dataset.page || "home",
    page: app.dataset.page || "home",
    lang: "es",
    urls: readAttrJSON("data-urls"),
    links: readAttrJSON("data-links"),
    extraTitle: app.dataset.title || "",
    data: normalise(window.MATCHER_DATA),
    order: null,
    net: null, // network page state, kept across redraws and language switches
    prep: null,
    me: undefined,
    created: null, // the order a lead firm has just placed, read back on its home page
    refreshed: false, // a shortlist was just computed again on the current data
  };

  function normalise(raw) {
    const data = { network: null, proposals: {}, dashboard: null, shortlist: null, order_id: null };
    if (!raw || typeof raw !== "object") return data;
    if (raw.view === "network") data.network = raw;
    else if (raw.view === "dashboard") data.dashboard = raw;
    else if (raw.view === "proposal") data.proposals[raw.order.order_id] = raw;
    else if (raw.singles && raw.groups) data.shortlist = raw;
    else Object.assign(data, raw, { proposals: Object.assign({}, raw.proposals || {}) });
    return data;
  }

  // ------------------------------------------------------------------ language

  function t(key, params) {
    let text = (CATALOGUES[S.lang] || {})[key];
    if (text === undefined) text = (CATALOGUES.es || {})[key];
    if (text === undefined) return key;
    if (params) {
      // {name|one|other}: the word for the count, by the language's plural rules (a count already
      // formatted, "1.234", reads as a number that is not one, as it should).
      text = text.replace(/\{(\w+)\|([^{}|]*)\|([^{}|]*)\}/g, (whole, name, one, other) => {
        const count = Number(params[name]);
        if (params[name] === undefined || params[name] === null || Number.isNaN(count)) return other;
        return new Intl.PluralRules(S.lang).select(count) === "one" ? one : other;
      });
      text = text.replace(/\{(\w+)\}/g, (whole, name) =>
        params[name] === undefined || params[name] === null ? whole : String(params[name])
      );
    }
    return text;
  }

  function has(key) {
    return Object.prototype.hasOwnProperty.call(CATALOGUES[S.lang] || {}, key);
  }

  /** A code (tie kind, process, product, status, role) in words, or the code itself. */
  function label(group, code) {
    if (code === null || code === undefined) return t("value.none");
    const key = group + "." + String(code).replace(/ /g, "_");
    return has(key) ? t(key) : String(code).replace(/_/g, " ");
  }

  const formats = new Map();
  function numberFormat(options) {
    const key = S.lang + JSON.stringify(options);
    let format = formats.get(key);
    if (!format) {
      // 2.000, not 2000: thousands grouped from four digits, as people in the field write them and as
      // the library's own sentences (matcher.messages.format_number) say them.
      format = new Intl.NumberFormat(S.lang, Object.assign({ useGrouping: "always" }, options));
      formats.set(key, format);
    }
    return format;
  }

  function num(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return t("value.none");
    return numberFormat({ maximumFractionDigits: digits || 0 }).format(value);
  }

  function pct(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return t("value.none");
    return numberFormat({ style: "percent", maximumFractionDigits: digits === undefined ? 0 : digits }).format(value);
  }

  function yesNo(value) {
    if (value === null || value === undefined) return t("value.none");
    return value ? t("value.yes") : t("value.no");
  }

  // ------------------------------------------------------------------ optimizer messages
  // The optimizer's reasons, "why" lines and notes come as {key, args} beside their English
  // text (matcher/messages.py). A template per key is in the catalogues under "msg.<key>",
  // with the fields of matcher.messages: {name}, {name:format} and {name|one|other}.

  const MESSAGE_FIELD = /\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}/g;
  const NAMES_SHOWN = 6;

  const plurals = new Map();
  function pluralOf(value) {
    let rules = plurals.get(S.lang);
    if (!rules) {
      rules = new Intl.PluralRules(S.lang);
      plurals.set(S.lang, rules);
    }
    return rules.select(Number(value));
  }

  /** A code's words inside a sentence (labels are written to stand alone, capitalised). */
  function inSentence(group, code) {
    return label(group, code).toLocaleLowerCase(S.lang);
  }

  /** The pieces joined, or null when one of them has no words in this language. */
  function joined(pieces, separator) {
    return pieces.some((p) => p === null || p === undefined) || separator === null ? null : pieces.join(separator);
  }

  /** The message key for one suggested change, as matcher.messages.change_message picks it. */
  function changeMessage(change) {
    const value = change.value;
    if (change.kind === "rule" && value === "min_group_size") return fillMessage("msg.change.no_min_group_size", { value });
    if (change.kind === "min_lot" && !(value > 1)) return fillMessage("msg.change.no_min_lot", { value });
    if (change.kind === "conflict") return fillMessage("msg.change.conflict", { value, a: (value || [])[0], b: (value || [])[1] });
    return fillMessage("msg.change." + change.kind, { value });
  }

  /** One argument in a field's format; null when it cannot be said in this language. */
  function messageArg(format, value, args) {
    const list = Array.isArray(value) ? value : [];
    switch (format) {
      case undefined:
        if (typeof value === "number") return num(value, 2);
        return Array.isArray(value) ? value.join(", ") : String(value);
      case "n":
      case "min":
        return num(value);
      case "pct":
        return pct(value);
      case "process":
      case "product":
        return inSentence(format, value);
      case "rule":
        return label("rule", value);
      case "list":
        return list.join(", ");
      case "processes":
        return list.map((p) => inSentence("process", p)).join(", ");
      case "kinds":
        return list.map((k) => inSentence("kind", k)).join(", ");
      case "names": {
        const shown = list.slice(0, NAMES_SHOWN).join(", ");
        return list.length > NAMES_SHOWN ? fillMessage("msg.part.names_more", { names: shown, count: list.length - NAMES_SHOWN }) : shown;
      }
      case "workshop_units":
        return list.map((i) => i.workshop_id + " " + num(i.units)).join(", ");
      case "process_units":
        return list.map((i) => inSentence("process", i.process) + " " + num(i.units)).join(", ");
      case "ties":
        return list.map((i) => i.workshop_id + " (" + messageArg("kinds", i.kinds || [], args) + ")").join("; ");
      case "causes":
        return joined(list.map((c) => fillMessage("msg.cause." + c.cause, Object.assign({}, args, { workshops: c.workshops }))), "; ");
      case "changes":
        return joined(list.map(changeMessage), fillMessage("msg.part.or_with", {}));
      case "required":
        return joined(list.map((r) => (r === "min_group_size" ? fillMessage("msg.part.min_group_size", args) : label("rule", r))), ", ");
      case "message": // a message inside another, {key, args}
        return value && typeof value.key === "string" ? fillMessage("msg." + value.key, value.args || {}) : null;
      default:
        return null;
    }
  }

  /** A message template of the catalogue ("msg.<key>") filled with its arguments; null when it has none. */
  function fillMessage(key, args) {
    const template = (CATALOGUES[S.lang] || {})[key];
    if (typeof template !== "string") return null;
    let failed = false;
    const text = template.replace(MESSAGE_FIELD, (whole, name, format, one, other) => {
      const value = args[name];
      if (value === undefined || value === null) {
        failed = true;
        return whole;
      }
      if (one !== undefined) return pluralOf(value) === "one" ? one : other;
      const out = messageArg(format, value, args);
      if (out === null) failed = true;
      return out;
    });
    return failed ? null : text;
  }

  /** The optimizer's sentences in the page's language: each message said, else the English text beside it. */
  function explained(texts, messages) {
    const english = texts || [];
    if (!Array.isArray(messages) || messages.length !== english.length) return english;
    return messages.map((m, i) => {
      const text = m && typeof m.key === "string" ? fillMessage("msg." + m.key, m.args || {}) : null;
      return text === null ? english[i] : text.charAt(0).toLocaleUpperCase(S.lang) + text.slice(1);
    });
  }

  function chooseLang() {
    const asked = new URLSearchParams(location.search).get("lang");
    if (LANGS.includes(asked)) {
      try {
        localStorage.setItem(LANG_KEY, asked); // the next page without ?lang= keeps it
      } catch (err) {
        /* not remembered */
      }
      return asked;
    }
    try {
      const kept = localStorage.getItem(LANG_KEY);
      if (LANGS.includes(kept)) return kept;
    } catch (err) {
      /* storage may be off (private mode, file:// policies) */
    }
    return LANGS.includes(app.dataset.lang) ? app.dataset.lang : "es";
  }

  function switchLang(lang) {
    if (!LANGS.includes(lang) || lang === S.lang) return;
    S.lang = lang;
    try {
      localStorage.setItem(LANG_KEY, lang);
    } catch (err) {
      /* not remembered, still switched */
    }
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.set("lang", lang);
      try {
        history.replaceState(history.state, "", url.href);
      } catch (err) {
        /* some file:// contexts refuse; the stored choice still applies */
      }
    }
    render();
  }

  function applyShellText() {
    document.documentElement.lang = S.lang;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
      node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
    }
    for (const button of document.querySelectorAll("#lang-switch button[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === S.lang));
    }
    const page = t("page." + S.page);
    const head = S.extraTitle ? S.extraTitle + " · " + page : page;
    document.title = head + " · " + t("app.name");
  }

  function registerPlotlyLocale() {
    if (!window.Plotly || registerPlotlyLocale.done) return;
    registerPlotlyLocale.done = true;
    const strings = {
      "Zoom in": "plotly.zoom_in",
      "Zoom out": "plotly.zoom_out",
      "Reset axes": "plotly.reset",
      "Reset view": "plotly.reset",
      Pan: "plotly.pan",
      Zoom: "plotly.zoom",
      Autoscale: "plotly.autoscale",
      "Download plot as a PNG": "plotly.png",
      "Double-click to zoom back out": "plotly.double_click",
      "Produced with Plotly.js": "plotly.produced",
    };
    for (const lang of LANGS) {
      const dictionary = {};
      for (const [english, key] of Object.entries(strings)) {
        dictionary[english] = (CATALOGUES[lang] || {})[key] || english;
      }
      try {
        // Numbers follow layout.separators; a partial "format" here would break plotly's date locale.
        Plotly.register({ moduleType: "locale", name: lang, dictionary });
      } catch (err) {
        /* an older plotly.js without locales: English tooltips */
      }
    }
  }

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  let uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  /** A labelled <select>; options are [value, text] pairs. */
  function selectField(id, text, options, value, onchange) {
    const select = el("select", { id, name: id, onchange: (event) => onchange(event.target.value) });
    for (const [optionValue, optionText, disabled] of options) {
      select.append(el("option", { value: optionValue, selected: optionValue === value, disabled }, optionText));
    }
    return el("div", { class: "field" }, el("label", { for: id }, text), select);
  }

  function notice(text, kind) {
    return el("p", { class: "notice notice-" + (kind || "info"), role: kind === "error" ? "alert" : "status" }, text);
  }

  function dl(pairs, attrs) {
    const list = el("dl", Object.assign({ class: "facts" }, attrs || {}));
    for (const [term, value] of pairs) {
      if (value === undefined) continue;
      list.append(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
    }
    return list;
  }

  /** A table from column headers and rows of cells (strings or nodes); numeric columns align right. */
  function table(headers, rows, attrs) {
    const numeric = (attrs && attrs.numeric) || [];
    const tableAttrs = Object.assign({}, attrs || {});
    delete tableAttrs.numeric;
    delete tableAttrs.caption;
    const head = el("tr", {}, headers.map((h, i) => el("th", { scope: "col", class: numeric.includes(i) ? "num" : null }, h)));
    const body = el(
      "tbody",
      {},
      rows.map((cells) => el("tr", {}, cells.map((c, i) => el("td", { class: numeric.includes(i) ? "num" : null }, c))))
    );
    return el(
      "table",
      tableAttrs,
      attrs && attrs.caption ? el("caption", {}, attrs.caption) : null,
      el("thead", {}, head),
      body
    );
  }

  /** A chart: caption, the plot area (role img + aria-label) and its data table behind a toggle. */
  function chartBox(id, caption, ariaLabel, dataTable) {
    const plotDiv = el("div", { id, class: "chart", role: "img", "aria-label": ariaLabel });
    const figure = el(
      "figure",
      { class: "chart-box" },
      el("figcaption", {}, caption),
      plotDiv,
      dataTable ? el("details", { class: "data-table" }, el("summary", {}, t("chart.show_table")), dataTable) : null
    );
    return { figure, plotDiv };
  }

  function plot(div, traces, layout, config) {
    const base = {
      margin: { l: 70, r: 20, t: 10, b: 50 },
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff",
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13, color: "#1f2328" },
      separators: S.lang === "es" ? ",." : ".,",
      hoverlabel: { bgcolor: "#ffffff", bordercolor: "#1f2328", font: { color: "#1f2328" } },
      height: 320,
    };
    const options = Object.assign(
      {
        displaylogo: false,
        responsive: true,
        locale: S.lang,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"],
      },
      config || {}
    );
    if (!window.Plotly) {
      div.replaceChildren(notice(t("error.no_plotly"), "error"));
      return Promise.resolve();
    }
    return Plotly.react(div, traces, Object.assign(base, layout || {}), options);
  }

  /** A horizontal legend above the plot, in trace order. */
  function topLegend() {
    return { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom", traceorder: "normal" };
  }

  function axisTitle(text) {
    return { title: { text }, automargin: true, gridcolor: "#e5e7eb", zerolinecolor: "#c4c9d0" };
  }

  function markReady(nodes, edges) {
    window.matcherState = { nodes: nodes || 0, edges: edges || 0, page: S.page, lang: S.lang };
    // When it was drawn, increasing across reloads: lets a reader wait for the drawing after an action.
    document.body.dataset.drawn = String(performance.timeOrigin + performance.now());
    document.body.dataset.ready = "1";
  }

  // ------------------------------------------------------------------ service calls

  class PageError extends Error {
    constructor(status, detail, details) {
      super(detail || "HTTP " + status);
      this.status = status;
      this.detail = detail || "";
      this.details = details || []; // the service's problems, each with the field it names
    }
  }

  function token() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch (err) {
      return null;
    }
  }

  function pageLink(page, orderId) {
    if (S.standalone) return "#" + page + (orderId ? "=" + encodeURIComponent(orderId) : "");
    const template = S.links[page];
    if (!template) return null;
    const url = template.replace("{order_id}", encodeURIComponent(orderId || ""));
    return url + (new URLSearchParams(location.search).has("lang") ? "?lang=" + S.lang : "");
  }

  function safeNext(value) {
    // Only a path of this site: never "//host" or a full URL someone slipped into ?next=.
    return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : null;
  }

  function goLogin() {
    const login = S.links.login || "login";
    const next = location.pathname + location.search;
    location.assign(login + "?next=" + encodeURIComponent(next));
  }

  async function api(url, options) {
    const opts = Object.assign({ method: "GET" }, options || {});
    // The service answers its messages in the page's language.
    const headers = Object.assign({ Accept: "application/json", "Accept-Language": S.lang }, opts.headers || {});
    const bearer = token();
    if (bearer) headers.Authorization = "Bearer " + bearer;
    let response;
    try {
      response = await fetch(url, Object.assign({}, opts, { headers }));
    } catch (err) {
      if (window.console) console.error(err); // the browser's words stay in the console: the page says "offline"
      throw new PageError(0);
    }
    if (response.status === 401 && !opts.noRedirect) {
      goLogin();
      throw new PageError(401);
    }
    if (!response.ok) {
      let detail = "";
      let details = [];
      try {
        const body = await response.json();
        detail = (body && body.error && body.error.message) || (body && typeof body.detail === "string" ? body.detail : "");
        details = (body && body.error && Array.isArray(body.error.details) && body.error.details) || [];
      } catch (err) {
        /* not JSON */
      }
      throw new PageError(response.status, detail, details);
    }
    return response.status === 204 ? null : response.json();
  }

  /** A failed call in the page's language: the service's own message as it is (it answers in the
   *  language the page sends), else a general one by status. */
  function errorNotice(err) {
    const status = err && err.status;
    if (err && err.detail && status) return notice(err.detail, "error");
    const text =
      status === 403
        ? t("error.forbidden")
        : status === 404
          ? t("error.not_found")
          : status === 0
            ? t("error.offline")
            : t("error.failed", { status: status || "?" });
    return notice(text, "error");
  }

  async function need(key) {
    if (S.data[key]) return S.data[key];
    if (S.standalone || !S.urls[key]) return null;
    S.data[key] = await api(S.urls[key]);
    return S.data[key];
  }

  // ------------------------------------------------------------------ chrome and routing

  const PAGES = {
    home: pageHome,
    login: pageLogin,
    network: pageNetwork,
    proposal: pageProposal,
    dashboard: pageDashboard,
    shortlist: pageShortlist,
  };

  function available(page) {
    if (!S.standalone) return true;
    if (page === "home" || page === "login") return true;
    if (page === "proposal") return Object.keys(S.data.proposals).length > 0;
    return Boolean(S.data[page]);
  }

  function routeFromHash() {
    if (!S.standalone) return S.basePage;
    const hash = decodeURIComponent(location.hash.slice(1));
    const [page, value] = hash.split("=");
    if (PAGES[page] && available(page)) {
      if (page === "proposal" && value) S.order = value;
      return page;
    }
    return hash ? S.page : S.basePage; // another anchor (e.g. "#app") keeps the page shown
  }

  function renderNav() {
    const nav = document.getElementById("nav");
    if (!nav) return;
    const items = [];
    const pages = S.standalone
      ? ["home", "network", "dashboard", "proposal", "shortlist"].filter((p) => p === "home" || available(p))
      : ["home"].concat(S.page === "network" || S.page === "proposal" || S.page === "dashboard" ? ["network", "dashboard"] : []);
    if (!(S.standalone && pages.length <= 2)) {
      for (const page of pages) {
        const href = page === "home" && !S.standalone ? S.links.home || "/" : pageLink(page);
        if (!href) continue;
        items.push(el("li", {}, el("a", { href, "aria-current": page === S.page ? "page" : null }, t("nav." + page))));
      }
    }
    if (!S.standalone && S.page !== "login") {
      if (token()) {
        items.push(el("li", {}, el("button", { type: "button", class: "link-button", id: "sign-out", onclick: signOut }, t("nav.sign_out"))));
      } else if (S.links.login) {
        items.push(el("li", {}, el("a", { href: S.links.login }, t("nav.sign_in"))));
      }
    }
    nav.replaceChildren(items.length ? el("ul", {}, items) : "");
  }

  async function signOut() {
    const bearer = token();
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (err) {
      /* nothing kept */
    }
    if (bearer) {
      try {
        await fetch(S.urls.logout || "/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + bearer, "Accept-Language": S.lang } });
      } catch (err) {
        /* the token expires anyway */
      }
    }
    location.assign(S.links.login || S.links.home || "/");
  }

  let renderCount = 0;
  async function render() {
    const mine = ++renderCount;
    document.body.dataset.ready = "0";
    S.page = routeFromHash();
    app.dataset.page = S.page;
    applyShellText();
    renderNav();
    app.replaceChildren();
    try {
      await PAGES[S.page](() => mine === renderCount);
    } catch (err) {
      if (mine !== renderCount) return;
      if (err && err.status === 401) return; // on the way to the sign-in page
      app.append(errorNotice(err));
      if (!(err instanceof PageError) && window.console) console.error(err);
      markReady(0, 0);
    }
  }

  function heading(text) {
    return el("h1", { id: "page-title" }, text);
  }

  // ------------------------------------------------------------------ network model

  /** What stays the same for a network view whatever the filters: indices, maxima, lookups. */
  function prepare(view) {
    const nodes = view.nodes;
    const n = nodes.id.length;
    const maxOf = (values) => values.reduce((m, v) => (v !== null && v > m ? v : m), 0);
    return {
      view,
      n,
      m: view.edges.source.length,
      conflict: view.kinds.indexOf("conflict"),
      index: new Map(nodes.id.map((id, i) => [id, i])),
      collapsible: Boolean(view.collapsed) && (view.communities || []).length > 0,
      max: {
        degree: maxOf(nodes.degree || []),
        betweenness: maxOf(nodes.betweenness || []),
        capacity: maxOf(nodes.capacity || []),
      },
      hasBetweenness: (nodes.betweenness || []).some((v) => v !== null && v !== undefined),
    };
  }

  function networkState(view) {
    return {
      colorBy: "community",
      sizeBy: "degree",
      kinds: new Set(view.kinds),
      wave: "all",
      territory: "",
      organization: "",
      highlight: new Set(),
      expanded: new Set(),
      selected: null,
      search: "",
    };
  }

  /** The nodes, community nodes and line segments drawn for the current filters. */
  function layoutNetwork(P, st, options) {
    const v = P.view;
    const N = v.nodes;
    const E = v.edges;
    const cats = v.categories || {};
    const territory = st.territory === "" ? -1 : (cats.territory || []).indexOf(st.territory);
    const organization = st.organization === "" ? -1 : (cats.organization || []).indexOf(st.organization);
    const visible = new Uint8Array(P.n);
    for (let i = 0; i < P.n; i++) {
      const inTerritory = territory < 0 || N.territory[i] === territory;
      const inOrganization = organization < 0 || (N.organizations[i] || []).includes(organization);
      visible[i] = inTerritory && inOrganization ? 1 : 0;
    }
    const collapsed = P.collapsible && !(options && options.expandAll);
    // A workshop in no community (an isolate, community -1) is always drawn on its own.
    const open = (i) => !collapsed || N.community[i] < 0 || st.expanded.has(N.community[i]);
    const nodes = [];
    const members = new Map(); // community -> visible members drawn as one node
    for (let i = 0; i < P.n; i++) {
      if (!visible[i]) continue;
      if (open(i)) nodes.push(i);
      else members.set(N.community[i], (members.get(N.community[i]) || 0) + 1);
    }
    const kindOn = v.kinds.map((k) => st.kinds.has(k));
    const wave = st.wave === "all" ? null : (v.waves || []).indexOf(st.wave);
    const communities = v.communities || [];
    const pos = { x: [], y: [] };
    const neg = { x: [], y: [] };
    const seen = new Set();
    let edges = 0;
    for (let e = 0; e < P.m; e++) {
      if (!kindOn[E.kind[e]]) continue;
      if (wave !== null && E.wave[e] !== wave) continue;
      const s = E.source[e];
      const d = E.target[e];
      if (!visible[s] || !visible[d]) continue;
      const conflict = E.kind[e] === P.conflict;
      const openS = open(s);
      const openD = open(d);
      // One line per pair and sign: a pair tied in two waves, or by two kinds, is one line; a tie
      // into a closed community is drawn once per (end, community, sign).
      const a = openS ? "n" + s : "c" + N.community[s];
      const b = openD ? "n" + d : "c" + N.community[d];
      if (a === b) continue;
      const key = (a < b ? a + "|" + b : b + "|" + a) + (conflict ? "!" : "");
      if (seen.has(key)) continue;
      seen.add(key);
      let x0, y0, x1, y1;
      if (openS && openD) {
        x0 = N.x[s];
        y0 = N.y[s];
        x1 = N.x[d];
        y1 = N.y[d];
      } else {
        const cs = communities[N.community[s]];
        const cd = communities[N.community[d]];
        x0 = openS ? N.x[s] : cs.x;
        y0 = openS ? N.y[s] : cs.y;
        x1 = openD ? N.x[d] : cd.x;
        y1 = openD ? N.y[d] : cd.y;
      }
      const line = conflict ? neg : pos;
      line.x.push(x0, x1, null);
      line.y.push(y0, y1, null);
      edges += 1;
    }
    return { visible, nodes, members, pos, neg, edges };
  }

  function categoryOf(P, colorBy, i) {
    const N = P.view.nodes;
    if (colorBy === "territory") return N.territory[i];
    if (colorBy === "product") return N.product[i];
    return N.community[i];
  }

  function colorOf(index) {
    return index === null || index === undefined || index < 0 ? GREY : PALETTE[index % PALETTE.length];
  }

  function communityColor(P, colorBy, c) {
    const community = P.view.communities[c];
    if (colorBy === "community") return colorOf(c);
    const values = (P.view.categories || {})[colorBy] || [];
    return colorOf(values.indexOf(community[colorBy]));
  }

  function sizeOf(P, sizeBy, i) {
    const value = (P.view.nodes[sizeBy] || [])[i];
    const max = P.max[sizeBy];
    if (value === null || value === undefined || !max) return 7;
    return 6 + 16 * Math.sqrt(Math.max(value, 0) / max);
  }

  function isHighlighted(N, highlight, i) {
    return (
      (highlight.has("broker") && N.broker[i]) ||
      (highlight.has("isolate") && N.isolate[i]) ||
      (highlight.has("articulation") && N.articulation[i])
    );
  }

  function nodeHover(P, i) {
    const N = P.view.nodes;
    const cats = P.view.categories || {};
    const parts = [
      "<b>" + N.id[i] + "</b>",
      ((cats.territory || [])[N.territory[i]] || "") + " · " + label("product", (cats.product || [])[N.product[i]]),
      t("net.degree") + ": " + num(N.degree[i]),
      t("net.capacity") + ": " + num(N.capacity[i]) + " " + t("unit.min_week"),
    ];
    return parts.join("<br>");
  }

  /** Plotly traces of a network: tie lines, conflict lines, workshops, communities, rings. */
  function networkTraces(P, st, layout, rings) {
    const N = P.view.nodes;
    const highlight = st.highlight;
    const any = highlight.size > 0;
    const focus = rings.find((ring) => ring.dim);
    const inFocus = focus ? new Set(focus.nodes) : null;
    const nodes = layout.nodes;
    const traces = [
      {
        type: "scatter", mode: "lines", x: layout.pos.x, y: layout.pos.y, hoverinfo: "skip", name: t("legend.ties"),
        line: { color: "rgba(80, 86, 96, 0.35)", width: 0.8 },
      },
      {
        type: "scatter", mode: "lines", x: layout.neg.x, y: layout.neg.y, hoverinfo: "skip", name: t("legend.conflicts"),
        line: { color: CONFLICT_COLOR, width: 1.4, dash: "dash" },
      },
      {
        type: "scatter",
        mode: "markers",
        x: nodes.map((i) => N.x[i]),
        y: nodes.map((i) => N.y[i]),
        customdata: nodes,
        hovertext: nodes.map((i) => nodeHover(P, i)),
        hoverinfo: "text",
        name: t("legend.workshops"),
        marker: {
          color: nodes.map((i) => colorOf(categoryOf(P, st.colorBy, i))),
          size: nodes.map((i) => sizeOf(P, st.sizeBy, i)),
          opacity: any
            ? nodes.map((i) => (isHighlighted(N, highlight, i) ? 1 : 0.2))
            : inFocus
              ? nodes.map((i) => (inFocus.has(i) ? 1 : 0.3))
              : 0.9,
          line: {
            color: "#111111",
            width: any ? nodes.map((i) => (isHighlighted(N, highlight, i) ? 2.5 : 0)) : 0.5,
          },
        },
      },
    ];
    const closed = [...layout.members.keys()].sort((a, b) => a - b);
    const maxMembers = closed.reduce((m, c) => Math.max(m, layout.members.get(c)), 1);
    const communities = P.view.communities || [];
    traces.push({
      type: "scatter",
      mode: "markers+text",
      x: closed.map((c) => communities[c].x),
      y: closed.map((c) => communities[c].y),
      customdata: closed.map((c) => -(c + 1)),
      text: closed.map((c) => communities[c].label),
      textposition: "top center",
      textfont: { color: "#1f2328", size: 12 },
      hovertext: closed.map((c) =>
        t("net.community_hover", {
          label: communities[c].label,
          size: num(layout.members.get(c)),
          territory: communities[c].territory || t("value.none"),
          product: label("product", communities[c].product),
        })
      ),
      hoverinfo: "text",
      name: t("legend.communities"),
      marker: {
        color: closed.map((c) => communityColor(P, st.colorBy, c)),
        size: closed.map((c) => 18 + 34 * Math.sqrt(layout.members.get(c) / maxMembers)),
        line: { color: "#ffffff", width: 1.5 },
        opacity: 0.95,
      },
    });
    for (const ring of rings) {
      const shown = ring.nodes.filter((i) => layout.visible[i]);
      traces.push({
        type: "scatter",
        mode: "markers",
        x: shown.map((i) => N.x[i]),
        y: shown.map((i) => N.y[i]),
        customdata: shown,
        hovertext: shown.map((i) => nodeHover(P, i)),
        hoverinfo: "text",
        name: ring.name,
        marker: { symbol: "circle-open", size: shown.map((i) => sizeOf(P, st.sizeBy, i) + 12), color: ring.color, line: { width: 3, color: ring.color } },
      });
    }
    return traces;
  }

  function networkLayout() {
    const axis = { visible: false, showgrid: false, zeroline: false, fixedrange: false };
    return {
      height: 560,
      margin: { l: 5, r: 5, t: 5, b: 5 },
      showlegend: false,
      hovermode: "closest",
      dragmode: "pan",
      uirevision: "network",
      xaxis: Object.assign({}, axis),
      yaxis: Object.assign({}, axis, { scaleanchor: "x", scaleratio: 1 }),
    };
  }

  function networkLegend(P, st) {
    const box = el("div", { class: "legend", id: "legend", "aria-label": t("legend.label") });
    const items = [];
    let values;
    if (st.colorBy === "community") values = (P.view.communities || []).map((c) => c.label);
    else values = ((P.view.categories || {})[st.colorBy] || []).map((v) => (st.colorBy === "product" ? label("product", v) : v));
    values.slice(0, 12).forEach((value, i) => {
      items.push(el("li", {}, el("span", { class: "swatch", dataset: { color: colorOf(i) } }), value));
    });
    if (values.length > 12) items.push(el("li", {}, t("legend.more", { count: num(values.length - 12) })));
    items.push(el("li", {}, el("span", { class: "line-swatch" }), t("legend.ties")));
    if (P.conflict >= 0) items.push(el("li", {}, el("span", { class: "line-swatch conflict" }), t("legend.conflicts")));
    box.append(el("p", { class: "legend-title" }, t("legend.color_" + st.colorBy)), el("ul", {}, items));
    for (const swatch of box.querySelectorAll(".swatch")) swatch.style.backgroundColor = swatch.dataset.color;
    return box;
  }

  // ------------------------------------------------------------------ network page

  async function pageNetwork(current) {
    app.append(heading(t("page.network")));
    const view = await need("network");
    if (!current()) return;
    if (!view) {
      app.append(notice(t("error.no_view"), "info"));
      markReady(0, 0);
      return;
    }
    if (!S.prep || S.prep.view !== view) {
      S.prep = prepare(view);
      S.net = networkState(view);
    }
    const P = S.prep;
    const st = S.net;
    const N = view.nodes;

    const graph = el("div", {
      id: "network-graph",
      class: "chart network-chart",
      role: "img",
      "aria-label": t("net.graph_label", { workshops: num(P.n), ties: num((view.summary || {}).ties) }),
    });
    const legendSlot = el("div", { class: "legend-slot" });
    const drawn = el("p", { id: "drawn-counts", class: "muted", "aria-live": "polite" });
    const profile = el("section", { id: "profile", class: "panel", "aria-live": "polite", "aria-labelledby": "profile-title" });
    const tableSlot = el("div", { id: "workshop-table-slot" });
    const tableNote = el("p", { class: "muted", id: "workshop-table-note" });

    const layoutRow = el(
      "div",
      { class: "network-layout" },
      networkControls(P, st, redraw, refilter),
      el("div", { class: "network-main" }, el("div", { class: "network-frame" }, graph), legendSlot, P.collapsible ? collapseButtons(P, st, redraw) : null),
      el("aside", { class: "network-side" }, summarySection(view, drawn), profile)
    );
    const search = el("input", {
      id: "workshop-search",
      type: "search",
      value: st.search,
      autocomplete: "off",
      oninput: (event) => {
        st.search = event.target.value.trim().toLowerCase();
        renderTable();
      },
    });
    app.append(
      layoutRow,
      el(
        "section",
        { class: "panel", "aria-labelledby": "workshops-title" },
        el("h2", { id: "workshops-title" }, t("net.table_title")),
        el("p", { class: "muted" }, t("net.table_help")),
        el("div", { class: "field" }, el("label", { for: "workshop-search" }, t("net.search")), search),
        tableNote,
        tableSlot
      )
    );

    function renderProfile() {
      const i = st.selected;
      if (i === null || i === undefined) {
        profile.replaceChildren(el("h2", { id: "profile-title" }, t("profile.title")), el("p", { class: "muted" }, t("profile.empty")));
        return;
      }
      const cats = view.categories || {};
      const roles = [];
      if (N.broker[i]) roles.push(t("role_in_network.broker"));
      if (N.isolate[i]) roles.push(t("role_in_network.isolate"));
      if (N.articulation[i]) roles.push(t("role_in_network.articulation"));
      // Workshops it is tied to by each kind (in the wave chosen, else in any): a partner
      // recorded in two waves, or both ways, counts once.
      const wave = st.wave === "all" ? null : (view.waves || []).indexOf(st.wave);
      const partners = new Map();
      for (let e = 0; e < P.m; e++) {
        const s = view.edges.source[e];
        const d = view.edges.target[e];
        if ((s !== i && d !== i) || (wave !== null && view.edges.wave[e] !== wave)) continue;
        const kind = view.kinds[view.edges.kind[e]];
        if (!partners.has(kind)) partners.set(kind, new Set());
        partners.get(kind).add(s === i ? d : s);
      }
      const byKind = view.kinds.filter((kind) => partners.has(kind)).map((kind) => [kind, partners.get(kind).size]);
      const community = (view.communities || [])[N.community[i]];
      profile.replaceChildren(
        el("h2", { id: "profile-title" }, t("profile.title_of", { id: N.id[i] })),
        dl([
          [t("profile.territory"), (cats.territory || [])[N.territory[i]] || t("value.none")],
          [t("profile.product"), label("product", (cats.product || [])[N.product[i]])],
          [t("profile.organizations"), (N.organizations[i] || []).map((o) => (cats.organization || [])[o]).join(", ") || t("value.none")],
          [t("profile.community"), community ? community.label : t("value.none")],
          [t("profile.workers"), num(N.workers[i])],
          [t("profile.quality"), num(N.quality[i])],
          [t("profile.formal"), yesNo(N.formal[i])],
          [t("profile.can_lead"), yesNo(N.can_lead[i])],
          [t("profile.capacity"), num(N.capacity[i]) + " " + t("unit.min_week")],
          [t("profile.degree"), num(N.degree[i])],
          [t("profile.betweenness"), num(N.betweenness[i], 3)],
          [t("profile.processes"), (N.processes[i] || []).map((p) => label("process", p)).join(", ") || t("value.none")],
          [t("profile.roles"), roles.join(", ") || t("value.none")],
          [
            wave === null ? t("profile.ties") : t("profile.ties_wave", { wave: st.wave }),
            byKind.map(([kind, count]) => label("kind", kind) + " " + num(count)).join(", ") || t("value.none"),
          ],
        ])
      );
    }

    let rows = [];
    let lastLayout = null;
    function renderTable() {
      const matches = [];
      for (let i = 0; i < P.n; i++) {
        if (lastLayout && !lastLayout.visible[i]) continue;
        if (st.search && !N.id[i].toLowerCase().includes(st.search)) continue;
        matches.push(i);
      }
      const shown = matches.slice(0, TABLE_ROWS);
      tableNote.textContent =
        matches.length > shown.length
          ? t("net.table_capped", { shown: num(shown.length), total: num(matches.length) })
          : t("net.table_count", { total: num(matches.length) });
      const cats = view.categories || {};
      const active = shown.includes(st.selected) ? st.selected : shown[0];
      rows = shown.map((i) => {
        const roles = [];
        if (N.broker[i]) roles.push(t("role_in_network.broker"));
        if (N.isolate[i]) roles.push(t("role_in_network.isolate"));
        if (N.articulation[i]) roles.push(t("role_in_network.articulation"));
        const community = (view.communities || [])[N.community[i]];
        return el(
          "tr",
          {
            tabindex: i === active ? "0" : "-1",
            "aria-selected": String(i === st.selected),
            dataset: { index: String(i), id: N.id[i] },
          },
          el("th", { scope: "row" }, N.id[i]),
          el("td", {}, (cats.territory || [])[N.territory[i]] || ""),
          el("td", {}, community ? community.label : t("value.none")),
          el("td", { class: "num" }, num(N.degree[i])),
          el("td", { class: "num" }, num(N.capacity[i])),
          el("td", {}, roles.join(", "))
        );
      });
      const tableNode = el(
        "table",
        { id: "workshop-table", class: "selectable", "aria-describedby": "workshop-table-note" },
        el("caption", { class: "visually-hidden" }, t("net.table_title")),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, t("net.col_workshop")),
            el("th", { scope: "col" }, t("net.col_territory")),
            el("th", { scope: "col" }, t("net.col_community")),
            el("th", { scope: "col", class: "num" }, t("net.col_degree")),
            el("th", { scope: "col", class: "num" }, t("net.col_capacity")),
            el("th", { scope: "col" }, t("net.col_roles"))
          )
        ),
        el("tbody", { onkeydown: tableKeys, onclick: tableClick }, rows)
      );
      tableSlot.replaceChildren(el("div", { class: "table-scroll" }, tableNode));
    }

    function focusRow(row) {
      for (const r of rows) r.tabIndex = -1;
      row.tabIndex = 0;
      row.focus();
    }

    function tableKeys(event) {
      const row = event.target.closest("tr");
      if (!row) return;
      const at = rows.indexOf(row);
      const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1, PageDown: at + 10, PageUp: at - 10 };
      if (event.key in moves) {
        event.preventDefault();
        focusRow(rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))]);
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select(Number(row.dataset.index));
      }
    }

    function tableClick(event) {
      const row = event.target.closest("tr");
      if (row && row.dataset.index) {
        focusRow(row);
        select(Number(row.dataset.index));
      }
    }

    function select(i) {
      st.selected = i;
      if (P.collapsible && N.community[i] >= 0) st.expanded.add(N.community[i]);
      for (const row of rows) row.setAttribute("aria-selected", String(Number(row.dataset.index) === i));
      renderProfile();
      redraw();
    }

    function redraw() {
      const layout = layoutNetwork(P, st);
      lastLayout = layout;
      const rings = st.selected === null ? [] : [{ nodes: [st.selected], color: "#111111", name: t("legend.selected") }];
      const traces = networkTraces(P, st, layout, rings);
      legendSlot.replaceChildren(networkLegend(P, st));
      const count = layout.nodes.length + layout.members.size;
      drawn.textContent = layout.members.size
        ? t("sum.drawn_collapsed", { nodes: num(count), communities: num(layout.members.size), edges: num(layout.edges) })
        : t("sum.drawn", { nodes: num(count), edges: num(layout.edges) });
      document.body.dataset.ready = "0";
      return plot(graph, traces, networkLayout(), { scrollZoom: true }).then(() => {
        if (current()) markReady(count, layout.edges);
      });
    }

    function refilter() {
      const done = redraw();
      renderTable();
      return done;
    }

    renderProfile();
    await redraw();
    renderTable();
    if (window.Plotly && graph.on) {
      graph.on("plotly_click", (event) => {
        const point = event && event.points && event.points[0];
        if (!point || point.customdata === undefined || point.customdata === null) return;
        const value = Number(point.customdata);
        if (value >= 0) select(value);
        else {
          st.expanded.add(-value - 1);
          redraw();
        }
      });
    }
  }

  function networkControls(P, st, redraw, refilter) {
    const view = P.view;
    const cats = view.categories || {};
    // A checkbox that keeps `chosen` (a Set of values) in step and redraws.
    const toggle = (name, value, chosen, text, labelClass = null) => {
      const id = name + "-" + value;
      return el(
        "div",
        { class: "check" },
        el("input", {
          type: "checkbox",
          id,
          name,
          value,
          checked: chosen.has(value),
          onchange: (event) => {
            if (event.target.checked) chosen.add(value);
            else chosen.delete(value);
            redraw();
          },
        }),
        el("label", { for: id, class: labelClass }, text)
      );
    };
    const kindBoxes = view.kinds.map((kind) =>
      toggle("kind", kind, st.kinds, label("kind", kind), kind === "conflict" ? "conflict-label" : null)
    );
    const highlightBoxes = ["broker", "isolate", "articulation"].map((role) =>
      toggle("highlight", role, st.highlight, t("highlight." + role))
    );
    const waves = view.waves || [];
    const waveField = selectField(
      "wave",
      t("filter.wave"),
      [["all", t("filter.all_waves")]].concat(waves.map((w) => [w, t("filter.wave_n", { wave: w })])),
      st.wave,
      (value) => {
        st.wave = value;
        redraw();
      }
    );
    if (!waves.length) waveField.querySelector("select").disabled = true;
    const territoryField = selectField(
      "territory-filter",
      t("filter.territory"),
      [["", t("filter.all_territories")]].concat((cats.territory || []).map((v) => [v, v])),
      st.territory,
      (value) => {
        st.territory = value;
        refilter();
      }
    );
    const organizationField = selectField(
      "organization-filter",
      t("filter.organization"),
      [["", t("filter.all_organizations")]].concat((cats.organization || []).map((v) => [v, v])),
      st.organization,
      (value) => {
        st.organization = value;
        refilter();
      }
    );
    if (!(cats.organization || []).length) organizationField.querySelector("select").disabled = true;
    return el(
      "form",
      { id: "filters", class: "panel controls", "aria-labelledby": "filters-title", onsubmit: (event) => event.preventDefault() },
      el("h2", { id: "filters-title" }, t("filter.title")),
      el("fieldset", {}, el("legend", {}, t("filter.kinds")), kindBoxes),
      territoryField,
      organizationField,
      waveField,
      selectField(
        "color-by",
        t("filter.color_by"),
        [
          ["community", t("color.community")],
          ["territory", t("color.territory")],
          ["product", t("color.product")],
        ],
        st.colorBy,
        (value) => {
          st.colorBy = value;
          redraw();
        }
      ),
      selectField(
        "size-by",
        t("filter.size_by"),
        [
          ["degree", t("size.degree")],
          ["betweenness", t("size.betweenness"), !P.hasBetweenness],
          ["capacity", t("size.capacity")],
        ],
        st.sizeBy,
        (value) => {
          st.sizeBy = value;
          redraw();
        }
      ),
      el("fieldset", {}, el("legend", {}, t("filter.highlight")), highlightBoxes)
    );
  }

  function collapseButtons(P, st, redraw) {
    const all = (P.view.communities || []).map((c) => c.id);
    return el(
      "div",
      { class: "button-row" },
      el("p", { class: "muted" }, t("net.collapsed_help")),
      el(
        "button",
        {
          type: "button",
          id: "expand-all",
          onclick: () => {
            all.forEach((c) => st.expanded.add(c));
            redraw();
          },
        },
        t("net.expand_all")
      ),
      el(
        "button",
        {
          type: "button",
          id: "collapse-all",
          onclick: () => {
            st.expanded.clear();
            redraw();
          },
        },
        t("net.collapse_all")
      )
    );
  }

  function summarySection(view, drawn) {
    const s = view.summary || {};
    const lines = [];
    const add = (key, ready, params) => {
      if (ready) lines.push(el("li", {}, t(key, params)));
    };
    add("sum.size", s.workshops !== undefined, {
      workshops: num(s.workshops),
      ties: num(s.ties),
      collaboration: num(s.collaboration_edges),
    });
    add("sum.density", s.density !== null && s.density !== undefined, { density: num(s.density, 3), share: pct(s.density, 1) });
    add("sum.components", s.components !== null && s.components !== undefined, {
      components: num(s.components),
      largest: pct(s.largest_component_share),
    });
    add("sum.isolates", s.isolates !== null && s.isolates !== undefined, { isolates: num(s.isolates) });
    add("sum.communities", s.communities !== null && s.communities !== undefined, {
      communities: num(s.communities),
      modularity: num(s.modularity, 2),
    });
    add("sum.clustering", s.average_clustering !== null && s.average_clustering !== undefined, {
      clustering: num(s.average_clustering, 2),
      transitivity: num(s.transitivity, 2),
    });
    add("sum.conflicts", s.conflict_pairs !== null && s.conflict_pairs !== undefined, {
      pairs: num(s.conflict_pairs),
      within: num(s.conflict_within_communities),
    });
    add("sum.balance", s.balanced_share !== null && s.balanced_share !== undefined, { share: pct(s.balanced_share) });
    add("sum.brokers", s.brokers !== null && s.brokers !== undefined, {
      brokers: num(s.brokers),
      workshops: num(s.workshops),
      articulation: num(s.articulation_points),
      bridges: num(s.bridges),
    });
    const top = s.top_brokers || [];
    // The list may be cut to the highest betweenness; it then says how many of how many it shows.
    add(top.length < s.brokers ? "sum.top_brokers" : "sum.top_brokers_all", top.length > 0, {
      ids: top.join(", "),
      shown: num(top.length),
      brokers: num(s.brokers),
    });
    const scope = view.scope || {};
    const scopeText = [scope.territory, scope.organization].filter(Boolean).join(" · ");
    return el(
      "section",
      { id: "summary", class: "panel", "aria-labelledby": "summary-title" },
      el("h2", { id: "summary-title" }, t("sum.title")),
      scopeText ? el("p", { class: "muted" }, t("sum.scope", { scope: scopeText })) : null,
      el("ul", { class: "plain" }, lines),
      el("p", { class: "muted", id: "summary-help" }, t("sum.counts_help")),
      view.collapsed ? el("p", {}, t("sum.collapsed")) : null,
      drawn
    );
  }

  // ------------------------------------------------------------------ proposal page

  function proposalOrderId() {
    if (S.order) return S.order;
    const template = S.links.proposal;
    if (template && template.includes("{order_id}")) {
      const [before, after] = template.split("{order_id}");
      const path = location.pathname;
      if (path.startsWith(before) && path.endsWith(after) && path.length > before.length + after.length) {
        return decodeURIComponent(path.slice(before.length, path.length - after.length));
      }
    }
    return new URLSearchParams(location.search).get("order") || S.data.order_id || null;
  }

  async function pageProposal(current) {
    app.append(heading(t("page.proposal")));
    let orderIds = Object.keys(S.data.proposals).sort();
    if (!S.standalone && S.urls.proposal && !orderIds.length) {
      try {
        const view = await api(S.urls.proposal);
        S.data.proposals[view.order.order_id] = view;
      } catch (err) {
        if (!current()) return;
        if (err.status === 404) {
          await missingProposal(current, err);
          return;
        }
        throw err;
      }
      orderIds = Object.keys(S.data.proposals).sort();
    }
    if (!current()) return;
    if (!orderIds.length) {
      app.append(notice(t("proposal.none"), "info"));
      markReady(0, 0);
      return;
    }
    const wanted = proposalOrderId();
    const orderId = orderIds.includes(wanted) ? wanted : orderIds[0];
    S.order = orderId;
    const view = S.data.proposals[orderId];
    if (orderIds.length > 1) {
      app.append(
        el(
          "div",
          { class: "panel controls inline" },
          selectField(
            "order-select",
            t("proposal.choose_order"),
            orderIds.map((id) => [id, id + " · " + label("product", S.data.proposals[id].order.product) + " · " + label("status", S.data.proposals[id].status)]),
            orderId,
            (value) => {
              S.order = value;
              if (S.standalone) {
                try {
                  history.replaceState(null, "", "#proposal=" + encodeURIComponent(value));
                } catch (err) {
                  /* the choice holds until reload */
                }
              }
              render();
            }
          )
        )
      );
    }
    let network = null;
    try {
      network = await need("network");
    } catch (err) {
      network = null; // the proposal reads without the network (e.g. a role without it)
    }
    if (!current()) return;
    await drawProposal(view, network, current);
  }

  async function missingProposal(current, err) {
    const orderId = proposalOrderId();
    app.append(notice(t("proposal.missing", { order: orderId || "" }), "info"));
    if (err && err.detail) app.append(el("p", { class: "muted detail" }, err.detail));
    if (S.urls.run && orderId) {
      let quantity = null; // for the usual lot in the hint; the run needs no more than the id
      if (S.urls.order) {
        try {
          quantity = (await api(S.urls.order)).quantity;
        } catch (failure) {
          if (failure.status === 401) return;
        }
        if (!current()) return;
      }
      app.append(runForm(orderId, quantity, false));
    }
    markReady(0, 0);
  }

  /** The lot an order gets when the run sets none: 5 % of the quantity, at least 50 units, at most the quantity. */
  function usualLot(quantity) {
    return Math.min(quantity, Math.max(50, Math.ceil((quantity * 5) / 100)));
  }

  /** How an order's lot reads ("300 units"; 0 or 1: any number); undefined from a run that says none. */
  function lotText(lot) {
    if (lot === null || lot === undefined) return undefined;
    return lot > 1 ? fillMessage("order.lot_units", { units: lot }) || num(lot) : t("order.lot_none");
  }

  /** The form that runs the matching of one order with a lot of the coordinator's choosing (empty: the usual one). */
  function runForm(orderId, quantity, again) {
    const input = el("input", { type: "text", id: "run-lot", inputmode: "numeric", autocomplete: "off" });
    const hint = quantity ? fillMessage("run.lot_hint_usual", { units: usualLot(quantity) }) : t("run.lot_hint");
    const field = formField("min_lot", t("run.lot"), input, { hint, readBack: true });
    readBackWhole(input, field.querySelector("output"), (n) => lotText(n));
    const status = el("p", { id: "run-status", role: "status", "aria-live": "polite" });
    const button = el("button", { type: "submit", id: "run-match", class: "primary" }, again ? t("run.again") : t("proposal.run"));
    const form = el(
      "form",
      { id: "run-form", class: again ? "panel run-form" : "run-form", novalidate: true, "aria-labelledby": again ? "run-title" : null },
      again ? el("h2", { id: "run-title" }, t("run.again_title")) : null,
      again ? el("p", { class: "muted" }, t("run.again_help")) : null,
      field,
      el("div", { class: "button-row" }, button),
      status
    );
    clearOnEdit(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const lot = readWhole(input.value);
      if (lot.error) {
        showErrors(form, [["min_lot", t("form.whole", { example: num(300) })]]);
        return;
      }
      showErrors(form, []);
      button.disabled = true;
      status.textContent = t("proposal.run_started");
      try {
        await runMatch(orderId, status, lot.empty ? null : lot.value);
        S.data.proposals = {};
        render();
      } catch (failure) {
        button.disabled = false;
        if (failure instanceof PageError && failure.status === 422) {
          const left = showErrors(form, serviceProblems(failure, () => "min_lot"));
          status.replaceChildren(...left.map((m) => notice(m, "error")));
        } else {
          status.replaceChildren(failure instanceof PageError ? errorNotice(failure) : notice(String(failure.message || failure), "error"));
        }
      }
    });
    return form;
  }

  /** Runs the matching of one order (with its lot when given, null: the usual one) and follows the job to its end. */
  async function runMatch(orderId, status, lot) {
    const body = { order_ids: [orderId] };
    if (lot !== null && lot !== undefined) body.options = { order_rules: { [orderId]: { min_lot: lot } } };
    const job = await api(S.urls.run, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const base = (S.urls.jobs || S.urls.run.replace(/\/match\/?$/, "")).replace(/\/$/, "");
    let state = job;
    while (!["done", "failed", "cancelled"].includes(state.status)) {
      status.textContent = t("proposal.run_progress", { progress: pct(state.progress || 0), message: state.message || "" });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      state = await api(base + "/" + encodeURIComponent(job.job_id));
    }
    if (state.status !== "done") {
      throw new Error(t("proposal.run_failed", { status: label("job", state.status), error: state.error || "" }));
    }
    status.textContent = t("proposal.run_done");
  }

  async function drawProposal(view, network, current) {
    const order = view.order;
    const members = view.members || [];
    const processes = view.processes || [];
    const status = view.status || order.status;
    const leader = members.find((m) => m.leader);
    const backups = members.filter((m) => m.backup);

    app.append(
      el(
        "section",
        { class: "panel", id: "order-summary", "aria-labelledby": "order-title" },
        el("h2", { id: "order-title" }, t("proposal.order_title", { order: order.order_id }), " ", statusBadge(status)),
        dl([
          [t("order.product"), label("product", order.product)],
          [t("order.quantity"), num(order.quantity)],
          [t("order.filled"), num(order.filled_units)],
          [t("order.due"), t("order.due_weeks", { weeks: num(order.due_weeks, 1) })],
          [t("order.firm"), order.firm_id || t("value.none")],
          [t("order.eligible"), num(order.eligible_workshops)],
          // An order with no group has no leader and no group size to tell.
          [t("order.leader"), !members.length ? undefined : leader ? leader.workshop_id : t("proposal.no_leader")],
          backups.length ? [t("order.backup"), backups.map((m) => m.workshop_id).join(", ")] : [t("order.backup"), undefined],
          [t("order.group_size"), members.length ? num(members.length) : undefined],
          [t("order.lot"), lotText(order.lot)],
        ])
      )
    );

    if (status !== "filled" || (view.changes || []).length) app.append(changesSection(view));
    if (!S.standalone && S.urls.run) app.append(runForm(order.order_id, order.quantity, true));

    const pending = [];
    if (members.length) {
      const ids = members.map((m) => m.workshop_id);
      const allocTable = table(
        [t("proposal.col_workshop"), t("proposal.col_process"), t("proposal.col_units"), t("proposal.col_minutes")],
        members.flatMap((m) => (m.allocations || []).map((a) => [m.workshop_id, label("process", a.process), num(a.units), num(a.minutes)])),
        { numeric: [2, 3] }
      );
      const alloc = chartBox("allocation-chart", t("proposal.allocation_title"), t("proposal.allocation_label", { order: order.order_id, members: num(members.length) }), allocTable);
      const freeOf = (m) => Math.max(0, (m.free_minutes || 0) - (m.minutes || 0) - (m.other_minutes || 0));
      const capTable = table(
        [t("proposal.col_workshop"), t("proposal.cap_this"), t("proposal.cap_other"), t("proposal.cap_free")],
        members.map((m) => [m.workshop_id, num(m.minutes), num(m.other_minutes), num(freeOf(m))]),
        { numeric: [1, 2, 3] }
      );
      const cap = chartBox("capacity-chart", t("proposal.capacity_title"), t("proposal.capacity_label", { order: order.order_id }), capTable);
      app.append(el("div", { class: "chart-grid" }, alloc.figure, cap.figure));
      const used = processes.length ? processes : [...new Set(members.flatMap((m) => (m.allocations || []).map((a) => a.process)))];
      const allocTraces = used.map((process, k) => {
        const cells = members.map((m) => (m.allocations || []).find((a) => a.process === process));
        return {
          type: "bar",
          name: label("process", process),
          x: ids,
          y: cells.map((a) => (a ? a.minutes : 0)),
          customdata: cells.map((a) => (a ? num(a.units) : "0")),
          hovertemplate: "%{x}<br>" + label("process", process) + ": %{y:,.0f} " + t("unit.min") + " (%{customdata} " + t("unit.units") + ")<extra></extra>",
          marker: { color: PALETTE[k % PALETTE.length] },
        };
      });
      pending.push(
        plot(alloc.plotDiv, allocTraces, {
          barmode: "stack",
          showlegend: true,
          legend: topLegend(),
          margin: { l: 70, r: 20, t: 40, b: 50 },
          xaxis: axisTitle(t("proposal.axis_workshop")),
          yaxis: Object.assign(axisTitle(t("proposal.axis_minutes")), { tickformat: ",d" }),
          height: 360,
        })
      );
      const capTraces = [
        ["minutes", t("proposal.cap_this"), "#0072B2", (m) => m.minutes || 0],
        ["other", t("proposal.cap_other"), "#D55E00", (m) => m.other_minutes || 0],
        ["free", t("proposal.cap_free"), "#c4c9d0", freeOf],
      ].map(([, name, color, value]) => ({
        type: "bar",
        orientation: "h",
        name,
        y: ids,
        x: members.map(value),
        marker: { color },
        hovertemplate: "%{y}: %{x:,.0f} " + t("unit.min") + "<extra>" + name + "</extra>",
      }));
      pending.push(
        plot(cap.plotDiv, capTraces, {
          barmode: "stack",
          showlegend: true,
          legend: topLegend(),
          margin: { l: 70, r: 20, t: 40, b: 50 },
          xaxis: Object.assign(axisTitle(t("proposal.axis_minutes_due", { weeks: num(order.due_weeks, 1) })), { tickformat: ",d" }),
          yaxis: { automargin: true, autorange: "reversed" },
          height: Math.max(260, 110 + 36 * members.length),
        })
      );
      app.append(memberTable(members));
    }

    // No group, no cohesion to show: an unfilled order's page has no empty group box.
    if (members.length) app.append(cohesionSection(view.cohesion || {}, status, members.length));
    const reasons = explained(view.reasons, view.reason_messages);
    app.append(
      el(
        "section",
        { id: "reasons", class: "panel", "aria-labelledby": "reasons-title" },
        el("h2", { id: "reasons-title" }, t("proposal.reasons_title")),
        reasons.length ? el("ul", {}, reasons.map((r) => el("li", {}, r))) : el("p", { class: "muted" }, t("value.none"))
      )
    );

    let counts = [0, 0];
    if (network && members.length) {
      const P = prepare(network);
      const st = networkState(network);
      const group = members.map((m) => P.index.get(m.workshop_id)).filter((i) => i !== undefined);
      if (P.collapsible) group.forEach((i) => st.expanded.add(network.nodes.community[i]));
      const graph = el("div", {
        id: "network-graph",
        class: "chart network-chart",
        role: "img",
        "aria-label": t("proposal.network_label", { members: num(group.length) }),
      });
      app.append(
        el(
          "section",
          { class: "panel", "aria-labelledby": "proposal-network-title" },
          el("h2", { id: "proposal-network-title" }, t("proposal.network_title")),
          el("p", { class: "muted" }, t("proposal.network_help")),
          el("div", { class: "network-frame" }, graph),
          networkLegend(P, st)
        )
      );
      const layout = layoutNetwork(P, st);
      const traces = networkTraces(P, st, layout, [{ nodes: group, color: "#111111", name: t("legend.group"), dim: true }]);
      pending.push(plot(graph, traces, networkLayout(), { scrollZoom: true }));
      counts = [layout.nodes.length + layout.members.size, layout.edges];
    }
    await Promise.all(pending);
    if (current()) markReady(counts[0], counts[1]);
  }

  function statusBadge(status) {
    return el("span", { class: "badge status-" + String(status).replace(/ /g, "_") }, label("status", status));
  }

  function changeText(change) {
    const value = change.value;
    switch (change.kind) {
      case "due_weeks":
        return t("change.due_weeks", { value: num(value, 1) });
      case "max_group_size":
        return t("change.max_group_size", { value: num(value) });
      case "territory":
        return t("change.territory", { value });
      case "min_quality":
        return t("change.min_quality", { value: num(value) });
      case "require_formal":
        return t("change.require_formal");
      case "conflict":
        return t("change.conflict", { a: (value || [])[0], b: (value || [])[1] });
      case "min_lot":
        return value > 1 ? t("change.min_lot", { value: num(value) }) : t("change.no_min_lot");
      case "rule":
        return value === "min_group_size" ? t("change.no_min_group") : t("change.rule", { value: label("rule", value) });
      default:
        return change.text || String(value);
    }
  }

  function changesSection(view) {
    const changes = view.changes || [];
    const status = view.status || view.order.status;
    return el(
      "section",
      { id: "changes", class: "panel", "aria-labelledby": "changes-title" },
      el("h2", { id: "changes-title" }, t("proposal.changes_title")),
      el("p", {}, status === "partial" ? t("proposal.partial_text") : status === "filled" ? t("proposal.filled_text") : t("proposal.unfilled_text")),
      changes.length
        ? el("ul", {}, changes.map((c) => el("li", {}, changeText(c))))
        : el("p", { class: "muted" }, t("proposal.no_changes"))
    );
  }

  function memberTable(members) {
    const rows = members.map((m) =>
      el(
        "tr",
        { dataset: { id: m.workshop_id } },
        el("th", { scope: "row" }, m.workshop_id),
        el("td", {}, m.territory || ""),
        el("td", {}, m.leader ? t("proposal.role_leader") : m.backup ? t("proposal.role_backup") : t("proposal.role_member")),
        el("td", {}, (m.allocations || []).map((a) => label("process", a.process) + " " + num(a.units)).join(", ")),
        el("td", { class: "num" }, num(m.minutes)),
        el("td", { class: "num" }, num(m.other_minutes)),
        el("td", { class: "num" }, num(m.free_minutes)),
        el("td", {}, (m.why || []).length ? el("ul", { class: "plain" }, explained(m.why, m.why_messages).map((w) => el("li", {}, w))) : "")
      )
    );
    return el(
      "section",
      { class: "panel", "aria-labelledby": "members-title" },
      el("h2", { id: "members-title" }, t("proposal.members_title")),
      el(
        "div",
        { class: "table-scroll" },
        el(
          "table",
          { id: "member-table" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              [
                ["proposal.col_workshop", false],
                ["proposal.col_territory", false],
                ["proposal.col_role", false],
                ["proposal.col_units_by_process", false],
                ["proposal.cap_this", true],
                ["proposal.cap_other", true],
                ["proposal.col_free", true],
                ["proposal.col_why", false],
              ].map(([key, numeric]) => el("th", { scope: "col", class: numeric ? "num" : null }, t(key)))
            )
          ),
          el("tbody", {}, rows)
        )
      )
    );
  }

  /** What is known of a group linked by ties that could take the order instead (matcher.optimize.whatif). */
  function alternativeText(alternative) {
    if (alternative === null) return t("proposal.alternative_none");
    if (alternative === undefined) return t("proposal.alternative_unknown");
    const key = alternative.smallest ? "proposal.alternative_size" : "proposal.alternative_at_most";
    return fillMessage(key, { size: alternative.size }) || String(alternative.size);
  }

  function cohesionSection(cohesion, status, members) {
    // A filled group of two or more not linked by ties has connected_alternative (absent: not settled in time).
    const unlinked = status === "filled" && members > 1 && cohesion.connected === false;
    const entries = Object.entries(cohesion).filter(([key]) => key !== "connected_alternative");
    if (unlinked) entries.push(["connected_alternative", cohesion.connected_alternative]);
    const pairs = entries.map(([key, value]) => {
      let shown;
      if (key === "connected_alternative") shown = alternativeText(value);
      else if (typeof value === "boolean") shown = yesNo(value);
      else if (typeof value === "number") shown = num(value, Number.isInteger(value) ? 0 : 2);
      else if (value === null) shown = t("value.none");
      else shown = String(value);
      return [label("cohesion", key), shown];
    });
    return el(
      "section",
      { id: "cohesion", class: "panel", "aria-labelledby": "cohesion-title" },
      el("h2", { id: "cohesion-title" }, t("proposal.cohesion_title")),
      pairs.length ? dl(pairs) : el("p", { class: "muted" }, t("value.none"))
    );
  }

  // ------------------------------------------------------------------ dashboard page

  async function pageDashboard(current) {
    app.append(heading(t("page.dashboard")));
    const view = await need("dashboard");
    if (!current()) return;
    if (!view) {
      app.append(notice(t("error.no_view"), "info"));
      markReady(0, 0);
      return;
    }
    const util = view.utilisation || {};
    app.append(
      el(
        "section",
        { class: "panel", "aria-labelledby": "dash-facts-title" },
        el("h2", { id: "dash-facts-title", class: "visually-hidden" }, t("dash.facts")),
        dl([
          [t("dash.workshops"), num(view.workshops)],
          [t("dash.orders"), num((view.orders || []).length)],
          [t("dash.utilisation"), pct(util.overall, 1)],
        ]),
        el("p", { class: "muted" }, util.source === "match" ? t("dash.source_match") : t("dash.source_committed"))
      )
    );
    const capacity = view.capacity || {};
    // Plots are drawn once every box is in the grid: a plot sizes itself to its box when drawn.
    const pending = [];
    const grid = el("div", { class: "chart-grid" });
    app.append(grid);
    const groups = [
      ["by_product", "capacity-product-chart", "product"],
      ["by_process", "capacity-process-chart", "process"],
      ["by_territory", "capacity-territory-chart", null],
    ];
    for (const [key, id, group] of groups) {
      const rows = capacity[key] || [];
      const names = rows.map((r) => (group ? label(group, r.key) : r.key));
      const title = t("dash." + key);
      const box = chartBox(
        id,
        title,
        t("dash.capacity_label", { what: title }),
        table(
          [t("dash.col_" + (group || "territory")), t("dash.col_workshops"), t("dash.col_minutes")],
          rows.map((r, i) => [names[i], num(r.workshops), num(r.minutes)]),
          { numeric: [1, 2] }
        )
      );
      grid.append(box.figure);
      pending.push(() =>
        plot(
          box.plotDiv,
          [
            {
              type: "bar",
              orientation: "h",
              y: names,
              x: rows.map((r) => r.minutes),
              customdata: rows.map((r) => num(r.workshops)),
              marker: { color: "#0072B2" },
              hovertemplate: "%{y}: %{x:,.0f} " + t("unit.min_week") + "<br>%{customdata} " + t("unit.workshops") + "<extra></extra>",
            },
          ],
          {
            xaxis: Object.assign(axisTitle(t("dash.axis_minutes")), { tickformat: ",d" }),
            yaxis: { automargin: true, autorange: "reversed" },
            height: Math.max(220, 70 + 26 * rows.length),
          }
        )
      );
    }
    const byTerritory = util.by_territory || [];
    const utilBox = chartBox(
      "utilisation-chart",
      t("dash.utilisation_title"),
      t("dash.utilisation_label", { overall: pct(util.overall, 1) }),
      table(
        [t("dash.col_territory"), t("dash.col_available"), t("dash.col_used"), t("dash.col_share")],
        byTerritory.map((r) => [r.key, num(r.available), num(r.used), pct(r.share, 1)]),
        { numeric: [1, 2, 3] }
      )
    );
    grid.append(utilBox.figure);
    pending.push(() =>
      plot(
        utilBox.plotDiv,
        [
          {
            type: "bar",
            orientation: "h",
            y: byTerritory.map((r) => r.key),
            x: byTerritory.map((r) => r.share),
            marker: { color: "#009E73" },
            hovertemplate: "%{y}: %{x:.1%}<extra></extra>",
          },
        ],
        {
          xaxis: Object.assign(axisTitle(t("dash.axis_share")), { tickformat: ".0%", range: [0, Math.max(1, ...byTerritory.map((r) => r.share || 0))] }),
          yaxis: { automargin: true, autorange: "reversed" },
          height: Math.max(220, 70 + 26 * byTerritory.length),
        }
      )
    );
    const territories = view.territories || [];
    if (territories.length) {
      const mapBox = chartBox(
        "territory-map",
        t("dash.map_title"),
        t("dash.map_label", { count: num(territories.length) }),
        table(
          [t("dash.col_territory"), t("dash.col_workshops"), t("dash.col_lat"), t("dash.col_lon")],
          territories.map((r) => [r.territory, num(r.workshops), num(r.lat, 3), num(r.lon, 3)]),
          { numeric: [1, 2, 3] }
        )
      );
      grid.append(mapBox.figure);
      const most = Math.max(1, ...territories.map((r) => r.workshops));
      pending.push(() =>
        plot(
          mapBox.plotDiv,
          [
            {
              type: "scatter",
              mode: "markers+text",
              x: territories.map((r) => r.lon),
              y: territories.map((r) => r.lat),
              text: territories.map((r) => r.territory),
              textposition: "top center",
              customdata: territories.map((r) => num(r.workshops)),
              marker: { size: territories.map((r) => 10 + 30 * Math.sqrt(r.workshops / most)), color: "#CC79A7", line: { color: "#1f2328", width: 1 } },
              hovertemplate: "%{text}: %{customdata} " + t("unit.workshops") + "<extra></extra>",
            },
          ],
          {
            xaxis: Object.assign(axisTitle(t("dash.axis_lon")), { constrain: "domain" }),
            yaxis: Object.assign(axisTitle(t("dash.axis_lat")), { scaleanchor: "x", scaleratio: 1 }),
            height: 380,
          }
        )
      );
    }
    app.append(ordersSection(view.orders || []));
    await Promise.all(pending.map((draw) => draw()));
    if (current()) markReady(0, 0);
  }

  function ordersSection(orders) {
    const linksOf = (o) => {
      const links = [];
      const hasProposal = S.standalone ? Boolean(S.data.proposals[o.order_id]) : Boolean(S.links.proposal);
      if (hasProposal) links.push(el("a", { href: pageLink("proposal", o.order_id) }, t("dash.open_proposal")));
      if (!S.standalone && S.links.shortlist) {
        if (links.length) links.push(" · ");
        links.push(el("a", { href: pageLink("shortlist", o.order_id) }, t("dash.open_shortlist")));
      }
      return links;
    };
    const links = orders.map(linksOf);
    const withLinks = links.some((l) => l.length);
    const rows = orders.map((o, k) =>
      [
        o.order_id,
        o.firm_id || t("value.none"),
        label("product", o.product),
        num(o.quantity),
        num(o.due_weeks, 1),
        statusBadge(o.status),
        num(o.filled_units),
        num(o.group_size),
      ].concat(withLinks ? [el("span", {}, links[k])] : [])
    );
    const headers = [
      t("dash.col_order"),
      t("dash.col_firm"),
      t("dash.col_product"),
      t("dash.col_quantity"),
      t("dash.col_due"),
      t("dash.col_status"),
      t("dash.col_filled"),
      t("dash.col_group"),
    ].concat(withLinks ? [t("dash.col_links")] : []);
    return el(
      "section",
      { class: "panel", "aria-labelledby": "orders-title" },
      el("h2", { id: "orders-title" }, t("dash.orders_title")),
      orders.length
        ? el("div", { class: "table-scroll" }, table(headers, rows, { id: "orders-table", numeric: [3, 4, 6, 7] }))
        : el("p", { class: "muted" }, t("dash.no_orders"))
    );
  }

  // ------------------------------------------------------------------ shortlist page

  const SCORE_PARTS = ["capability", "capacity", "quality_margin", "reliability", "cohesion"];

  // A lead firm's profiles fit at least k workshops of the cluster (matcher.privacy): a field that
  // would single a workshop out comes as a band (quality) or withheld (null, named in "withheld").

  /** A field withheld from a profile: a dash whose title says why. */
  function withheld(k) {
    return el("abbr", { class: "withheld", title: t("shortlist.withheld", { k: num(k) }) }, t("value.none"));
  }

  /** A profile's quality: one level, a band ("3–4") or withheld. */
  function shownQuality(quality, k) {
    if (!quality) return withheld(k);
    return quality.low === quality.high ? num(quality.low) : num(quality.low) + "–" + num(quality.high);
  }

  /** A profile's field through ``show``, or the withheld mark. */
  function shown(value, k, show) {
    return value === null || value === undefined ? withheld(k) : show(value);
  }

  async function pageShortlist(current) {
    app.append(heading(t("page.shortlist")));
    let answer = S.data.shortlist;
    if (!answer && !S.standalone && S.urls.shortlists) {
      const list = await api(S.urls.shortlists);
      const newest = list && list.items && list.items[0];
      if (newest) answer = await api((S.urls.shortlist || "/shortlists").replace(/\/$/, "") + "/" + encodeURIComponent(newest.shortlist_id));
      S.data.shortlist = answer;
    }
    if (!answer && !S.standalone && S.urls.shortlist && !S.urls.shortlists) {
      answer = await need("shortlist");
    }
    if (!current()) return;
    if (!answer) {
      if (!S.standalone && S.urls.order) {
        // The order itself, so that the firm sees what it is about to shortlist.
        let order = null;
        try {
          order = await api(S.urls.order);
        } catch (err) {
          if (err.status === 401) throw err;
        }
        if (!current()) return;
        if (order) {
          app.append(
            el(
              "section",
              { class: "panel", "aria-labelledby": "sl-order-title" },
              el("h2", { id: "sl-order-title" }, t("shortlist.order_title", { order: order.order_id })),
              orderFacts(order)
            )
          );
        }
      }
      app.append(notice(t("shortlist.none"), "info"));
      if (!S.standalone && S.urls.shortlists) {
        const button = el("button", { type: "button", id: "make-shortlist", class: "primary" }, t("shortlist.make"));
        const status = el("p", { role: "status", "aria-live": "polite" });
        button.addEventListener("click", async () => {
          button.disabled = true;
          status.textContent = t("shortlist.making");
          try {
            S.data.shortlist = await api(S.urls.shortlists, { method: "POST" });
            render();
          } catch (err) {
            button.disabled = false;
            status.replaceChildren(errorNotice(err));
          }
        });
        app.append(el("div", { class: "button-row" }, button), status);
      }
      markReady(0, 0);
      return;
    }
    await drawShortlist(answer, current);
  }

  /** The warning of a shortlist made on older data, with the button that makes it again on the current data. */
  function outdatedNotice(answer) {
    const box = el("div", { class: "notice notice-warning", id: "shortlist-outdated" }, el("p", {}, t("shortlist.outdated")));
    if (S.standalone || !S.urls.shortlists) return box; // a file has no service to ask
    const status = el("p", { id: "refresh-status", role: "status", "aria-live": "polite" });
    const button = el("button", { type: "button", id: "refresh-shortlist", class: "primary" }, t("shortlist.refresh"));
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.textContent = t("shortlist.making");
      try {
        // The same length of list as before; the service answers the shortlist of the current data.
        S.data.shortlist = await api(S.urls.shortlists + "?top=" + encodeURIComponent(answer.top || 5), { method: "POST" });
        S.refreshed = true;
        render();
      } catch (err) {
        button.disabled = false;
        status.replaceChildren(errorNotice(err));
      }
    });
    box.append(el("div", { class: "button-row" }, button), status);
    return box;
  }

  async function drawShortlist(answer, current) {
    const order = answer.order || {};
    const weights = answer.score_weights || {};
    const entries = (answer.singles || []).concat(answer.groups || []);
    const k = (answer.anonymity || {}).k;
    app.append(
      el(
        "section",
        { class: "panel", "aria-labelledby": "sl-order-title" },
        el("h2", { id: "sl-order-title" }, t("shortlist.order_title", { order: order.order_id || "" })),
        dl([
          [t("order.product"), label("product", order.product)],
          [t("order.quantity"), num(order.quantity)],
          [t("order.due"), t("order.due_weeks", { weeks: num(order.due_weeks, 1) })],
          [t("order.min_quality"), num(order.min_quality)],
          [t("order.territories"), (order.territories || []).join(", ") || t("shortlist.any_territory")],
          [t("order.formal"), yesNo(order.require_formal)],
        ]),
        answer.current === false ? outdatedNotice(answer) : null,
        S.refreshed && answer.current !== false ? notice(t("shortlist.refreshed"), "info") : null,
        (answer.notes || []).length
          ? el("ul", { class: "plain muted", id: "shortlist-notes" }, explained(answer.notes, answer.note_messages).map((n) => el("li", {}, n)))
          : null
      )
    );
    if (!entries.length) {
      app.append(notice(t("shortlist.empty"), "info"));
      markReady(0, 0);
      return;
    }
    // Each part's share of the total: the total is the weighted mean of the parts known.
    const contributions = entries.map((entry) => {
      const score = entry.score || {};
      const known = SCORE_PARTS.filter((p) => score[p] !== null && score[p] !== undefined);
      const weightSum = known.reduce((s, p) => s + (weights[p] === undefined ? 1 : weights[p]), 0) || 1;
      const out = {};
      for (const p of known) out[p] = ((weights[p] === undefined ? 1 : weights[p]) * score[p]) / weightSum;
      return out;
    });
    const refs = entries.map((e) => e.ref);
    const scoreTable = table(
      [t("shortlist.col_ref")].concat(SCORE_PARTS.map((p) => t("score." + p)), [t("score.total")]),
      entries.map((e) => [e.ref].concat(SCORE_PARTS.map((p) => num((e.score || {})[p], 2)), [num((e.score || {}).total, 3)])),
      { numeric: [1, 2, 3, 4, 5, 6] }
    );
    const box = chartBox("score-chart", t("shortlist.chart_title"), t("shortlist.chart_label", { count: num(entries.length) }), scoreTable);
    app.append(box.figure, el("p", { class: "muted", id: "score-help" }, t("shortlist.score_help")));
    const traces = SCORE_PARTS.filter((p) => contributions.some((c) => c[p] !== undefined)).map((p, k) => ({
      type: "bar",
      name: t("score." + p),
      x: refs,
      y: contributions.map((c) => c[p] || 0),
      customdata: entries.map((e) => num((e.score || {})[p], 2)),
      hovertemplate: "%{x} · " + t("score." + p) + ": %{customdata} → %{y:.3f}<extra></extra>",
      marker: { color: PALETTE[k % PALETTE.length] },
    }));
    const pending = plot(box.plotDiv, traces, {
      barmode: "stack",
      showlegend: true,
      legend: topLegend(),
      margin: { l: 70, r: 20, t: 40, b: 50 },
      xaxis: axisTitle(t("shortlist.axis_entry")),
      yaxis: Object.assign(axisTitle(t("shortlist.axis_score")), { range: [0, 1] }),
      height: 360,
    });

    const detail = el("section", { id: "entry-detail", class: "panel", "aria-live": "polite" });
    let rows = [];
    const show = (index) => {
      const entry = entries[index];
      for (const row of rows) row.setAttribute("aria-selected", String(Number(row.dataset.index) === index));
      const owners = (answer.refs || {})[entry.ref];
      const parts = [
        el("h2", {}, t("shortlist.detail_title", { ref: entry.ref })),
        owners ? el("p", {}, t("shortlist.refs", { ids: owners.join(", ") })) : null,
        (entry.why || []).length ? el("ul", {}, explained(entry.why, entry.why_messages).map((w) => el("li", {}, w))) : null,
        el(
          "div",
          { class: "table-scroll" },
          table(
            [t("shortlist.col_member"), t("net.col_territory"), t("shortlist.col_size"), t("shortlist.col_quality"), t("shortlist.col_formal"), t("shortlist.col_main_product"), t("shortlist.col_processes"), t("shortlist.col_allocations")],
            (entry.members || []).map((m) => [
              m.ref + (m.leader ? " · " + t("proposal.role_leader") : ""),
              shown(m.territory, k, (v) => v),
              shown(m.size_band, k, (v) => label("size_band", v)),
              shownQuality(m.quality, k),
              shown(m.formal, k, yesNo),
              shown(m.main_product, k, (v) => (v ? label("product", order.product) : t("shortlist.main_other"))),
              shown(m.processes, k, (v) => v.map((p) => label("process", p)).join(", ") || t("value.none")),
              (m.allocations || []).map((a) => label("process", a.process) + " " + num(a.units)).join(", ") || t("value.none"),
            ]),
            { numeric: [3], id: "members-table" }
          )
        ),
        (entry.members || []).some((m) => (m.withheld || []).length)
          ? el("p", { class: "muted", id: "withheld-help" }, t("shortlist.withheld_help", { k: num(k) }))
          : null,
      ];
      detail.replaceChildren(...parts.filter(Boolean));
    };
    rows = entries.map((e, index) =>
      el(
        "tr",
        { tabindex: index === 0 ? "0" : "-1", "aria-selected": "false", dataset: { index: String(index), ref: e.ref } },
        el("td", { class: "num" }, num(index + 1)),
        el("th", { scope: "row" }, e.ref),
        el("td", {}, label("entry", e.kind)),
        el("td", { class: "num" }, num(e.size)),
        el("td", { class: "num" }, num((e.score || {}).total, 3)),
        SCORE_PARTS.map((p) => el("td", { class: "num" }, num((e.score || {})[p], 2))),
        el("td", { class: "num" }, num(e.free_minutes)),
        el("td", { class: "num" }, num(e.needed_minutes)),
        el("td", {}, [...new Set((e.members || []).map((m) => m.territory || t("value.none")))].join(", "))
      )
    );
    const body = el("tbody", {}, rows);
    body.addEventListener("click", (event) => {
      const row = event.target.closest("tr");
      if (row) {
        rows.forEach((r) => (r.tabIndex = -1));
        row.tabIndex = 0;
        show(Number(row.dataset.index));
      }
    });
    body.addEventListener("keydown", (event) => {
      const row = event.target.closest("tr");
      if (!row) return;
      const at = rows.indexOf(row);
      const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        const next = rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))];
        rows.forEach((r) => (r.tabIndex = -1));
        next.tabIndex = 0;
        next.focus();
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        show(at);
      }
    });
    app.append(
      el(
        "section",
        { class: "panel", "aria-labelledby": "sl-table-title" },
        el("h2", { id: "sl-table-title" }, t("shortlist.table_title")),
        el("p", { class: "muted" }, t("shortlist.table_help")),
        el(
          "div",
          { class: "table-scroll" },
          el(
            "table",
            { id: "shortlist-table", class: "selectable" },
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                el("th", { scope: "col", class: "num" }, t("shortlist.col_rank")),
                el("th", { scope: "col" }, t("shortlist.col_ref")),
                el("th", { scope: "col" }, t("shortlist.col_kind")),
                el("th", { scope: "col", class: "num" }, t("shortlist.col_workshops")),
                el("th", { scope: "col", class: "num" }, t("score.total")),
                SCORE_PARTS.map((p) => el("th", { scope: "col", class: "num" }, t("score." + p))),
                el("th", { scope: "col", class: "num" }, t("shortlist.col_free")),
                el("th", { scope: "col", class: "num" }, t("shortlist.col_needed")),
                el("th", { scope: "col" }, t("shortlist.col_territory"))
              )
            ),
            body
          )
        )
      ),
      detail
    );
    show(0);
    await pending;
    if (current()) markReady(0, 0);
  }

  // ------------------------------------------------------------------ forms
  // A field says what it wants in a hint, shows what it read (a number as the page writes it)
  // and keeps a place for its error, all named by aria-describedby; what the service objects
  // to lands next to the field it names.

  // Whole numbers as people type them: 2000, 2.000, 2,000 or 2 000 (one kind of separator between
  // groups of three digits, spreadsheets' no-break spaces too), as the dataset reader reads
  // whole-number cells (matcher/io/_numbers.py).
  const GROUPED_WHOLE = /^[1-9]\d{0,2}([.,\u00a0\u202f\u2009\u2007 ])\d{3}(?:\1\d{3})*$/;

  /** A typed whole number: {value}, {empty: true} when nothing was typed, or {error: true}. */
  function readWhole(text) {
    const raw = String(text === null || text === undefined ? "" : text).trim();
    if (!raw) return { empty: true };
    if (!/^\d+$/.test(raw) && !GROUPED_WHOLE.test(raw)) return { error: true };
    const value = Number(raw.replace(/\D/g, ""));
    return Number.isSafeInteger(value) ? { value } : { error: true };
  }

  /** A calendar day as ISO text (yyyy-mm-dd), in the reader's own time zone. */
  function isoDay(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /** Days since 1970-01-01 of an ISO day; NaN when it is not one. */
  function dayNumber(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) / 86400000 : NaN;
  }

  /** An ISO day in words of the page's language ("30 de septiembre de 2025"). */
  function longDate(iso) {
    return new Intl.DateTimeFormat(S.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(dayNumber(iso) * 86400000));
  }

  /** A labelled field: its control, a hint, what it read (an <output>) and a place for its error. */
  function formField(name, text, control, options) {
    const opts = options || {};
    const id = control.id;
    const hint = opts.hint ? el("p", { class: "hint", id: id + "-hint" }, opts.hint) : null;
    const read = opts.readBack ? el("output", { class: "read-back", id: id + "-read", for: id, "aria-live": "polite" }) : null;
    const error = el("p", { class: "field-error", id: id + "-error" });
    control.setAttribute("aria-describedby", [hint, read, error].filter(Boolean).map((node) => node.id).join(" "));
    return el("div", { class: "field", dataset: { field: name } }, el("label", { for: id }, text), control, hint, read, error);
  }

  /** Shows (or clears, with "") the error of a form's field; false when the form has no such field. */
  function fieldError(form, name, message) {
    const box = form.querySelector('[data-field="' + name + '"]');
    if (!box) return false;
    box.querySelector(".field-error").textContent = message;
    for (const control of box.querySelectorAll("input, select")) {
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
    return true;
  }

  /** Shows each problem next to its field (several on one field joined); gives back those of no field. */
  function showErrors(form, problems) {
    for (const box of form.querySelectorAll("[data-field]")) fieldError(form, box.dataset.field, "");
    const byField = new Map();
    const left = [];
    for (const [name, message] of problems) {
      if (name && form.querySelector('[data-field="' + name + '"]')) byField.set(name, (byField.has(name) ? byField.get(name) + " " : "") + message);
      else left.push(message);
    }
    for (const [name, message] of byField) fieldError(form, name, message);
    const first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
    return left;
  }

  /** A field's error goes away as soon as the reader changes the field. */
  function clearOnEdit(form) {
    const clear = (event) => {
      const box = event.target.closest("[data-field]");
      if (box) fieldError(form, box.dataset.field, "");
    };
    form.addEventListener("input", clear);
    form.addEventListener("change", clear);
  }

  /** The service's 422 problems as [form field, message] pairs; `fieldOf` maps a body field to a form field. */
  function serviceProblems(err, fieldOf) {
    const details = err.details && err.details.length ? err.details : [{ field: "", message: err.detail }];
    return details.map((d) => [fieldOf(String(d.field || "").split(".")[0]) || null, d.message || err.detail]);
  }

  /** A whole-number field's text under it: the number read, in the page's way of writing numbers. */
  function readBackWhole(input, output, say) {
    const update = () => {
      const read = readWhole(input.value);
      output.textContent = read.value === undefined ? "" : say(read.value) || "";
    };
    input.addEventListener("input", update);
    update();
  }

  // ------------------------------------------------------------------ new order (lead firms)

  /** Where the service's objections to an order's body fields are shown in the form. */
  const ORDER_FIELDS = {
    order_id: "order_id",
    product: "product",
    quantity: "quantity",
    due_weeks: "due",
    due_date: "due",
    as_of: "due",
    min_quality: "min_quality",
    territories: "territories",
    require_formal: "require_formal",
    max_group_size: "max_group_size",
  };

  /** The firm's next free order reference: F1-01, F1-02, ... (the firm may type its own). */
  function suggestOrderId(firmId, orders) {
    const taken = new Set(orders.map((o) => o.order_id));
    for (let n = 1; ; n++) {
      const id = (firmId || "P") + "-" + String(n).padStart(2, "0");
      if (!taken.has(id)) return id;
    }
  }

  /** An order as the firm placed it (and, when known, the day it is due). */
  function orderFacts(order, dueDate) {
    const week = t("order.due_weeks", { weeks: num(order.due_weeks, 1) });
    const within = fillMessage("order_form.in_weeks", { weeks: num(order.due_weeks, 1), n: order.due_weeks });
    return dl(
      [
        [t("order.product"), label("product", order.product)],
        [t("order.quantity"), num(order.quantity)],
        [t("order.due"), dueDate && within ? longDate(dueDate) + " (" + within + ")" : week],
        [t("order.min_quality"), num(order.min_quality)],
        [t("order.territories"), (order.territories || []).join(", ") || t("shortlist.any_territory")],
        [t("order.formal"), yesNo(order.require_formal)],
        [t("order.max_group_size"), order.max_group_size ? num(order.max_group_size) : t("order.no_limit")],
      ],
      { id: "order-facts" }
    );
  }

  /** The lead firm's form for a new order; calls created(order, dueDate) once the service has it. */
  function orderForm(me, orders, choices, created) {
    const today = isoDay(new Date());
    const next = new Date();
    next.setDate(next.getDate() + 1);
    // Offered: the products the cluster makes, and those it is not told whether it makes (null: too few
    // workshops to say), marked as such; none known to be made, every product.
    const made = choices.products.filter((p) => p.made_in_cluster !== false);
    const withheld = made.some((p) => p.made_in_cluster === null);
    const offered = (made.length ? made : choices.products)
      .map((p) => {
        const name = label("product", p.product);
        return [p.product, name, p.made_in_cluster === null ? t("order_form.product_withheld", { product: name }) : name];
      })
      .sort((a, b) => a[1].localeCompare(b[1], S.lang));
    const idInput = el("input", { type: "text", id: "new-order-id", value: suggestOrderId(me.firm_id, orders), maxlength: "128", autocomplete: "off", required: true });
    const product = el(
      "select",
      { id: "new-order-product", required: true },
      el("option", { value: "" }, t("order_form.choose_product")),
      offered.map(([code, , text]) => el("option", { value: code }, text))
    );
    const quantity = el("input", { type: "text", id: "new-order-quantity", inputmode: "numeric", autocomplete: "off", required: true });
    const due = el("input", { type: "date", id: "new-order-due", min: isoDay(next), required: true });
    const quality = el(
      "select",
      { id: "new-order-quality" },
      [1, 2, 3, 4, 5].map((q) => el("option", { value: String(q) }, q === 1 ? t("order_form.quality_any") : num(q)))
    );
    const formal = el("input", { type: "checkbox", id: "new-order-formal" });
    const maxGroup = el("input", { type: "text", id: "new-order-max-group", inputmode: "numeric", autocomplete: "off" });
    const territoryError = el("p", { class: "field-error", id: "new-order-territories-error" });
    const territories = choices.territories.length
      ? el(
          "fieldset",
          {
            id: "new-order-territories",
            class: "field",
            dataset: { field: "territories" },
            "aria-describedby": "new-order-territories-hint new-order-territories-error",
          },
          el("legend", {}, t("order_form.territories")),
          el("p", { class: "hint", id: "new-order-territories-hint" }, t("order_form.territories_hint")),
          choices.territories.map((name, k) =>
            el(
              "div",
              { class: "check" },
              el("input", { type: "checkbox", id: "new-order-territory-" + k, name: "territories", value: name }),
              el("label", { for: "new-order-territory-" + k }, name)
            )
          ),
          territoryError
        )
      : null;
    const quantityField = formField("quantity", t("order.quantity"), quantity, { hint: t("order_form.quantity_hint", { example: num(2000) }), readBack: true });
    const dueField = formField("due", t("order_form.due"), due, { hint: t("order_form.due_hint"), readBack: true });
    const groupField = formField("max_group_size", t("order.max_group_size"), maxGroup, { hint: t("order_form.max_group_hint"), readBack: true });
    readBackWhole(quantity, quantityField.querySelector("output"), (n) => fillMessage("order_form.read_units", { units: n }));
    readBackWhole(maxGroup, groupField.querySelector("output"), (n) => fillMessage("order_form.read_workshops", { workshops: n }));
    const dueRead = dueField.querySelector("output");
    const showDue = () => {
      const days = dayNumber(due.value) - dayNumber(today);
      dueRead.textContent = days > 0 ? fillMessage("order_form.due_read", { date: longDate(due.value), weeks: num(days / 7, 1), n: days / 7 }) || "" : "";
    };
    due.addEventListener("input", showDue);
    due.addEventListener("change", showDue);
    const formalField = el(
      "div",
      { class: "field check", dataset: { field: "require_formal" } },
      formal,
      el("label", { for: "new-order-formal" }, t("order.formal")),
      el("p", { class: "field-error", id: "new-order-formal-error" })
    );
    const status = el("div", { id: "new-order-status", role: "status", "aria-live": "polite" });
    const submit = el("button", { type: "submit", class: "primary", id: "create-order" }, t("order_form.submit"));
    const form = el(
      "form",
      { id: "new-order-form", novalidate: true, "aria-labelledby": "new-order-title" },
      el(
        "div",
        { class: "form-grid" },
        formField("order_id", t("order_form.order_id"), idInput, { hint: t("order_form.order_id_hint") }),
        formField("product", t("order.product"), product, {
          hint: t("order_form.product_hint") + (withheld ? " " + t("order_form.product_withheld_hint") : ""),
        }),
        quantityField,
        dueField,
        formField("min_quality", t("order.min_quality"), quality, { hint: t("order_form.quality_hint") }),
        groupField
      ),
      territories,
      formalField,
      el("div", { class: "button-row" }, submit),
      status
    );
    clearOnEdit(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.replaceChildren();
      const problems = [];
      const orderId = idInput.value.trim();
      if (!orderId) problems.push(["order_id", t("form.required")]);
      if (!product.value) problems.push(["product", t("order_form.choose_product_error")]);
      const units = readWhole(quantity.value);
      if (units.empty) problems.push(["quantity", t("form.required")]);
      else if (units.error) problems.push(["quantity", t("form.whole", { example: num(2000) })]);
      else if (units.value < 1) problems.push(["quantity", t("form.at_least", { min: num(1) })]);
      if (!due.value) problems.push(["due", t("order_form.due_missing")]);
      else if (!(dayNumber(due.value) > dayNumber(today))) problems.push(["due", t("order_form.due_future")]);
      const cap = readWhole(maxGroup.value);
      if (cap.error) problems.push(["max_group_size", t("form.whole", { example: num(3) })]);
      else if (!cap.empty && cap.value < 1) problems.push(["max_group_size", t("form.at_least", { min: num(1) })]);
      if (problems.length) {
        showErrors(form, problems);
        status.replaceChildren(notice(t("form.check"), "error"));
        return;
      }
      showErrors(form, []);
      const body = {
        order_id: orderId,
        product: product.value,
        quantity: units.value,
        due_date: due.value,
        as_of: today, // the reader's today: the weeks the page showed are the weeks stored
        min_quality: Number(quality.value),
        territories: [...form.querySelectorAll("input[name=territories]:checked")].map((box) => box.value),
        require_formal: formal.checked,
      };
      if (!cap.empty) body.max_group_size = cap.value;
      submit.disabled = true;
      status.textContent = t("order_form.saving");
      try {
        const order = await api(S.urls.orders || "/orders", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        created(order, due.value);
      } catch (err) {
        submit.disabled = false;
        status.replaceChildren();
        if (err.status === 401) return;
        if (err.status === 409 || err.status === 422) {
          const said = err.status === 409 ? [["order_id", t("order_form.id_taken", { order: orderId })]] : serviceProblems(err, (f) => ORDER_FIELDS[f]);
          const left = showErrors(form, said);
          status.replaceChildren(notice(t("form.check"), "error"), left.length ? el("ul", { class: "field-error" }, left.map((m) => el("li", {}, m))) : null);
          return;
        }
        status.replaceChildren(errorNotice(err));
      }
    });
    return form;
  }

  /** The order just placed, read back, and the way to its shortlist. */
  function createdOrder(order, dueDate) {
    const shortlistPage = pageLink("shortlist", order.order_id);
    const status = el("p", { id: "compute-status", role: "status", "aria-live": "polite" });
    const compute = el("button", { type: "button", id: "compute-shortlist", class: "primary" }, t("order_form.compute"));
    compute.addEventListener("click", async () => {
      compute.disabled = true;
      status.textContent = t("shortlist.making");
      try {
        await api((S.urls.orders || "/orders") + "/" + encodeURIComponent(order.order_id) + "/shortlists", { method: "POST" });
        location.assign(shortlistPage);
      } catch (err) {
        compute.disabled = false;
        status.replaceChildren(errorNotice(err));
      }
    });
    const another = el("button", { type: "button", id: "another-order" }, t("order_form.another"));
    another.addEventListener("click", () => {
      S.created = null;
      render();
    });
    return [
      el("h2", { id: "new-order-title", tabindex: "-1" }, t("order_form.created_title", { order: order.order_id })),
      notice(t("order_form.created"), "info"),
      orderFacts(order, dueDate),
      el("div", { class: "button-row" }, compute, shortlistPage ? el("a", { href: shortlistPage, class: "button" }, t("order_form.open")) : null, another),
      status,
    ];
  }

  /** The lead firm's "new order" panel: the form, or the order just created. */
  async function newOrderSection(current, me, orders) {
    const section = el("section", { class: "panel", id: "new-order", "aria-labelledby": "new-order-title" });
    let products;
    let summary = null;
    try {
      [products, summary] = await Promise.all([
        api(S.urls.products || "/products"),
        S.urls.summary ? api(S.urls.summary).catch(() => null) : null, // territories; without them, any territory
      ]);
    } catch (err) {
      if (err.status === 401 || !current()) return;
      section.append(el("h2", { id: "new-order-title" }, t("order_form.title")), errorNotice(err));
      app.append(section);
      return;
    }
    if (!current()) return;
    if (S.created) {
      section.id = "order-created";
      section.append(...createdOrder(S.created.order, S.created.dueDate));
      app.append(section);
      if (S.created.focus) {
        S.created.focus = false;
        section.querySelector("h2").focus();
      }
      return;
    }
    const territories = ((summary && summary.by_territory) || []).map((cell) => cell.key).sort((a, b) => a.localeCompare(b, S.lang));
    section.append(
      el("h2", { id: "new-order-title" }, t("order_form.title")),
      el("p", { class: "muted" }, t("order_form.intro")),
      orderForm(me, orders, { products: products || [], territories }, (order, dueDate) => {
        S.created = { order, dueDate, focus: true };
        render();
      })
    );
    app.append(section);
  }

  // ------------------------------------------------------------------ home and sign-in

  async function pageHome(current) {
    app.append(heading(t("home.title")));
    if (S.standalone) {
      const items = ["network", "dashboard", "proposal", "shortlist"]
        .filter(available)
        .map((page) => el("li", {}, el("a", { href: pageLink(page) }, t("nav." + page)), " — ", t("home.about_" + page)));
      app.append(el("p", {}, t("home.standalone_intro")), items.length ? el("ul", { id: "home-links" }, items) : notice(t("home.empty"), "info"));
      markReady(0, 0);
      return;
    }
    if (!token()) {
      app.append(el("p", {}, t("home.signed_out")), el("p", {}, el("a", { href: S.links.login || "login", class: "button primary" }, t("nav.sign_in"))));
      markReady(0, 0);
      return;
    }
    let me;
    try {
      me = await api(S.urls.me || "/me", { noRedirect: true });
    } catch (err) {
      if (err.status === 401) {
        try {
          sessionStorage.removeItem(TOKEN_KEY);
        } catch (ignored) {
          /* nothing kept */
        }
        if (!current()) return;
        renderNav();
        app.append(notice(t("home.expired"), "info"), el("p", {}, el("a", { href: S.links.login || "login", class: "button primary" }, t("nav.sign_in"))));
        markReady(0, 0);
        return;
      }
      throw err;
    }
    if (!current()) return;
    app.append(el("p", { id: "whoami" }, t("home.signed_in", { user: me.username, role: label("role", me.role) })));
    const pages = (ROLE_PAGES[me.role] || []).filter((p) => S.links[p]);
    const items = pages.map((page) => el("li", {}, el("a", { href: pageLink(page) }, t("nav." + page)), " — ", t("home.about_" + page)));
    if (items.length) app.append(el("ul", { id: "home-links" }, items));
    const orderPages = (ORDER_PAGES[me.role] || []).filter((p) => S.links[p]);
    let placed = [];
    if (orderPages.length) {
      try {
        const page = await api(S.urls.orders || "/orders");
        if (!current()) return;
        const orders = (page && page.items) || [];
        placed = orders;
        app.append(
          el(
            "section",
            { class: "panel", "aria-labelledby": "home-orders-title" },
            el("h2", { id: "home-orders-title" }, t("home.orders_title")),
            orders.length
              ? el(
                  "ul",
                  { id: "home-orders" },
                  orders.map((o) =>
                    el(
                      "li",
                      {},
                      o.order_id + " · " + label("product", o.product) + " · " + num(o.quantity) + " " + t("unit.units") + " — ",
                      orderPages.map((p, k) => [k ? " · " : "", el("a", { href: pageLink(p, o.order_id) }, t("nav." + p))])
                    )
                  )
                )
              : el("p", { class: "muted" }, t("dash.no_orders"))
          )
        );
      } catch (err) {
        if (err.status !== 403) app.append(errorNotice(err));
      }
    }
    if (me.role === "lead_firm" && S.urls.products) {
      await newOrderSection(current, me, placed);
      if (!current()) return;
    }
    if (!items.length && !orderPages.length) app.append(notice(t("home.no_pages"), "info"));
    if (current()) markReady(0, 0);
  }

  function pageLogin() {
    const errorBox = el("div", { id: "login-error", role: "alert" });
    const form = el(
      "form",
      { id: "login-form", class: "panel narrow", method: "post", novalidate: true },
      el("div", { class: "field" }, el("label", { for: "username" }, t("login.username")), el("input", { id: "username", name: "username", type: "text", autocomplete: "username", required: true })),
      el("div", { class: "field" }, el("label", { for: "password" }, t("login.password")), el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true })),
      errorBox,
      el("button", { type: "submit", class: "primary" }, t("login.submit"))
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const username = form.elements.username.value.trim();
      const password = form.elements.password.value;
      if (!username || !password) {
        errorBox.replaceChildren(notice(t("login.missing"), "error"));
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      errorBox.replaceChildren();
      try {
        const response = await fetch(S.urls.token || "/auth/token", {
          method: "POST",
          headers: { Accept: "application/json", "Accept-Language": S.lang },
          body: new URLSearchParams({ grant_type: "password", username, password }),
        });
        if (!response.ok) {
          const key = response.status === 401 ? "login.wrong" : response.status === 429 ? "login.throttled" : "login.failed";
          errorBox.replaceChildren(notice(t(key, { status: response.status }), "error"));
          return;
        }
        const body = await response.json();
        sessionStorage.setItem(TOKEN_KEY, body.access_token);
        const next = safeNext(new URLSearchParams(location.search).get("next"));
        location.assign(next || S.links.home || "/");
      } catch (err) {
        errorBox.replaceChildren(notice(t("error.offline"), "error"));
      } finally {
        button.disabled = false;
      }
    });
    app.append(heading(t("login.title")));
    if (S.standalone) app.append(notice(t("login.standalone"), "info"));
    app.append(form);
    markReady(0, 0);
  }

  // ------------------------------------------------------------------ start

  function start() {
    S.lang = chooseLang();
    registerPlotlyLocale();
    for (const button of document.querySelectorAll("#lang-switch button[data-lang]")) {
      button.addEventListener("click", () => switchLang(button.dataset.lang));
    }
    const skip = document.querySelector(".skip-link");
    if (skip) {
      // Focus the content without touching the address: in a standalone file the hash names the page.
      skip.addEventListener("click", (event) => {
        event.preventDefault();
        app.focus();
      });
    }
    if (S.standalone) {
      window.addEventListener("hashchange", () => {
        if (routeFromHash() !== S.page || S.page === "proposal") render();
      });
    }
    render();
  }

  start();
})();
