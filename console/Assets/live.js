// Keeps a page current without a reload: follows /live/events for the kinds the page shows (only changes from now on)
// and, a moment after the last change, fetches the same URL and swaps in its <main>. Waits while the user types in a
// field of the page, and refreshes once after a dropped stream reconnects (changes may have been missed meanwhile).
(() => {
  const main = document.querySelector('main[data-live-kinds]');
  if (!main || !main.dataset.liveKinds) return;
  const url = `/live/events?replay=false&kind=${encodeURIComponent(main.dataset.liveKinds)}&ns=${encodeURIComponent(main.dataset.liveNs || '')}`;
  let timer = null;
  let dropped = false;
  const typing = () => main.contains(document.activeElement) && document.activeElement.matches('input, select, textarea');
  const schedule = delay => { clearTimeout(timer); timer = setTimeout(refresh, delay); };
  async function refresh() {
    if (typing()) { schedule(1000); return; }
    const r = await fetch(location.href, { credentials: 'same-origin' });
    if (r.redirected && new URL(r.url).pathname === '/signin') { location.reload(); return; }
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    // Pages with parts that must survive (a followed log) mark what to swap with data-live-region and an id.
    const regions = main.querySelectorAll('[data-live-region][id]');
    if (regions.length > 0) {
      for (const region of regions) {
        const fresh = doc.getElementById(region.id);
        if (fresh) region.replaceWith(fresh);
      }
    } else {
      const fresh = doc.querySelector('main');
      if (fresh) main.innerHTML = fresh.innerHTML;
    }
    main.dispatchEvent(new CustomEvent('live:refreshed'));
  }
  const source = new EventSource(url);
  source.addEventListener('cloudevent', () => schedule(300));
  source.onerror = () => { dropped = true; };
  source.onopen = () => { if (dropped) { dropped = false; schedule(0); } };
  // Figures that change without a resource event (the routes page's request rates) are fetched again every few seconds.
  const every = Number(main.dataset.liveEvery);
  if (every > 0) setInterval(() => { if (document.visibilityState === 'visible') schedule(0); }, every * 1000);
})();
