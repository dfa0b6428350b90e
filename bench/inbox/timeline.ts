/**
 * What happens between the sign-in click and the first row of the list: the progress texts the page
 * shows and the requests it makes (Resource Timing), each with its start and end in ms from the click.
 * Installed as a string (tsx would wrap a function's inner names in a helper the page does not have).
 */

/**
 * Starts recording: the sign-in click as the page received it (`__clickAt`, page time, so the
 * automation's own work before the click is not counted) and the moment the first row is in the DOM
 * (`__firstRowAt`); `window.__t0` is set right before the click as a fallback.
 */
export const TIMELINE_PROBE = `(() => {
  window.__steps = [];
  performance.setResourceTimingBufferSize(100000); // the default 250 would drop the verification's requests
  document.addEventListener("click", (e) => { window.__clickAt = e.timeStamp; }, { capture: true, once: true });
  let last = "";
  const seen = () => {
    if (document.querySelector(".thread-row")) {
      window.__firstRowAt = performance.now();
      return observer.disconnect();
    }
    const text = [...document.querySelectorAll("[role=status], [aria-busy=true]")]
      .map((e) => e.textContent.trim()).filter(Boolean).join(" / ");
    if (text !== last) { last = text; window.__steps.push([performance.now(), text]); }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/**
 * Read later: steps and requests that began between `from` and `until` (page time), as lines
 * "start-end ms  what", in ms from the click.
 */
export const timelineRead = (until: number, from = 0): string => `(() => {
  const t0 = window.__clickAt ?? window.__t0;
  const until = ${until};
  const from = Math.max(t0, ${from});
  const ms = (t) => Math.round(t - t0);
  const steps = window.__steps.filter(([at]) => at >= from && at <= until).map(([at, text]) => [ms(at), ms(at), "page: " + text.slice(0, 80)]);
  const requests = performance.getEntriesByType("resource")
    .filter((e) => e.startTime >= from && e.startTime <= until)
    .map((e) => [ms(e.startTime), ms(e.responseEnd), new URL(e.name).pathname + " (" + e.transferSize + " B)"]);
  return [...steps, ...requests].sort((a, b) => a[0] - b[0]).map(([s, e, what]) =>
    String(s).padStart(6) + (e === s ? "       " : "-" + String(e).padEnd(6)) + "  " + what);
})()`;
