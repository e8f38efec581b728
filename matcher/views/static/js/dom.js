// @ts-check
/* DOM building blocks of the pages: elements, fields, notices, fact lists, tables, chart boxes. */

import { label, t } from "./i18n.js";

/** What an element may hold: nodes, text, numbers, nothing (null, undefined, false) and lists of these.
 * @typedef {Node | string | number | null | undefined | false | any[]} Child */

/**
 * An element: attributes (text, class, dataset, on<event> handlers, true for a bare attribute; null,
 * undefined and false left out) and children (flattened; nothing for null, undefined and false).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs, ...children) {
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

/**
 * A labelled <select>; options are [value, text] pairs, or [value, text, disabled].
 * @param {string} id
 * @param {string} text
 * @param {any[][]} options [value, text] or [value, text, disabled]
 * @param {string} value
 * @param {(value: string) => void} onchange
 * @returns {HTMLElement}
 */
export function selectField(id, text, options, value, onchange) {
  /** @param {Event} event */
  const changed = (event) => onchange(/** @type {HTMLSelectElement} */ (event.target).value);
  const select = el("select", { id, name: id, onchange: changed });
  for (const [optionValue, optionText, disabled] of options) {
    select.append(el("option", { value: optionValue, selected: optionValue === value, disabled }, optionText));
  }
  return el("div", { class: "field" }, el("label", { for: id }, text), select);
}

/**
 * A notice: info and warning say themselves politely (role status), an error at once (role alert).
 * @param {Child} text
 * @param {"info" | "warning" | "error"} [kind]
 * @returns {HTMLElement}
 */
export function notice(text, kind) {
  return el("p", { class: "notice notice-" + (kind || "info"), role: kind === "error" ? "alert" : "status" }, text);
}

/**
 * A list of facts, term and value; a pair whose value is undefined is left out.
 * @param {[string, Child][]} pairs
 * @param {Record<string, any>} [attrs]
 * @returns {HTMLElement}
 */
export function dl(pairs, attrs) {
  const list = el("dl", Object.assign({ class: "facts" }, attrs || {}));
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
  }
  return list;
}

/**
 * A table from column headers and rows of cells (strings or nodes); numeric columns align right.
 * @param {string[]} headers
 * @param {Child[][]} rows
 * @param {Record<string, any> & {numeric?: number[], caption?: string}} [attrs]
 * @returns {HTMLElement}
 */
export function table(headers, rows, attrs) {
  /** @type {number[]} */
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

/**
 * A chart: caption, the plot area (role img + aria-label) and its data table behind a toggle.
 * @param {string} id
 * @param {string} caption
 * @param {string} ariaLabel
 * @param {HTMLElement | null} [dataTable]
 * @returns {{figure: HTMLElement, plotDiv: HTMLElement}}
 */
export function chartBox(id, caption, ariaLabel, dataTable) {
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

/**
 * The page's heading.
 * @param {string} text
 */
export function heading(text) {
  return el("h1", { id: "page-title" }, text);
}

/**
 * An order's status as a badge (filled, partial, unfilled, not matched).
 * @param {string} status
 */
export function statusBadge(status) {
  return el("span", { class: "badge status-" + String(status).replace(/ /g, "_") }, label("status", status));
}
