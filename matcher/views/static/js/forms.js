// @ts-check
/* Forms: a field says what it wants in a hint, shows what it read (a number as the page writes it)
 * and keeps a place for its error, all named by aria-describedby; what the service objects to lands
 * next to the field it names. */

import { el } from "./dom.js";
import { locale } from "./i18n.js";

// Whole numbers as people type them: 2000, 2.000, 2,000 or 2 000 (one kind of separator between
// groups of three digits, spreadsheets' no-break spaces too), as the dataset reader reads
// whole-number cells (matcher/io/_numbers.py).
export const GROUPED_WHOLE = /^[1-9]\d{0,2}([.,\u00a0\u202f\u2009\u2007 ])\d{3}(?:\1\d{3})*$/;

/**
 * A typed whole number: {value}, {empty: true} when nothing was typed, or {error: true}.
 * @param {unknown} text
 * @returns {{value?: number, empty?: boolean, error?: boolean}}
 */
export function readWhole(text) {
  const raw = String(text === null || text === undefined ? "" : text).trim();
  if (!raw) return { empty: true };
  if (!/^\d+$/.test(raw) && !GROUPED_WHOLE.test(raw)) return { error: true };
  const value = Number(raw.replace(/\D/g, ""));
  return Number.isSafeInteger(value) ? { value } : { error: true };
}

/**
 * A calendar day as ISO text (yyyy-mm-dd), in the reader's own time zone.
 * @param {Date} date
 * @returns {string}
 */
export function isoDay(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
}

/**
 * Days since 1970-01-01 of an ISO day; NaN when it is not one.
 * @param {string | null | undefined} iso
 * @returns {number}
 */
export function dayNumber(iso) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) / 86400000 : NaN;
}

/**
 * An ISO day in words of the page's language ("30 de septiembre de 2025").
 * @param {string} iso
 * @returns {string}
 */
export function longDate(iso) {
  return new Intl.DateTimeFormat(locale.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(dayNumber(iso) * 86400000));
}

/**
 * A labelled field: its control, a hint, what it read (an <output>) and a place for its error.
 * @param {string} name the field's name, as the service's problems name it
 * @param {string} text
 * @param {HTMLElement} control
 * @param {{hint?: string | null, readBack?: boolean}} [options]
 * @returns {HTMLElement}
 */
export function formField(name, text, control, options) {
  const opts = options || {};
  const id = control.id;
  const hint = opts.hint ? el("p", { class: "hint", id: id + "-hint" }, opts.hint) : null;
  const read = opts.readBack ? el("output", { class: "read-back", id: id + "-read", for: id, "aria-live": "polite" }) : null;
  const error = el("p", { class: "field-error", id: id + "-error" });
  control.setAttribute("aria-describedby", [hint, read, error].flatMap((node) => (node ? [node.id] : [])).join(" "));
  return el("div", { class: "field", dataset: { field: name } }, el("label", { for: id }, text), control, hint, read, error);
}

/**
 * Shows (or clears, with "") the error of a form's field; false when the form has no such field.
 * @param {HTMLElement} form
 * @param {string} name
 * @param {string} message
 * @returns {boolean}
 */
export function fieldError(form, name, message) {
  const box = form.querySelector('[data-field="' + name + '"]');
  if (!box) return false;
  /** @type {HTMLElement} */ (box.querySelector(".field-error")).textContent = message;
  for (const control of box.querySelectorAll("input, select")) {
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
  return true;
}

/**
 * Shows each problem next to its field (several on one field joined); gives back those of no field.
 * @param {HTMLElement} form
 * @param {[string | null, string][]} problems [field, message] pairs
 * @returns {string[]}
 */
export function showErrors(form, problems) {
  for (const box of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll("[data-field]"))) {
    fieldError(form, box.dataset.field || "", "");
  }
  const byField = new Map();
  const left = [];
  for (const [name, message] of problems) {
    if (name && form.querySelector('[data-field="' + name + '"]')) byField.set(name, (byField.has(name) ? byField.get(name) + " " : "") + message);
    else left.push(message);
  }
  for (const [name, message] of byField) fieldError(form, name, message);
  const first = /** @type {HTMLElement | null} */ (form.querySelector("[aria-invalid=true]"));
  if (first) first.focus();
  return left;
}

/**
 * A field's error goes away as soon as the reader changes the field.
 * @param {HTMLElement} form
 */
export function clearOnEdit(form) {
  const clear = (/** @type {Event} */ event) => {
    const box = /** @type {HTMLElement} */ (event.target).closest("[data-field]");
    if (box instanceof HTMLElement) fieldError(form, box.dataset.field || "", "");
  };
  form.addEventListener("input", clear);
  form.addEventListener("change", clear);
}

/**
 * The service's 422 problems as [form field, message] pairs; `fieldOf` maps a body field to a form field.
 * @param {import("./api.js").PageError} err
 * @param {(field: string) => string | null | undefined} fieldOf
 * @returns {[string | null, string][]}
 */
export function serviceProblems(err, fieldOf) {
  const details = err.details && err.details.length ? err.details : [{ field: "", message: err.detail }];
  return details.map((d) => [fieldOf(String(d.field || "").split(".")[0]) || null, d.message || err.detail]);
}

/**
 * A whole-number field's text under it: the number read, in the page's way of writing numbers.
 * @param {HTMLInputElement} input
 * @param {HTMLOutputElement} output
 * @param {(value: number) => string | null | undefined} say
 */
export function readBackWhole(input, output, say) {
  const update = () => {
    const read = readWhole(input.value);
    output.textContent = read.value === undefined ? "" : say(read.value) || "";
  };
  input.addEventListener("input", update);
  update();
}
