// The live event stream: EventSource on /live/events (the browser resumes with Last-Event-ID after a drop), newest
// first, at most 500 lines; the text filter (?q=) hides lines in the page without reconnecting.
(() => {
  const list = document.getElementById('events-list');
  if (!list) return;
  const state = document.getElementById('events-state');
  const q = document.getElementById('q');
  const matches = li => !q.value || li.textContent.toLowerCase().includes(q.value.toLowerCase());
  q.addEventListener('input', () => {
    for (const li of list.children) li.hidden = !matches(li);
    const url = new URL(location.href); url.searchParams.set('q', q.value); history.replaceState(null, '', url);
  });
  const source = new EventSource(list.dataset.stream);
  source.onopen = () => { state.textContent = 'live'; };
  source.onerror = () => { state.textContent = 'reconnecting…'; };
  source.addEventListener('cloudevent', m => {
    const e = JSON.parse(m.data);
    const li = document.createElement('li');
    const where = e.namespace ? `${e.namespace}/` : '';
    let text = `${e.time.substring(11, 19)} ${e.action.padEnd(8)} ${e.kind} ${where}${e.name}`;
    if (e.reason) text += ` · ${e.severity ?? ''} ${e.reason} ${e.involved ?? ''}: ${e.message ?? ''}`;
    li.textContent = text;
    li.dataset.kind = e.plural;
    if (e.severity === 'Warning') li.className = 'warning';
    li.hidden = !matches(li);
    list.prepend(li);
    while (list.children.length > 500) list.lastElementChild.remove();
  });
})();
