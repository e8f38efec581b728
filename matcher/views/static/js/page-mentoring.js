// @ts-check
/* Mentoring circles: what was formed, the circles on the network figure (mentors and trainees ringed,
 * a line from each mentor to each trainee), the circles with their reasons, and who is left without a mentor. */

import { need } from "./api.js";
import { serviceRun } from "./develop-run.js";
import { dl, el, heading, notice, selectField } from "./dom.js";
import { explained, has, label, num, t, yesNo } from "./i18n.js";
import { layoutNetwork, networkLayout, networkLegend, networkState, networkTraces, prepare } from "./network.js";
import { plot } from "./plot.js";
import { app, markReady, rerender, S } from "./state.js";

/** @typedef {import("./network.js").NetworkView} NetworkView */
/** @typedef {import("./network.js").Prepared} Prepared */
/** @typedef {import("./i18n.js").Message} Message */

/** The service's run form: most trainees per mentor, the largest circle, one sector per circle, the solver's time.
 * @type {import("./develop-run.js").RunField[]} */
const MENTORING_FIELDS = [
  { name: "max_trainees", type: "whole", text: "develop.max_trainees", hint: "develop.max_trainees_hint", value: 3, min: 1, max: 50 },
  { name: "circle_max", type: "whole", text: "develop.circle_max", hint: "develop.circle_max_hint", value: null, min: 2, max: 51 },
  { name: "same_sector", type: "check", text: "develop.same_sector", value: true },
  { name: "time_limit", type: "whole", text: "develop.time_limit", hint: "develop.time_limit_hint", value: 10, min: 1, max: 600 },
];

/** Ring of a mentor, ring of a trainee, line of a new pair, line of a pair already mentoring. */
export const MENTOR_COLOR = "#111111";
export const TRAINEE_COLOR = "#7b2cbf";
export const NEW_LINK_COLOR = "#111111";
export const KEPT_LINK_COLOR = "#7b2cbf";

/**
 * A trainee of a circle (matcher.views.mentoring_view).
 * @typedef {object} MentoringPair
 * @property {string} trainee_id
 * @property {string} [territory]
 * @property {string} status proposed, kept or pinned
 * @property {boolean} new
 * @property {number | null} [gain]
 * @property {string[]} learns
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/**
 * A mentor and its trainees (matcher.views.mentoring_view).
 * @typedef {object} MentoringCircle
 * @property {string} mentor_id
 * @property {string} [territory]
 * @property {string | null} [sector]
 * @property {string[]} trainee_ids
 * @property {boolean} new
 * @property {number | null} [gain]
 * @property {MentoringPair[]} pairs
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/**
 * Mentoring circles as the page draws them (matcher.views.mentoring_view).
 * @typedef {object} MentoringView
 * @property {string} status
 * @property {string | null} [solver]
 * @property {number | null} [gap]
 * @property {{max_trainees?: number, circle_size?: number[] | null, same_sector?: boolean, keep_existing?: boolean}} [options]
 * @property {{circles: number, pairs: number, new_pairs: number, kept_pairs: number, unpaired: number}} summary
 * @property {string[]} mentors
 * @property {string[]} trainees
 * @property {{mentor_id: string, trainee_id: string, new: boolean}[]} links
 * @property {MentoringCircle[]} circles
 * @property {{workshop_id: string, territory?: string, reasons?: string[], reason_messages?: Message[]}[]} unpaired
 * @property {string[]} [notes]
 * @property {Message[]} [note_messages]
 * @property {string[]} [reasons]
 * @property {Message[]} [reason_messages]
 */

/** The circle shown alone on the figure ("" for all), kept across redraws and language switches. */
const chosenCircle = { mentor: "" };

/**
 * The mentoring page: summary, circles on the network, the circles' table and the workshops without a mentor.
 * @param {import("./state.js").Current} current
 */
export async function pageMentoring(current) {
  app.append(heading(t("page.mentoring")));
  /** @type {MentoringView | null} */
  let view = S.data.mentoring || null;
  if (!S.standalone) {
    view = await serviceRun("mentoring", MENTORING_FIELDS, current, (shown) => {
      const o = shown.options || {};
      return { max_trainees: o.max_trainees, circle_max: o.circle_size ? o.circle_size[1] : null, same_sector: Boolean(o.same_sector) };
    });
    if (!current()) return;
  }
  if (!view) {
    if (S.standalone) app.append(notice(t("mentoring.none"), "info"));
    markReady(0, 0);
    return;
  }
  app.append(mentoringSummary(view));
  const network = S.standalone ? S.data.network : await need("network");
  if (!current()) return;
  let counts = [0, 0];
  if (network && view.circles.length) {
    const drawn = mentoringNetwork(view, network);
    await drawn.pending;
    counts = drawn.counts;
  }
  if (!current()) return;
  app.append(circleTable(view.circles), unpairedTable(view.unpaired));
  markReady(counts[0], counts[1]);
}

/**
 * What was formed, how sure the solver is, and under which rules.
 * @param {MentoringView} view
 * @returns {HTMLElement}
 */
export function mentoringSummary(view) {
  const s = view.summary;
  const options = view.options || {};
  const size = options.circle_size;
  const notes = explained(view.notes, view.note_messages);
  const reasons = explained(view.reasons, view.reason_messages);
  return el(
    "section",
    { class: "panel", id: "mentoring-summary", "aria-labelledby": "mentoring-summary-title" },
    el("h2", { id: "mentoring-summary-title" }, t("mentoring.summary_title")),
    dl([
      [t("mentoring.status"), label("solve", view.status)],
      [t("mentoring.circles"), num(s.circles)],
      [t("mentoring.pairs"), t("mentoring.pairs_value", { pairs: num(s.pairs), new: num(s.new_pairs), kept: num(s.kept_pairs) })],
      [t("mentoring.unpaired"), num(s.unpaired)],
      [t("mentoring.max_trainees"), options.max_trainees === undefined ? undefined : num(options.max_trainees)],
      [t("mentoring.circle_size"), size ? t("mentoring.circle_size_value", { min: num(size[0]), max: num(size[1]) }) : t("mentoring.circle_size_any")],
      [t("mentoring.same_sector"), yesNo(options.same_sector !== false)],
      [t("mentoring.gap"), view.gap ? num(100 * view.gap, 1) + " %" : undefined],
    ]),
    notes.length ? el("ul", { class: "plain muted", id: "mentoring-notes" }, notes.map((n) => el("li", {}, n))) : null,
    reasons.length ? el("ul", { id: "mentoring-reasons" }, reasons.map((r) => el("li", {}, r))) : null
  );
}

/**
 * Line segments (x0, x1, null, ...) from each mentor to each trainee drawn on the figure, new pairs apart from kept ones.
 * @param {Prepared} P
 * @param {import("./network.js").NetworkLayout} layout
 * @param {MentoringView["links"]} links
 */
export function mentoringLines(P, layout, links) {
  const N = P.view.nodes;
  const drawn = new Set(layout.nodes);
  /** @type {{x: (number | null)[], y: (number | null)[], count: number}} */
  const fresh = { x: [], y: [], count: 0 };
  /** @type {{x: (number | null)[], y: (number | null)[], count: number}} */
  const kept = { x: [], y: [], count: 0 };
  for (const link of links) {
    const a = P.index.get(link.mentor_id);
    const b = P.index.get(link.trainee_id);
    if (a === undefined || b === undefined || !drawn.has(a) || !drawn.has(b)) continue;
    const line = link.new ? fresh : kept;
    line.x.push(N.x[a], N.x[b], null);
    line.y.push(N.y[a], N.y[b], null);
    line.count += 1;
  }
  return { fresh, kept };
}

/**
 * The network figure with the circles on it (all, or the one chosen), and its legend.
 * @param {MentoringView} view
 * @param {NetworkView} network
 * @returns {{pending: Promise<any>, counts: number[]}}
 */
export function mentoringNetwork(view, network) {
  const mentors = view.circles.map((c) => c.mentor_id);
  if (chosenCircle.mentor && !mentors.includes(chosenCircle.mentor)) chosenCircle.mentor = "";
  const circles = chosenCircle.mentor ? view.circles.filter((c) => c.mentor_id === chosenCircle.mentor) : view.circles;
  const links = view.links.filter((l) => !chosenCircle.mentor || l.mentor_id === chosenCircle.mentor);
  const P = prepare(network);
  const st = networkState(network);
  /** @param {string[]} ids */
  const indices = (ids) => /** @type {number[]} */ ([...new Set(ids)].map((id) => P.index.get(id)).filter((i) => i !== undefined));
  const mentorNodes = indices(circles.map((c) => c.mentor_id));
  // A trainee may keep two mentors (existing ties), and a mentor may itself be a trainee: one ring each.
  const traineeNodes = indices(circles.flatMap((c) => c.trainee_ids));
  if (P.collapsible) [...mentorNodes, ...traineeNodes].forEach((i) => st.expanded.add(network.nodes.community[i]));
  const layout = layoutNetwork(P, st);
  const lines = mentoringLines(P, layout, links);
  const traces = /** @type {any[]} */ (networkTraces(P, st, layout, [
    { nodes: traineeNodes, color: TRAINEE_COLOR, name: t("legend.trainees"), dim: Boolean(chosenCircle.mentor) },
    { nodes: mentorNodes, color: MENTOR_COLOR, name: t("legend.mentors") },
  ]));
  if (chosenCircle.mentor) {
    // One circle alone: every member of it in focus, the rest of the cluster dimmed.
    traces[traces.length - 2].marker.opacity = 1;
    const focus = new Set([...mentorNodes, ...traineeNodes]);
    const workshops = traces[2];
    workshops.marker.opacity = workshops.customdata.map((/** @type {number} */ i) => (focus.has(i) ? 1 : 0.3));
  }
  traces.splice(
    2,
    0,
    {
      type: "scatter", mode: "lines", x: lines.fresh.x, y: lines.fresh.y, hoverinfo: "skip", name: t("legend.mentoring_new"),
      line: { color: NEW_LINK_COLOR, width: 2.2 },
    },
    {
      type: "scatter", mode: "lines", x: lines.kept.x, y: lines.kept.y, hoverinfo: "skip", name: t("legend.mentoring_kept"),
      line: { color: KEPT_LINK_COLOR, width: 2.2, dash: "dot" },
    }
  );
  const graph = el("div", {
    id: "network-graph",
    class: "chart network-chart",
    role: "img",
    "aria-label": t("mentoring.network_label", { circles: num(circles.length), pairs: num(links.length) }),
    dataset: { mentors: String(mentorNodes.length), trainees: String(traineeNodes.length), links: String(lines.fresh.count + lines.kept.count) },
  });
  const options = [["", t("mentoring.all_circles", { count: num(view.circles.length) })]].concat(
    view.circles.map((c) => [c.mentor_id, t("mentoring.circle_option", { mentor: c.mentor_id, count: num(c.trainee_ids.length), sector: sectorText(c.sector) })])
  );
  const legend = networkLegend(P, st);
  const items = legend.querySelector("ul");
  if (items) {
    items.append(
      el("li", {}, el("span", { class: "ring-swatch", dataset: { color: MENTOR_COLOR } }), t("legend.mentors")),
      el("li", {}, el("span", { class: "ring-swatch", dataset: { color: TRAINEE_COLOR } }), t("legend.trainees")),
      el("li", {}, el("span", { class: "line-swatch mentoring-new" }), t("legend.mentoring_new")),
      el("li", {}, el("span", { class: "line-swatch mentoring-kept" }), t("legend.mentoring_kept"))
    );
  }
  for (const swatch of /** @type {NodeListOf<HTMLElement>} */ (legend.querySelectorAll(".ring-swatch"))) {
    swatch.style.borderColor = swatch.dataset.color || "";
  }
  app.append(
    el(
      "section",
      { class: "panel", "aria-labelledby": "mentoring-network-title" },
      el("h2", { id: "mentoring-network-title" }, t("mentoring.network_title")),
      el("p", { class: "muted" }, t("mentoring.network_help")),
      el(
        "div",
        { class: "controls inline" },
        selectField("circle-select", t("mentoring.choose_circle"), options, chosenCircle.mentor, (value) => {
          chosenCircle.mentor = value;
          rerender();
        })
      ),
      el("div", { class: "network-frame" }, graph),
      legend
    )
  );
  return {
    pending: plot(graph, traces, networkLayout(), { scrollZoom: true }),
    counts: [layout.nodes.length + layout.members.size, layout.edges],
  };
}

/**
 * A circle's sector in words (a circle of several sectors has none).
 * @param {string | null | undefined} sector
 * @returns {string}
 */
export function sectorText(sector) {
  return sector ? label("product", sector) : t("mentoring.mixed_sector");
}

/**
 * A trainee in words: who, new or kept, what it learns.
 * @param {MentoringPair} pair
 * @returns {string}
 */
export function traineeText(pair) {
  const learns = pair.learns.map((item) => (has("product." + item) ? label("product", item) : label("process", item))).join(", ");
  const state = t("mentoring.pair_" + pair.status);
  // A pair kept from an existing tie may have nothing left to learn: it is named, not given an empty list.
  return learns ? t("mentoring.trainee", { trainee: pair.trainee_id, state, learns }) : t("mentoring.trainee_kept", { trainee: pair.trainee_id, state });
}

/**
 * The circles: mentor, territory, sector, its trainees (each with what it learns and why) and the circle's reasons.
 * @param {MentoringCircle[]} circles
 * @returns {HTMLElement}
 */
export function circleTable(circles) {
  const rows = circles.map((c) =>
    el(
      "tr",
      { dataset: { mentor: c.mentor_id } },
      el("th", { scope: "row" }, c.mentor_id),
      el("td", {}, c.territory || ""),
      el("td", {}, sectorText(c.sector)),
      el(
        "td",
        {},
        el(
          "ul",
          { class: "plain trainees" },
          c.pairs.map((p) =>
            el(
              "li",
              { dataset: { trainee: p.trainee_id, status: p.status } },
              el("details", {}, el("summary", {}, traineeText(p)), el("ul", {}, explained(p.reasons, p.reason_messages).map((r) => el("li", {}, r))))
            )
          )
        )
      ),
      el("td", {}, el("ul", { class: "plain" }, explained(c.reasons, c.reason_messages).map((r) => el("li", {}, r))))
    )
  );
  return el(
    "section",
    { class: "panel", "aria-labelledby": "circles-title" },
    el("h2", { id: "circles-title" }, t("mentoring.circles_title")),
    el("p", { class: "muted" }, t("mentoring.circles_help")),
    circles.length
      ? el(
          "div",
          { class: "table-scroll" },
          el(
            "table",
            { id: "circle-table" },
            el("thead", {}, el("tr", {}, ["mentoring.col_mentor", "mentoring.col_territory", "mentoring.col_sector", "mentoring.col_trainees", "mentoring.col_reasons"].map((k) => el("th", { scope: "col" }, t(k))))),
            el("tbody", {}, rows)
          )
        )
      : el("p", { class: "muted" }, t("mentoring.no_circles"))
  );
}

/**
 * The workshops left without a mentor, and why.
 * @param {MentoringView["unpaired"]} unpaired
 * @returns {HTMLElement}
 */
export function unpairedTable(unpaired) {
  return el(
    "section",
    { class: "panel", "aria-labelledby": "unpaired-title" },
    el("h2", { id: "unpaired-title" }, t("mentoring.unpaired_title", { count: num(unpaired.length) })),
    unpaired.length
      ? el(
          "details",
          { id: "unpaired" },
          el("summary", {}, t("mentoring.unpaired_show")),
          el(
            "div",
            { class: "table-scroll" },
            el(
              "table",
              { id: "unpaired-table" },
              el("thead", {}, el("tr", {}, ["mentoring.col_workshop", "mentoring.col_territory", "mentoring.col_why"].map((k) => el("th", { scope: "col" }, t(k))))),
              el(
                "tbody",
                {},
                unpaired.map((u) =>
                  el(
                    "tr",
                    { dataset: { id: u.workshop_id } },
                    el("th", { scope: "row" }, u.workshop_id),
                    el("td", {}, u.territory || ""),
                    el("td", {}, el("ul", { class: "plain" }, explained(u.reasons, u.reason_messages).map((r) => el("li", {}, r))))
                  )
                )
              )
            )
          )
        )
      : el("p", { class: "muted" }, t("mentoring.all_paired"))
  );
}
