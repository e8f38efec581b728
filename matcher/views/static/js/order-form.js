// @ts-check
/* A lead firm's new order: the form, and the order read back once placed. */

import { api, errorNotice, pageLink } from "./api.js";
import { dl, el, notice } from "./dom.js";
import { clearOnEdit, dayNumber, formField, isoDay, longDate, readBackWhole, readWhole, serviceProblems, showErrors } from "./forms.js";
import { fillMessage, label, locale, num, t, yesNo } from "./i18n.js";
import { app, rerender, S } from "./state.js";

/**
 * A product a lead firm may order: its code, and whether the cluster makes it (null: too few workshops to say).
 * @typedef {{product: string, made_in_cluster: boolean | null}} ProductChoice
 */

/**
 * An order as the service answers it.
 * @typedef {{order_id: string, product: string, quantity: number, due_weeks: number, min_quality?: number,
 *   territories?: string[], require_formal?: boolean, max_group_size?: number | null}} Order
 */

/**
 * The signed-in user (the service's /me).
 * @typedef {{username: string, role: string, firm_id?: string | null}} Me
 */

/** Where the service's objections to an order's body fields are shown in the form. */
/** @type {Record<string, string>} */
export const ORDER_FIELDS = {
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

/**
 * The firm's next free order reference: F1-01, F1-02, ... (the firm may type its own).
 * @param {string | null | undefined} firmId
 * @param {Order[]} orders
 * @returns {string}
 */
export function suggestOrderId(firmId, orders) {
  const taken = new Set(orders.map((o) => o.order_id));
  for (let n = 1; ; n++) {
    const id = (firmId || "P") + "-" + String(n).padStart(2, "0");
    if (!taken.has(id)) return id;
  }
}

/**
 * An order as the firm placed it (and, when known, the day it is due).
 * @param {Order} order
 * @param {string} [dueDate]
 * @returns {HTMLElement}
 */
export function orderFacts(order, dueDate) {
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

/**
 * The lead firm's form for a new order; calls created(order, dueDate) once the service has it.
 * @param {Me} me
 * @param {Order[]} orders
 * @param {{products: ProductChoice[], territories: string[]}} choices
 * @param {(order: Order, dueDate: string) => void} created
 * @returns {HTMLElement}
 */
export function orderForm(me, orders, choices, created) {
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
      return /** @type {[string, string, string]} */ ([p.product, name, p.made_in_cluster === null ? t("order_form.product_withheld", { product: name }) : name]);
    })
    .sort((a, b) => a[1].localeCompare(b[1], locale.lang));
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
  readBackWhole(quantity, /** @type {HTMLOutputElement} */ (quantityField.querySelector("output")), (n) => fillMessage("order_form.read_units", { units: n }));
  readBackWhole(maxGroup, /** @type {HTMLOutputElement} */ (groupField.querySelector("output")), (n) => fillMessage("order_form.read_workshops", { workshops: n }));
  const dueRead = /** @type {HTMLOutputElement} */ (dueField.querySelector("output"));
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
    /** @type {[string, string][]} */
    const problems = [];
    const orderId = idInput.value.trim();
    if (!orderId) problems.push(["order_id", t("form.required")]);
    if (!product.value) problems.push(["product", t("order_form.choose_product_error")]);
    const units = readWhole(quantity.value);
    if (units.empty) problems.push(["quantity", t("form.required")]);
    else if (units.error) problems.push(["quantity", t("form.whole", { example: num(2000) })]);
    else if (/** @type {number} */ (units.value) < 1) problems.push(["quantity", t("form.at_least", { min: num(1) })]);
    if (!due.value) problems.push(["due", t("order_form.due_missing")]);
    else if (!(dayNumber(due.value) > dayNumber(today))) problems.push(["due", t("order_form.due_future")]);
    const cap = readWhole(maxGroup.value);
    if (cap.error) problems.push(["max_group_size", t("form.whole", { example: num(3) })]);
    else if (!cap.empty && /** @type {number} */ (cap.value) < 1) problems.push(["max_group_size", t("form.at_least", { min: num(1) })]);
    if (problems.length) {
      showErrors(form, problems);
      status.replaceChildren(notice(t("form.check"), "error"));
      return;
    }
    showErrors(form, []);
    /** @type {Record<string, unknown>} */
    const body = {
      order_id: orderId,
      product: product.value,
      quantity: units.value,
      due_date: due.value,
      as_of: today, // the reader's today: the weeks the page showed are the weeks stored
      min_quality: Number(quality.value),
      territories: [.../** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[name=territories]:checked"))].map((box) => box.value),
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
        /** @type {[string | null, string][]} */
        const said = err.status === 409 ? [["order_id", t("order_form.id_taken", { order: orderId })]] : serviceProblems(err, (f) => ORDER_FIELDS[f]);
        const left = showErrors(form, said);
        status.replaceChildren(notice(t("form.check"), "error"), ...(left.length ? [el("ul", { class: "field-error" }, left.map((m) => el("li", {}, m)))] : []));
        return;
      }
      status.replaceChildren(errorNotice(err));
    }
  });
  return form;
}

/**
 * The order just placed, read back, and the way to its shortlist.
 * @param {Order} order
 * @param {string} dueDate
 * @returns {HTMLElement[]}
 */
export function createdOrder(order, dueDate) {
  const shortlistPage = pageLink("shortlist", order.order_id);
  const status = el("p", { id: "compute-status", role: "status", "aria-live": "polite" });
  const compute = el("button", { type: "button", id: "compute-shortlist", class: "primary" }, t("order_form.compute"));
  compute.addEventListener("click", async () => {
    compute.disabled = true;
    status.textContent = t("shortlist.making");
    try {
      await api((S.urls.orders || "/orders") + "/" + encodeURIComponent(order.order_id) + "/shortlists", { method: "POST" });
      location.assign(/** @type {string} */ (shortlistPage));
    } catch (err) {
      compute.disabled = false;
      status.replaceChildren(errorNotice(err));
    }
  });
  const another = el("button", { type: "button", id: "another-order" }, t("order_form.another"));
  another.addEventListener("click", () => {
    S.created = null;
    rerender();
  });
  return [
    el("h2", { id: "new-order-title", tabindex: "-1" }, t("order_form.created_title", { order: order.order_id })),
    notice(t("order_form.created"), "info"),
    orderFacts(order, dueDate),
    el("div", { class: "button-row" }, compute, shortlistPage ? el("a", { href: shortlistPage, class: "button" }, t("order_form.open")) : null, another),
    status,
  ];
}

/**
 * The lead firm's "new order" panel: the form, or the order just created.
 * @param {import("./state.js").Current} current
 * @param {Me} me
 * @param {Order[]} orders
 */
export async function newOrderSection(current, me, orders) {
  const section = el("section", { class: "panel", id: "new-order", "aria-labelledby": "new-order-title" });
  let products;
  /** @type {any} */
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
      /** @type {HTMLElement} */ (section.querySelector("h2")).focus();
    }
    return;
  }
  /** @type {string[]} */
  const territories = ((summary && summary.by_territory) || []).map((/** @type {{key: string}} */ cell) => cell.key);
  territories.sort((a, b) => a.localeCompare(b, locale.lang));
  section.append(
    el("h2", { id: "new-order-title" }, t("order_form.title")),
    el("p", { class: "muted" }, t("order_form.intro")),
    orderForm(me, orders, { products: products || [], territories }, (order, dueDate) => {
      S.created = { order, dueDate, focus: true };
      rerender();
    })
  );
  app.append(section);
}
