// @ts-check
/* Calls to the service: the signed-in user's token, errors in the page's language, links between pages. */

import { notice } from "./dom.js";
import { locale, t } from "./i18n.js";
import { S } from "./state.js";

/** Where the sign-in page keeps the token, for the browser tab. */
export const TOKEN_KEY = "matcher_token";

/** A problem the service named: one per field it objects to.
 * @typedef {{field?: string, message?: string}} Problem */

/** A call the service answered with an error (status 0: it could not be reached). */
export class PageError extends Error {
  /**
   * @param {number} status
   * @param {string} [detail] the service's message, in the page's language
   * @param {Problem[]} [details]
   */
  constructor(status, detail, details) {
    super(detail || "HTTP " + status);
    this.status = status;
    this.detail = detail || "";
    this.details = details || []; // the service's problems, each with the field it names
  }
}

/**
 * The signed-in user's token for this browser tab, if any.
 * @returns {string | null}
 */
export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch (err) {
    return null;
  }
}

/**
 * Where another page is: in a standalone file its #name (and order), in the service its address.
 * @param {string} page
 * @param {string | null} [orderId]
 * @returns {string | null}
 */
export function pageLink(page, orderId) {
  if (S.standalone) return "#" + page + (orderId ? "=" + encodeURIComponent(orderId) : "");
  const template = S.links[page];
  if (!template) return null;
  const url = template.replace("{order_id}", encodeURIComponent(orderId || ""));
  return url + (new URLSearchParams(location.search).has("lang") ? "?lang=" + locale.lang : "");
}

/**
 * A ?next= address if it is a path of this site, else null.
 * @param {string | null} value
 * @returns {string | null}
 */
export function safeNext(value) {
  // Only a path of this site: never "//host" or a full URL someone slipped into ?next=.
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : null;
}

/** To the sign-in page, which comes back here once signed in. */
export function goLogin() {
  const login = S.links.login || "login";
  const next = location.pathname + location.search;
  location.assign(login + "?next=" + encodeURIComponent(next));
}

/**
 * A call to the service with the user's token, in the page's language; the answer's JSON (null for 204).
 * A 401 goes to the sign-in page (unless `noRedirect`); any other failure throws a PageError.
 * @param {string} url
 * @param {RequestInit & {noRedirect?: boolean, headers?: Record<string, string>}} [options]
 * @returns {Promise<any>}
 */
export async function api(url, options) {
  const opts = Object.assign({ method: "GET" }, options || {});
  // The service answers its messages in the page's language.
  /** @type {Record<string, string>} */
  const headers = Object.assign({ Accept: "application/json", "Accept-Language": locale.lang }, opts.headers || {});
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
    /** @type {Problem[]} */
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

/**
 * A failed call in the page's language: the service's own message as it is (it answers in the
 * language the page sends), else a general one by status.
 * @param {any} err a PageError, or whatever else was thrown
 * @returns {HTMLElement}
 */
export function errorNotice(err) {
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

/**
 * A page's data by key (network, dashboard, shortlist): the file's, or fetched once from the service.
 * @param {"network" | "dashboard" | "shortlist"} key
 * @returns {Promise<any>}
 */
export async function need(key) {
  if (S.data[key]) return S.data[key];
  if (S.standalone || !S.urls[key]) return null;
  S.data[key] = await api(S.urls[key]);
  return S.data[key];
}
