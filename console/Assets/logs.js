// Follows a container's log: GET /live/logs/{ns}/{pod}?container= is the apiserver's pods/log?follow=true, read chunk
// by chunk as it arrives. A refusal shows the apiserver's message.
(() => {
  const form = document.getElementById('log-form');
  if (!form) return;
  const out = document.getElementById('log');
  let controller = null;
  const stop = () => { if (controller) controller.abort(); controller = null; };
  document.getElementById('log-stop').addEventListener('click', stop);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    stop();
    controller = new AbortController();
    out.textContent = '';
    const container = form.elements.container.value;
    const url = `/live/logs/${encodeURIComponent(form.dataset.ns)}/${encodeURIComponent(form.dataset.pod)}?container=${encodeURIComponent(container)}`;
    try {
      const r = await fetch(url, { signal: controller.signal, credentials: 'same-origin' });
      if (!r.ok) { out.textContent = `${r.status}: ${await r.text()}`; return; }
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
        out.textContent += decoder.decode(value, { stream: true });
        if (atBottom) out.scrollTop = out.scrollHeight;
      }
    } catch (e) {
      if (e.name !== 'AbortError') out.textContent += `\n[stream ended: ${e.message}]`;
    }
  });
})();
