// @ts-check
/* The page's chrome and routing: the language, the shell's texts, which page is drawn (in a standalone
 * file, the one its address names after #), and the start. */

import { errorNotice, PageError } from "./api.js";
import { LANGS, locale, t } from "./i18n.js";
import { renderNav } from "./nav.js";
import { pageDashboard } from "./page-dashboard.js";
import { pageHome } from "./page-home.js";
import { pageLogin } from "./page-login.js";
import { pageMentoring } from "./page-mentoring.js";
import { pageNetwork } from "./page-network.js";
import { pagePlan } from "./page-plan.js";
import { pageProposal } from "./page-proposal.js";
import { pageShortlist } from "./page-shortlist.js";
import { registerPlotlyLocale } from "./plot.js";
import { app, available, markReady, readJSON, S, setRenderer } from "./state.js";

const LANG_KEY = "matcher_lang";

/** @type {Record<string, (current: () => boolean) => Promise<void> | void>} */
const PAGES = {
  home: pageHome,
  login: pageLogin,
  network: pageNetwork,
  proposal: pageProposal,
  dashboard: pageDashboard,
  shortlist: pageShortlist,
  mentoring: pageMentoring,
  plan: pagePlan,
};

/**
 * The page to draw: the base page, or in a standalone file the one the address names (#network, #proposal=O1).
 * @returns {string}
 */
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

let renderCount = 0;
/** Draws the page the address names; a page drawn since (a newer render) wins. */
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

/**
 * The language to show: ?lang= (then remembered), else the one remembered, else the page's default.
 * @returns {string}
 */
function chooseLang() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked !== null && LANGS.includes(asked)) {
    try {
      localStorage.setItem(LANG_KEY, asked); // the next page without ?lang= keeps it
    } catch (err) {
      /* not remembered */
    }
    return asked;
  }
  try {
    const kept = localStorage.getItem(LANG_KEY);
    if (kept !== null && LANGS.includes(kept)) return kept;
  } catch (err) {
    /* storage may be off (private mode, file:// policies) */
  }
  const lang = app.dataset.lang || "";
  return LANGS.includes(lang) ? lang : "es";
}

/**
 * Shows the page in another language, and remembers the choice.
 * @param {string} lang
 */
function switchLang(lang) {
  if (!LANGS.includes(lang) || lang === locale.lang) return;
  locale.lang = lang;
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

/** The shell's own texts (header, menu label, window title) in the page's language. */
function applyShellText() {
  document.documentElement.lang = locale.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    if (node instanceof HTMLElement) node.textContent = t(node.dataset.i18n || "");
  }
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria-label") || ""));
  }
  for (const button of document.querySelectorAll("#lang-switch button[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === locale.lang));
  }
  const page = t("page." + S.page);
  const head = S.extraTitle ? S.extraTitle + " · " + page : page;
  document.title = head + " · " + t("app.name");
}

/** Reads the catalogues and the language, wires the shell's buttons and draws the page. */
export function start() {
  locale.catalogues = readJSON("matcher-i18n") || {};
  locale.lang = chooseLang();
  setRenderer(render);
  registerPlotlyLocale();
  for (const button of document.querySelectorAll("#lang-switch button[data-lang]")) {
    button.addEventListener("click", () => switchLang(button.getAttribute("data-lang") || ""));
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
