// chronicle serve: reloads the page when a new build is served, and shows
// a build's errors over the page until they are fixed. Injected only while
// serving; `chronicle build` never writes it.
(() => {
  'use strict';
  const ID = 'chronicle-errors';
  const source = new EventSource('/__chronicle/events');

  source.addEventListener('reload', () => {
    location.reload();
  });

  source.addEventListener('build-error', (event) => {
    let text = '';
    try {
      text = JSON.parse(event.data).text;
    } catch {
      text = event.data;
    }
    show(text);
  });

  function show(text) {
    let box = document.getElementById(ID);
    if (!box) {
      box = document.createElement('section');
      box.id = ID;
      box.setAttribute('role', 'alert');
      box.setAttribute('aria-labelledby', `${ID}-title`);
      box.style.cssText = [
        'position:fixed', 'inset:auto 0 0 0', 'max-height:70vh', 'overflow:auto',
        'margin:0', 'padding:1rem 1.25rem', 'z-index:2147483647',
        'background:#1b1b1b', 'color:#f5f5f5', 'border-top:4px solid #d33',
        'font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace',
      ].join(';');
      const title = document.createElement('h2');
      title.id = `${ID}-title`;
      title.textContent = 'chronicle: this change did not build. The page shows the last good build.';
      title.style.cssText = 'font:inherit;font-weight:bold;margin:0 0 .5rem;color:#ff8a80';
      const pre = document.createElement('pre');
      pre.style.cssText = 'margin:0;white-space:pre-wrap;font:inherit';
      const close = document.createElement('button');
      close.type = 'button';
      close.textContent = 'Hide';
      close.style.cssText = 'position:absolute;top:.75rem;right:1rem;font:inherit;padding:.25rem .75rem';
      close.addEventListener('click', () => box.remove());
      box.append(title, pre, close);
      document.body.append(box);
    }
    box.querySelector('pre').textContent = text;
  }
})();
