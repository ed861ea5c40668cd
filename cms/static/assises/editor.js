/*
 * A submitted editor form stops Wagtail's autosave.
 *
 * Autosave waits ~1.5 s after the last keystroke. On a new page, that save creates the page. When an
 * editor clicks « Publier » within that pause and publishing takes longer (an edition with its whole
 * programme), the delayed autosave fires during the publish request, creates the page first, and the
 * publish comes back with « slug déjà utilisé » beside an unwanted draft. Once the form is on its
 * way, nothing is left for autosave to keep: its pending save is cancelled and no new one starts.
 *
 * Unless the site opts in for every page type (data-assises-scope="all"), only the add forms of
 * Assises's own page types (app labels assises_…) are concerned.
 */
(() => {
  // in a function: a second copy of this script on a page must not redeclare anything
  const assisesScope = document.currentScript ? document.currentScript.dataset.assisesScope : "all";
  document.addEventListener("submit", (event) => {
    if (assisesScope !== "all" && !/\/pages\/add\/assises_/.test(window.location.pathname)) return;
    if (event.defaultPrevented) return; // a dialog held the submit back: the page stays, so does autosave
    const app = window.wagtail && window.wagtail.app;
    const autosave = app && app.getControllerForElementAndIdentifier(event.target, "w-autosave");
    if (!autosave) return;
    autosave.activeValue = false;
    if (typeof autosave.submit.cancel === "function") autosave.submit.cancel();
  });
})();
