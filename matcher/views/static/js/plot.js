// @ts-check
/* Charts: plotly.js (a global of its own <script>, inlined or served beside the page) with the
 * pages' look, language and number format. */

import { notice } from "./dom.js";
import { LANGS, locale, t } from "./i18n.js";

// Distinguishable on white; no yellow (too pale for small markers).
export const PALETTE = [
  "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F3C8D",
  "#11A579", "#3969AC", "#E73F74", "#80BA5A", "#008695", "#CF1C90", "#F97B72", "#4B4B8F",
];

let registered = false;

/** Plotly's own words (mode bar, tooltips) in both languages, registered once. */
export function registerPlotlyLocale() {
  if (!window.Plotly || registered) return;
  registered = true;
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
    /** @type {Record<string, string>} */
    const dictionary = {};
    for (const [english, key] of Object.entries(strings)) {
      dictionary[english] = (locale.catalogues[lang] || {})[key] || english;
    }
    try {
      // Numbers follow layout.separators; a partial "format" here would break plotly's date locale.
      Plotly.register({ moduleType: "locale", name: lang, dictionary });
    } catch (err) {
      /* an older plotly.js without locales: English tooltips */
    }
  }
}

/**
 * Draws (or redraws) a chart in the pages' look, language and number format; a notice without plotly.js.
 * @param {HTMLElement} div
 * @param {object[]} traces
 * @param {Record<string, any>} [layout]
 * @param {Record<string, any>} [config]
 * @returns {Promise<unknown>}
 */
export function plot(div, traces, layout, config) {
  const base = {
    margin: { l: 70, r: 20, t: 10, b: 50 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13, color: "#1f2328" },
    separators: locale.lang === "es" ? ",." : ".,",
    hoverlabel: { bgcolor: "#ffffff", bordercolor: "#1f2328", font: { color: "#1f2328" } },
    height: 320,
  };
  const options = Object.assign(
    {
      displaylogo: false,
      responsive: true,
      locale: locale.lang,
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
export function topLegend() {
  return { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom", traceorder: "normal" };
}

/**
 * An axis with its title, in the pages' grid colours.
 * @param {string} text
 * @returns {Record<string, any>}
 */
export function axisTitle(text) {
  return { title: { text }, automargin: true, gridcolor: "#e5e7eb", zerolinecolor: "#c4c9d0" };
}
