// chronicle's filter for the timeline and term pages: a progressive
// enhancement. Without JavaScript the page's `#filter` holds links to the
// participants, places, tags and series; with it, this script replaces them
// with a form that filters the listing's entries by participant, place, tag,
// series, kind and status.
//
// - Filters of different kinds must all match (AND); several kinds or
//   statuses ticked match any of them (OR). A term is chosen one at a time.
// - The state is the page's query (`?participant=fumio-kishida&status=held`):
//   each change is a new history entry (consecutive changes of one select,
//   as its arrow keys make them, are one), back and forward restore it, and
//   a link with the query opens the same view.
// - The entries on the page carry their terms, kind and status in `data-`
//   attributes. A listing split into pages is filtered on this page, and the
//   matches on its other pages are counted from `filter-index.json` (every
//   entry's terms, kind and status, in chronological order, and how many
//   entries each page of each listing holds), with a link to each page that
//   has some, carrying the query.
// - The number shown is announced through a polite live region.
//
// Plain ES2017, no dependencies, nothing fetched but the site's own index;
// no inline script or style, so a strict Content-Security-Policy allows it.
(() => {
  'use strict';

  const root = document.getElementById('filter');
  if (!root || !root.dataset.index || !window.fetch || !window.URLSearchParams) return;

  const el = (tag, attributes = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  };
  // The words, in the page's language, from the template (data-l-*
  // attributes); a blank such as {n} is filled here. English if absent
  // (a site's own template from before).
  const words = {
    any: 'Any', kind: 'Kind', status: 'Status', form: 'Filter the entries', showAll: 'Show all',
    moreHeading: 'Matching entries on other pages:', allShown: 'All {entries} shown.',
    allShownPage: 'All {entries} on this page shown.', someShown: '{shown} of {entries} shown.',
    someShownPage: '{shown} of {entries} on this page shown; {more}.',
    moreElsewhere: '{n} more on other pages', noneElsewhere: 'none on other pages',
    entriesOne: '{n} entry', entriesOther: '{n} entries',
  };
  for (const [name, value] of Object.entries(root.dataset)) {
    if (/^l[A-Z]/.test(name)) words[name[1].toLowerCase() + name.slice(2)] = value;
  }
  const fill = (text, blanks) => text.replace(/\{(\w+)\}/g, (all, name) => (name in blanks ? String(blanks[name]) : all));
  const rules = new Intl.PluralRules(document.documentElement.lang || 'en');
  const form = (n) => rules.select(n);
  const entries = (n) => {
    const key = `entries${form(n)[0].toUpperCase()}${form(n).slice(1)}`;
    return fill(words[key] || words.entriesOther, { n });
  };

  /** Chronological positions of the listing's entries in the index. */
  function listingRows(index) {
    const all = index.kind.map((_, i) => i);
    const taxonomy = index.taxonomies.find((t) => t.key === root.dataset.taxonomy);
    if (!taxonomy) return all;
    const term = taxonomy.terms.findIndex(([slug]) => slug === root.dataset.term);
    return all.filter((i) => taxonomy.entries[i].includes(term));
  }

  /** How many entries each page of this listing holds, in chronological order. */
  function pageSizes(index) {
    if (!root.dataset.taxonomy) return index.pages || [];
    const taxonomy = index.taxonomies.find((t) => t.key === root.dataset.taxonomy);
    if (!taxonomy || !taxonomy.pages) return [];
    const term = taxonomy.terms.findIndex(([slug]) => slug === root.dataset.term);
    return taxonomy.pages[term] || [];
  }

  /** The listing's pages (from its page links), each with its rows, or [] when not paginated. */
  function listingPages(index, rows) {
    const links = Array.from(document.querySelectorAll('nav.pagination .pages a'));
    const sizes = pageSizes(index);
    if (sizes.length !== links.length) return [];
    const pages = links.map((a) => ({
      href: a.getAttribute('href'),
      label: a.textContent.trim(),
      current: a.getAttribute('aria-current') === 'page',
    }));
    const chronological = index.descending ? pages.slice().reverse() : pages;
    let next = 0;
    chronological.forEach((page, n) => {
      page.rows = rows.slice(next, next + sizes[n]);
      next += sizes[n];
    });
    // A page list that does not add up to the listing (a template of the
    // site's own, say) is not trusted.
    return next === rows.length && pages.some((p) => p.current) ? pages : [];
  }

  /** The choices the form offers: those the listing's entries have. */
  function choices(index, rows) {
    const used = (column) => new Set(rows.map((i) => column[i]));
    const termsOf = (taxonomy) => {
      const found = new Set();
      for (const i of rows) for (const t of taxonomy.entries[i]) found.add(t);
      const terms = taxonomy.terms
        .map(([slug, name], n) => ({ slug, name, n }))
        .filter((term) => found.has(term.n) && !(taxonomy.key === root.dataset.taxonomy && term.slug === root.dataset.term));
      // One term every entry has (the place of a site with one) filters nothing.
      const all = terms.length === 1 && rows.every((i) => taxonomy.entries[i].includes(terms[0].n));
      return all ? [] : terms;
    };
    const kinds = used(index.kind);
    const statuses = used(index.status);
    return {
      taxonomies: index.taxonomies
        .map((taxonomy) => ({ taxonomy, terms: termsOf(taxonomy) }))
        .filter((t) => t.terms.length > 0),
      // Ticking one of a single choice would change nothing.
      kinds: kinds.size > 1 ? index.kinds.filter((_, n) => kinds.has(n)) : [],
      statuses: statuses.size > 1 ? index.statuses.filter((_, n) => statuses.has(n)) : [],
    };
  }

  function selectField(taxonomy, terms) {
    const id = `filter-${taxonomy.param}`;
    const select = el('select', { id, name: taxonomy.param }, [el('option', { value: '' }, [words.any])]);
    for (const term of terms) select.append(el('option', { value: term.slug }, [term.name]));
    return el('p', { class: 'filter-field' }, [el('label', { for: id }, [taxonomy.singular]), select]);
  }

  function checkboxGroup(name, legend, options) {
    const boxes = options.map((o) =>
      el('label', {}, [el('input', { type: 'checkbox', name, value: o.key }), ` ${o.label}`]),
    );
    return el('fieldset', { class: 'filter-choices' }, [el('legend', {}, [legend]), ...boxes]);
  }

  /**
   * The form, the live status and the list of other pages, in place of the
   * links. The form is in a disclosure, closed unless the page opens
   * filtered: closed, it takes the links' one line, so the entries below
   * (and an entry or year the address points to) do not move when it
   * arrives.
   */
  function buildForm(offered) {
    const fields = offered.taxonomies.map((t) => selectField(t.taxonomy, t.terms));
    if (offered.kinds.length) fields.push(checkboxGroup('kind', words.kind, offered.kinds));
    if (offered.statuses.length) fields.push(checkboxGroup('status', words.status, offered.statuses));
    const form = el('form', { class: 'filter-form', 'aria-label': words.form }, [
      el('div', { class: 'filter-fields' }, fields),
      el('p', { class: 'filter-actions' }, [el('button', { type: 'reset' }, [words.showAll])]),
    ]);
    const details = el('details', { class: 'filter-details' }, [el('summary', {}, [words.form]), form]);
    const status = el('p', { class: 'filter-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const more = el('div', { class: 'filter-more', hidden: '' }, [
      el('p', { id: 'filter-more-heading' }, [words.moreHeading]),
      el('ul', { 'aria-labelledby': 'filter-more-heading' }),
    ]);
    for (const links of root.querySelectorAll('.filter-links')) links.hidden = true;
    root.append(details, status, more);
    return { details, form, status, more };
  }

  /** The state a query asks for, keeping only what the form offers. */
  function readQuery(search, offered) {
    const params = new URLSearchParams(search);
    const state = { terms: {}, kind: [], status: [] };
    for (const { taxonomy, terms } of offered.taxonomies) {
      const slug = params.get(taxonomy.param);
      if (terms.some((t) => t.slug === slug)) state.terms[taxonomy.param] = slug;
    }
    const keep = (name, options) => options.map((o) => o.key).filter((k) => params.getAll(name).includes(k));
    state.kind = keep('kind', offered.kinds);
    state.status = keep('status', offered.statuses);
    return state;
  }

  /** The query for a state, its parameters always in the form's order. */
  function writeQuery(state, offered) {
    const params = new URLSearchParams();
    for (const { taxonomy } of offered.taxonomies) {
      if (state.terms[taxonomy.param]) params.append(taxonomy.param, state.terms[taxonomy.param]);
    }
    for (const k of state.kind) params.append('kind', k);
    for (const s of state.status) params.append('status', s);
    return params.toString();
  }

  function readForm(form, offered) {
    const data = new FormData(form);
    const search = new URLSearchParams();
    for (const [name, value] of data) if (value) search.append(name, value);
    return readQuery(search.toString(), offered);
  }

  function setForm(form, state) {
    for (const select of form.querySelectorAll('select')) select.value = state.terms[select.name] || '';
    for (const box of form.querySelectorAll('input[type=checkbox]')) box.checked = state[box.name].includes(box.value);
  }

  const isEmpty = (state) => !Object.keys(state.terms).length && !state.kind.length && !state.status.length;

  /** Whether an entry on the page matches, by its data- attributes. */
  function entryMatches(li, state, offered) {
    return (
      offered.taxonomies.every(({ taxonomy }) => {
        const slug = state.terms[taxonomy.param];
        return !slug || (li.dataset[taxonomy.key] || '').split(' ').includes(slug);
      }) &&
      (!state.kind.length || state.kind.includes(li.dataset.kind)) &&
      (!state.status.length || state.status.includes(li.dataset.status))
    );
  }

  /** Whether entry `i` of the index matches. */
  function rowMatches(index, i, state, offered) {
    return (
      offered.taxonomies.every(({ taxonomy, terms }) => {
        const slug = state.terms[taxonomy.param];
        return !slug || taxonomy.entries[i].includes(terms.find((t) => t.slug === slug).n);
      }) &&
      (!state.kind.length || state.kind.includes(index.kinds[index.kind[i]].key)) &&
      (!state.status.length || state.status.includes(index.statuses[index.status[i]].key))
    );
  }

  /** Shows the matching entries of this page; returns how many of how many. */
  function filterPage(state, offered) {
    const entries = Array.from(document.querySelectorAll('main li.entry'));
    let shown = 0;
    for (const li of entries) {
      li.hidden = !entryMatches(li, state, offered);
      if (!li.hidden) shown += 1;
    }
    for (const section of document.querySelectorAll('main section.year')) {
      section.hidden = !section.querySelector('li.entry:not([hidden])');
    }
    return { shown, total: entries.length };
  }

  /** Lists the other pages with matches, each linked with the query. */
  function showOtherPages(ui, index, pages, state, offered, query) {
    const list = ui.more.querySelector('ul');
    list.replaceChildren();
    let count = 0;
    if (!isEmpty(state)) {
      for (const page of pages.filter((p) => !p.current)) {
        const n = page.rows.filter((i) => rowMatches(index, i, state, offered)).length;
        if (!n) continue;
        count += n;
        const link = el('a', { href: `${page.href}?${query}` }, [page.label]);
        list.append(el('li', {}, [link, `: ${entries(n)}`]));
      }
    }
    ui.more.hidden = count === 0;
    return count;
  }

  function announce(ui, state, onPage, elsewhere, paginated) {
    if (isEmpty(state)) {
      const all = { entries: entries(onPage.total) };
      ui.status.textContent = fill(paginated ? words.allShownPage : words.allShown, all);
    } else if (paginated) {
      const more = elsewhere ? fill(words.moreElsewhere, { n: elsewhere }) : words.noneElsewhere;
      const blanks = { shown: onPage.shown, entries: entries(onPage.total), more };
      ui.status.textContent = fill(words.someShownPage, blanks);
    } else {
      ui.status.textContent = fill(words.someShown, { shown: onPage.shown, entries: entries(onPage.total) });
    }
  }

  function start(index) {
    const rows = listingRows(index);
    const pages = listingPages(index, rows);
    const offered = choices(index, rows);
    if (!offered.taxonomies.length && !offered.kinds.length && !offered.statuses.length) return;
    const ui = buildForm(offered);
    let current = null;
    let lastControl = null;

    const render = (state, { quiet = false } = {}) => {
      const query = writeQuery(state, offered);
      if (query === current) return query;
      current = query;
      setForm(ui.form, state);
      if (!isEmpty(state)) ui.details.open = true;
      const onPage = filterPage(state, offered);
      const elsewhere = showOtherPages(ui, index, pages, state, offered, query);
      if (quiet && isEmpty(state)) ui.status.textContent = '';
      else announce(ui, state, onPage, elsewhere, pages.length > 0);
      return query;
    };

    const commit = (state, control) => {
      const before = current;
      const query = render(state);
      if (query === before) return;
      const url = `${location.pathname}${query ? `?${query}` : ''}`;
      // Arrow keys in a closed select change it once a press: one entry.
      if (control && control === lastControl && control.tagName === 'SELECT') {
        history.replaceState({ filter: query }, '', url);
      } else {
        history.pushState({ filter: query }, '', url);
      }
      lastControl = control;
    };

    ui.form.addEventListener('change', (event) => commit(readForm(ui.form, offered), event.target));
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      commit(readForm(ui.form, offered), null);
    });
    ui.form.addEventListener('reset', (event) => {
      event.preventDefault();
      commit({ terms: {}, kind: [], status: [] }, null);
    });
    window.addEventListener('popstate', () => {
      lastControl = null;
      render(readQuery(location.search, offered));
    });
    render(readQuery(location.search, offered), { quiet: true });
  }

  fetch(root.dataset.index, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
    // Without the index the links stay: the page works as it does without
    // JavaScript. (An error in the script itself is not swallowed.)
    .then(start, () => {});
})();
