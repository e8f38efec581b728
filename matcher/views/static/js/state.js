// @ts-check
/* The page's shared state: the <main id="app"> element, what it shows and has read, and the hook
 * that draws it again (set by the router, so that a page can redraw without importing the router). */

import { locale } from "./i18n.js";

/**
 * @typedef {object} PageData
 * @property {import("./network.js").NetworkView | null} network
 * @property {Record<string, any>} proposals
 * @property {any} dashboard
 * @property {any} shortlist
 * @property {any} [mentoring]
 * @property {any} [plan]
 * @property {string | null} order_id
 */

/**
 * @typedef {object} PageState
 * @property {boolean} standalone
 * @property {string} basePage
 * @property {string} page
 * @property {Record<string, string>} urls
 * @property {Record<string, string>} links
 * @property {string} extraTitle
 * @property {PageData} data
 * @property {string | null} order
 * @property {import("./network.js").NetworkState | null} net
 * @property {import("./network.js").Prepared | null} prep
 * @property {any} me
 * @property {{order: any, dueDate: string, focus: boolean} | null} created
 * @property {boolean} refreshed
 */

/** The page's <main id="app">; a detached one where the page has none (nothing is drawn then). */
export const app = document.getElementById("app") || document.createElement("main");

/**
 * The JSON inside an element (a <script type="application/json">); null when absent or not JSON.
 * @param {string} id
 * @returns {any}
 */
export function readJSON(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent || "");
  } catch (err) {
    return null;
  }
}

/**
 * An attribute of the page's <main> read as JSON (an object; {} when absent or broken).
 * @param {string} name
 * @returns {Record<string, string>}
 */
function readAttrJSON(name) {
  try {
    return JSON.parse(app.getAttribute(name) || "{}") || {};
  } catch (err) {
    return {};
  }
}

if (window.MATCHER_DATA === undefined) window.MATCHER_DATA = readJSON("matcher-data");

/**
 * What the page is showing and what it has read, shared by the pages.
 * @type {PageState}
 */
export const S = {
  standalone: app.dataset.mode !== "service",
  basePage: app.dataset.page || "home",
  page: app.dataset.page || "home",
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

/**
 * The data inlined in a standalone file (or none) as {network, proposals, dashboard, shortlist}.
 * @param {any} raw
 * @returns {PageData}
 */
function normalise(raw) {
  /** @type {PageData} */
  const data = { network: null, proposals: {}, dashboard: null, shortlist: null, order_id: null };
  if (!raw || typeof raw !== "object") return data;
  if (raw.view === "network") data.network = raw;
  else if (raw.view === "dashboard") data.dashboard = raw;
  else if (raw.view === "mentoring") data.mentoring = raw;
  else if (raw.view === "plan") data.plan = raw;
  else if (raw.view === "proposal") data.proposals[raw.order.order_id] = raw;
  else if (raw.singles && raw.groups) data.shortlist = raw;
  else Object.assign(data, raw, { proposals: Object.assign({}, raw.proposals || {}) });
  return data;
}

/**
 * Says the page is drawn: body[data-ready="1"], body[data-drawn] and window.matcherState (for tests and benchmarks).
 * @param {number} [nodes]
 * @param {number} [edges]
 */
export function markReady(nodes, edges) {
  window.matcherState = { nodes: nodes || 0, edges: edges || 0, page: S.page, lang: locale.lang };
  // When it was drawn, increasing across reloads: lets a reader wait for the drawing after an action.
  document.body.dataset.drawn = String(performance.timeOrigin + performance.now());
  document.body.dataset.ready = "1";
}

/**
 * Whether a page can be shown: in a standalone file, whether the file holds its data.
 * @param {string} page
 * @returns {boolean}
 */
export function available(page) {
  if (!S.standalone) return true;
  if (page === "home" || page === "login") return true;
  if (page === "proposal") return Object.keys(S.data.proposals).length > 0;
  return Boolean(/** @type {Record<string, unknown>} */ (S.data)[page]);
}

/**
 * Whether the page drawing is still the one on screen (a newer drawing makes it false).
 * @typedef {() => boolean} Current
 */

/** @type {() => Promise<void>} */
let renderer = async () => {};

/**
 * Sets the function that draws the page (the router's).
 * @param {() => Promise<void>} draw
 */
export function setRenderer(draw) {
  renderer = draw;
}

/** Draws the page again (after a choice, a new language or new data). */
export function rerender() {
  return renderer();
}
