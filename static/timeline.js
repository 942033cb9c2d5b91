// The timeline page's own behaviour, besides the filter (filter.js): on a
// phone a long introduction shows its first lines and a button for the
// rest, so the timeline starts on the first screen or near it; and the
// year bar marks the year being read (aria-current) and keeps it in view
// as the page scrolls. It reads the page's ids and its data-l-more words,
// and nothing else.
(function () {
  var intro = document.getElementById('intro');
  if (!intro || !window.matchMedia || !matchMedia('(max-width: 40rem)').matches) return;
  var line = parseFloat(getComputedStyle(intro).lineHeight) || 24;
  if (intro.scrollHeight <= line * 6) return;
  intro.classList.add('clamped');
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'intro-more';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'intro');
  button.textContent = intro.getAttribute('data-l-more');
  button.addEventListener('click', function () {
    intro.classList.remove('clamped');
    button.remove();
    intro.focus();
  });
  intro.setAttribute('tabindex', '-1');
  intro.after(button);
})();
(function () {
  var bar = document.getElementById('years');
  var links = bar ? bar.querySelectorAll('a[href^="#"]') : [];
  if (!links.length || !window.requestAnimationFrame) return;
  var pending = false;
  function mark() {
    pending = false;
    var edge = bar.getBoundingClientRect().bottom + 8;
    var current = null;
    for (var i = 0; i < links.length; i++) {
      var heading = document.getElementById(links[i].getAttribute('href').slice(1));
      var section = heading && heading.closest('section');
      if (section && section.getBoundingClientRect().top <= edge) {
        if (!current || section.getBoundingClientRect().top > current.top) current = { link: links[i], top: section.getBoundingClientRect().top };
      }
    }
    for (var j = 0; j < links.length; j++) {
      if (current && links[j] === current.link) links[j].setAttribute('aria-current', 'true');
      else links[j].removeAttribute('aria-current');
    }
    if (current) {
      var list = bar.querySelector('ul');
      var l = current.link.getBoundingClientRect(), b = list.getBoundingClientRect();
      if (l.left < b.left || l.right > b.right) list.scrollLeft += l.left - b.left - (b.width - l.width) / 2;
    }
  }
  window.addEventListener('scroll', function () { if (!pending) { pending = true; requestAnimationFrame(mark); } }, { passive: true });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mark);
  else mark();
})();
