// @ts-check
/* matcher: the browser views (network, group proposal, dashboard, shortlist, home, sign-in).
 *
 * ES modules, no framework; the service serves them as they are (<script type="module" src=".../app.js">)
 * and a standalone file carries them inlined in one script (matcher/views/bundle.py). The page shell
 * (templates/page.html) holds <main id="app" data-page=... data-lang=... data-urls=... data-links=...>,
 * the language catalogues (#matcher-i18n) and, in a standalone file, the data (#matcher-data).
 * Every visible string comes from the catalogues through t() (the optimizer's sentences through their
 * message templates, explained()); numbers go through Intl.NumberFormat. When a page is drawn,
 * body[data-ready="1"] and window.matcherState say what is on screen and body[data-drawn] when (for
 * tests and benchmarks).
 */

import { start } from "./router.js";

if (document.getElementById("app")) start();
