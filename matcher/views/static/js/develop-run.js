// @ts-check
/* A development programme in the service (mentoring circles, an upgrade plan): who may run one, the form
 * that starts a run and follows its job, and the finished run's view (?job= in the address). */

import { api, errorNotice, PageError } from "./api.js";
import { el, notice } from "./dom.js";
import { clearOnEdit, formField, readWhole, serviceProblems, showErrors } from "./forms.js";
import { label, num, pct, t } from "./i18n.js";
import { renderNav } from "./nav.js";
import { app, rerender, S } from "./state.js";

/** The roles that may run a development programme (lead firms and municipalities may not). */
export const RUNNER_ROLES = ["admin", "coordinator", "association_leader"];

/**
 * A field of a run form: a whole number (empty: `empty`), or a yes/no box.
 * @typedef {object} RunField
 * @property {string} name the request body's field
 * @property {"whole" | "check"} type
 * @property {string} text the catalogue key of its label
 * @property {string} [hint] the catalogue key of its hint
 * @property {number | boolean | null} value what it starts with
 * @property {number} [min]
 * @property {number} [max]
 */

/**
 * In the service, what a development page draws: the run form (and the finished run's view when the
 * address names its job). Null with the form alone; a 403 (PageError) for a role that may not run one.
 * @param {"mentoring" | "plan"} kind
 * @param {RunField[]} fields
 * @param {import("./state.js").Current} current
 * @param {(view: any) => Record<string, number | boolean | null>} [chosen] the options a shown run was made with
 * @returns {Promise<any>}
 */
export async function serviceRun(kind, fields, current, chosen) {
  if (S.me === undefined) S.me = await api(S.urls.me || "/me");
  if (!current()) return null;
  if (!S.me || !RUNNER_ROLES.includes(S.me.role)) {
    renderNav(); // the menu no longer offers the cluster's pages
    throw new PageError(403);
  }
  const jobId = new URLSearchParams(location.search).get("job");
  let view = null;
  if (jobId && S.urls.view) {
    try {
      view = await api(S.urls.view.replace("{job_id}", encodeURIComponent(jobId)));
    } catch (err) {
      if (err.status === 401) throw err;
      if (!current()) return null;
      app.append(errorNotice(err));
    }
    if (!current()) return null;
  }
  const used = view && chosen ? chosen(view) : {};
  app.append(developForm(kind, fields.map((f) => (f.name in used ? Object.assign({}, f, { value: used[f.name] }) : f)), Boolean(view)));
  return view;
}

/**
 * The form that starts a run with the reader's options, follows the job and then shows its result.
 * @param {"mentoring" | "plan"} kind
 * @param {RunField[]} fields
 * @param {boolean} again whether a result is shown below
 * @returns {HTMLElement}
 */
function developForm(kind, fields, again) {
  const controls = fields.map((f) => {
    const id = "run-" + f.name.replace(/_/g, "-");
    if (f.type === "check") {
      const box = el("input", { type: "checkbox", id });
      /** @type {HTMLInputElement} */ (box).checked = Boolean(f.value);
      return { f, input: /** @type {HTMLInputElement} */ (box), field: formField(f.name, t(f.text), box, { hint: f.hint ? t(f.hint) : null }) };
    }
    const input = el("input", { type: "text", id, inputmode: "numeric", autocomplete: "off", value: f.value === null || f.value === undefined ? "" : String(f.value) });
    return { f, input: /** @type {HTMLInputElement} */ (input), field: formField(f.name, t(f.text), input, { hint: f.hint ? t(f.hint) : null }) };
  });
  const status = el("p", { id: "run-status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "submit", id: "run-start", class: "primary" }, t(again ? "develop.run_again" : "develop.run_" + kind));
  const form = el(
    "form",
    { id: "run-form", class: "panel run-form", novalidate: true, "aria-labelledby": "run-title" },
    el("h2", { id: "run-title" }, t("develop.form_" + kind)),
    el("p", { class: "muted" }, t("develop.help_" + kind)),
    controls.map((c) => c.field),
    el("div", { class: "button-row" }, button),
    status
  );
  clearOnEdit(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    /** @type {Record<string, any>} */
    const body = {};
    /** @type {[string, string][]} */
    const problems = [];
    for (const { f, input } of controls) {
      if (f.type === "check") {
        body[f.name] = input.checked;
        continue;
      }
      const read = readWhole(input.value);
      const low = f.min === undefined ? 0 : f.min;
      if (read.error || (read.value !== undefined && (read.value < low || (f.max !== undefined && read.value > f.max)))) {
        problems.push([f.name, f.max === undefined ? t("develop.whole_from", { min: num(low) }) : t("develop.whole_between", { min: num(low), max: num(f.max) })]);
      } else if (!read.empty) {
        body[f.name] = read.value;
      }
    }
    showErrors(form, problems);
    if (problems.length) return;
    /** @type {HTMLButtonElement} */ (button).disabled = true;
    status.textContent = t("proposal.run_started");
    try {
      const jobId = await developJob(kind, body, status);
      const url = new URL(location.href);
      url.searchParams.set("job", jobId);
      history.replaceState(history.state, "", url.href);
      rerender();
    } catch (failure) {
      /** @type {HTMLButtonElement} */ (button).disabled = false;
      if (failure instanceof PageError && failure.status === 422) {
        const left = showErrors(form, serviceProblems(failure, (field) => (controls.some((c) => c.f.name === field) ? field : null)));
        status.replaceChildren(...left.map((m) => notice(m, "error")));
      } else {
        status.replaceChildren(failure instanceof PageError ? errorNotice(failure) : notice(String(failure.message || failure), "error"));
      }
    }
  });
  return form;
}

/**
 * Starts a run and follows its job to the end; its id once done.
 * @param {"mentoring" | "plan"} kind
 * @param {Record<string, any>} body
 * @param {HTMLElement} status
 * @returns {Promise<string>}
 */
async function developJob(kind, body, status) {
  const job = await api(S.urls.run, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const base = (S.urls.jobs || "/jobs").replace(/\/$/, "");
  let state = job;
  while (!["done", "failed", "cancelled"].includes(state.status)) {
    status.textContent = t("develop.progress_" + kind, { progress: pct(state.progress || 0), message: state.message || "" });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = await api(base + "/" + encodeURIComponent(job.job_id));
  }
  if (state.status !== "done") {
    throw new Error(t("proposal.run_failed", { status: label("job", state.status), error: state.error || "" }));
  }
  status.textContent = t("develop.done");
  return job.job_id;
}
