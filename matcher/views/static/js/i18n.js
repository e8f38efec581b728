// @ts-check
/* The pages' words: the language catalogues, the template language and the numbers of a language.
 *
 * No DOM here (node runs this module in the parity test, tests/test_catalogue_parity.py).
 * The catalogues are matcher/views/static/i18n/<lang>.json; their template syntax is described once,
 * in matcher/catalogue.py, and implemented twice: here for the pages, there for the library and the
 * service. The parity test keeps the two giving the same text.
 */

/** Languages of the pages, the default first. */
export const LANGS = ["es", "en"];

/** @typedef {Record<string, string>} Catalogue */

/**
 * The language shown and the catalogues of every language (set when the page starts).
 * @type {{lang: string, catalogues: Record<string, Catalogue>}}
 */
export const locale = { lang: "es", catalogues: {} };

/** A message of the library or the service: a catalogue key (without its prefix) and raw arguments.
 * @typedef {{key: string, args?: Record<string, any>}} Message */

/**
 * How a field's argument is said; a string, or null when it cannot be said in this language.
 * @callback FieldSayer
 * @param {string | undefined} format the field's format ({name:format}), undefined for {name}
 * @param {any} value
 * @param {Record<string, any>} args all the arguments of the template
 * @returns {string | null}
 */

/** A field: {name}, {name:format} or {name|one|other}. */
const FIELD = /\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}/g;
/** Most ids a "names" field shows before "and N more" (matcher.catalogue.NAMES_SHOWN). */
export const NAMES_SHOWN = 6;

/** @type {Map<string, Intl.PluralRules>} */
const plurals = new Map();

/**
 * The plural category of a count in the page's language ("one", "other", ...).
 * @param {unknown} value
 * @returns {string}
 */
function pluralOf(value) {
  let rules = plurals.get(locale.lang);
  if (!rules) {
    rules = new Intl.PluralRules(locale.lang);
    plurals.set(locale.lang, rules);
  }
  return rules.select(Number(value));
}

/**
 * A template's fields filled: a field that cannot be said keeps its place as written ({name}) and a
 * plural choice without its count says "other", unless `strict`, where either makes the whole text null.
 * @param {string} template
 * @param {Record<string, any>} args
 * @param {FieldSayer} say
 * @param {boolean} strict
 * @returns {string | null}
 */
function fill(template, args, say, strict) {
  let failed = false;
  const text = template.replace(FIELD, (whole, name, format, one, other) => {
    const value = args[name];
    if (value === undefined || value === null) {
      if (strict) failed = true;
      return one === undefined ? whole : other;
    }
    if (one !== undefined) return pluralOf(value) === "one" ? one : other;
    const out = say(format, value, args);
    if (out === null) {
      if (strict) failed = true;
      return whole;
    }
    return out;
  });
  return failed ? null : text;
}

/**
 * A catalogue text in the page's language (Spanish when the language lacks it, else the key itself).
 * Its {name} fields take `params` as they are (numbers already formatted with num()), and its
 * {name|one|other} choices follow the language's plural rules (a count already formatted,
 * "1.234", reads as a number that is not one, as it should).
 * @param {string} key
 * @param {Record<string, any>} [params]
 * @returns {string}
 */
export function t(key, params) {
  let text = (locale.catalogues[locale.lang] || {})[key];
  if (text === undefined) text = (locale.catalogues.es || {})[key];
  if (text === undefined) return key;
  if (!params) return text;
  return fill(text, params, (format, value) => (format === undefined ? String(value) : null), false) ?? text;
}

/**
 * Whether the page's language has a text for a key.
 * @param {string} key
 * @returns {boolean}
 */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(locale.catalogues[locale.lang] || {}, key);
}

/**
 * A code (tie kind, process, product, status, role) in words, or the code itself.
 * @param {string} group
 * @param {unknown} code
 * @returns {string}
 */
export function label(group, code) {
  if (code === null || code === undefined) return t("value.none");
  const key = group + "." + String(code).replace(/ /g, "_");
  return has(key) ? t(key) : String(code).replace(/_/g, " ");
}

/** @type {Map<string, Intl.NumberFormat>} */
const formats = new Map();

/**
 * A number format of the page's language, made once.
 * @param {Intl.NumberFormatOptions} options
 * @returns {Intl.NumberFormat}
 */
function numberFormat(options) {
  const key = locale.lang + JSON.stringify(options);
  let format = formats.get(key);
  if (!format) {
    // 2.000, not 2000: thousands grouped from four digits, as people in the field write them and as
    // the library's own sentences (matcher.catalogue.format_number) say them.
    format = new Intl.NumberFormat(locale.lang, Object.assign({ useGrouping: "always" }, options));
    formats.set(key, format);
  }
  return format;
}

/**
 * A number in the page's language, up to `digits` decimals (none by default); a dash when missing.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 * @returns {string}
 */
export function num(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return t("value.none");
  return numberFormat({ maximumFractionDigits: digits || 0 }).format(value);
}

/**
 * A share (0.25) as a percentage in the page's language (25 %); a dash when missing.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 * @returns {string}
 */
export function pct(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return t("value.none");
  return numberFormat({ style: "percent", maximumFractionDigits: digits === undefined ? 0 : digits }).format(value);
}

/**
 * Yes, no, or a dash when unknown.
 * @param {unknown} value
 * @returns {string}
 */
export function yesNo(value) {
  if (value === null || value === undefined) return t("value.none");
  return value ? t("value.yes") : t("value.no");
}

// ------------------------------------------------------------------ library and service messages
// The optimizer's reasons, "why" lines and notes come as {key, args} beside their English text
// (matcher/messages.py). The template of each key is in the catalogues under "msg.<key>" (the
// service's under "api.<key>"), with the fields {name}, {name:format} and {name|one|other}.

/**
 * A code's words inside a sentence (labels are written to stand alone, capitalised).
 * @param {string} group
 * @param {unknown} code
 */
function inSentence(group, code) {
  return label(group, code).toLocaleLowerCase(locale.lang);
}

/**
 * A catalogue text as it is, or the code itself (a role, a job status in words).
 * @param {string} group
 * @param {unknown} code
 */
function word(group, code) {
  const text = (locale.catalogues[locale.lang] || {})[group + "." + String(code)];
  return text === undefined ? String(code) : text;
}

/**
 * The pieces joined, or null when one of them has no words in this language.
 * @param {(string | null)[]} pieces
 * @param {string | null} separator
 * @returns {string | null}
 */
function joined(pieces, separator) {
  return pieces.some((p) => p === null || p === undefined) || separator === null ? null : pieces.join(separator);
}

/**
 * One suggested change in words, with the key matcher.messages.change_message picks.
 * @param {{kind: string, value: any}} change
 * @returns {string | null}
 */
function changeMessage(change) {
  const value = change.value;
  if (change.kind === "rule" && value === "min_group_size") return fillMessage("msg.change.no_min_group_size", { value });
  if (change.kind === "min_lot" && !(value > 1)) return fillMessage("msg.change.no_min_lot", { value });
  if (change.kind === "conflict") return fillMessage("msg.change.conflict", { value, a: (value || [])[0], b: (value || [])[1] });
  return fillMessage("msg.change." + change.kind, { value });
}

/**
 * An ISO date (2025-09-30) as the language writes it (30/09/2025 in Spanish).
 * @param {unknown} value
 */
function isoDate(value) {
  const text = String(value);
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return locale.lang === "en" || !parts ? text : parts[3] + "/" + parts[2] + "/" + parts[1];
}

/** @type {Intl.NumberFormat} */
const EXACT = new Intl.NumberFormat("en", { maximumFractionDigits: 6, useGrouping: false });

/** @type {FieldSayer} */
function messageArg(format, value, args) {
  const list = Array.isArray(value) ? value : [];
  switch (format) {
    case undefined:
      if (typeof value === "number") return num(value, 2);
      return Array.isArray(value) ? value.map((item) => messageArg(undefined, item, args)).join(", ") : String(value);
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
    case "products":
      return list.map((p) => inSentence("product", p)).join(", ");
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
    case "role":
      return word("role", value);
    case "status":
      return word("job", value);
    case "date":
      return isoDate(value);
    case "exact": {
      const text = EXACT.format(value);
      return locale.lang === "es" ? text.replace(".", ",") : text;
    }
    default:
      return null;
  }
}

/**
 * A template filled with a message's arguments in the page's language; null when a field cannot be
 * said (an argument missing, a format unknown, a part without words).
 * @param {string} template
 * @param {Record<string, any>} args
 * @returns {string | null}
 */
export function sayTemplate(template, args) {
  return fill(template, args, messageArg, true);
}

/**
 * A message template of the catalogue ("msg.<key>") filled with its arguments; null when it has none.
 * @param {string} key
 * @param {Record<string, any>} args
 * @returns {string | null}
 */
export function fillMessage(key, args) {
  const template = (locale.catalogues[locale.lang] || {})[key];
  if (typeof template !== "string") return null;
  return sayTemplate(template, args);
}

/**
 * The optimizer's sentences in the page's language: each message said, else the English text beside it.
 * @param {string[] | null | undefined} texts
 * @param {(Message | null)[] | null | undefined} messages
 * @returns {string[]}
 */
export function explained(texts, messages) {
  const english = texts || [];
  if (!Array.isArray(messages) || messages.length !== english.length) return english;
  return messages.map((m, i) => {
    if (!m || typeof m.key !== "string") return english[i];
    const text = fillMessage("msg." + m.key, m.args || {});
    if (text === null) return english[i];
    // a sentence that begins with a value (a workshop's id, an option's name) keeps it as written
    const template = (locale.catalogues[locale.lang] || {})["msg." + m.key];
    if (/^\{\w+\}/.test(template)) return text;
    return text.charAt(0).toLocaleUpperCase(locale.lang) + text.slice(1);
  });
}
