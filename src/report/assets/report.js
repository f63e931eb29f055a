// storyclust HTML report: lists the stories from the JSON index, filters
// them as you type, and builds a story's article columns from its own JSON
// element only when it is opened. Text is only ever set with textContent.
(function () {
  'use strict';
  var PAGE = 200;
  var index = JSON.parse(document.getElementById('index').textContent);
  var list = document.getElementById('stories');
  var query = document.getElementById('q');
  var multi = document.getElementById('multi');
  var count = document.getElementById('count');
  var more = document.getElementById('more');
  var moreButton = document.getElementById('more-button');
  var matches = index;
  var limit = PAGE;
  var KINDS = {
    name: 'name', place: 'place', organisation: 'organisation',
    number: 'number', date: 'date', quote: 'quote'
  };

  index.forEach(function (s) {
    s.q = [s.id, s.h].concat(s.src, s.nosrc, s.t).join('\n').toLowerCase();
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  // Outlet chips of a story row: the first few, then "+N more".
  function sourceChips(s) {
    var box = el('span', 'sources');
    var shown = 0;
    s.src.slice(0, 6).forEach(function (name) {
      box.append(el('span', 'src', name));
      shown++;
    });
    if (s.src.length > 6) box.append(el('span', 'src extra', '+' + (s.src.length - 6) + ' more'));
    if (s.nosrc.length > 0 && s.nosrc.length <= 2) {
      s.nosrc.forEach(function (id) {
        var chip = el('span', 'src none', id);
        chip.title = 'no source found for this article';
        chip.append(el('small', null, ' no source'));
        box.append(chip);
      });
    } else if (s.nosrc.length > 2) {
      box.append(el('span', 'src none', s.nosrc.length + ' without source'));
    }
    return box;
  }

  function row(s) {
    var li = el('li', 'story');
    li.id = s.id;
    var details = el('details');
    var summary = el('summary');
    var size = el('span', 'size' + (s.n > 1 ? ' multi' : ''));
    size.append(el('b', null, s.n), el('small', null, s.n === 1 ? 'article' : 'articles'));
    var main = el('span', 'main');
    main.append(el('span', 'headline', s.h || '(no headline)'));
    var meta = el('span', 'meta');
    meta.append(sourceChips(s), el('span', 'dates', s.d));
    if (s.dups > 0) meta.append(el('span', 'dupcount', plural(s.dups, 'duplicate group', 'duplicate groups')));
    main.append(meta);
    summary.append(size, main, el('span', 'sid', s.id));
    details.append(summary, el('div', 'story-body'));
    details.addEventListener('toggle', function () {
      if (details.open) {
        fill(li, s);
        if (window.location.hash !== '#' + s.id && window.history.replaceState) {
          window.history.replaceState(null, '', '#' + s.id);
        }
      }
    });
    li.append(details);
    return li;
  }

  function render() {
    var rows = document.createDocumentFragment();
    matches.slice(0, limit).forEach(function (s) { rows.append(row(s)); });
    list.replaceChildren(rows);
    count.textContent = matches.length === index.length
      ? plural(index.length, 'story', 'stories')
      : matches.length + ' of ' + plural(index.length, 'story', 'stories');
    more.hidden = matches.length <= limit;
    moreButton.textContent = 'Show ' + Math.min(PAGE, matches.length - limit) + ' more of ' +
      (matches.length - limit);
  }

  function filter() {
    var terms = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    var onlyMulti = multi.checked;
    matches = index.filter(function (s) {
      if (onlyMulti && s.n < 2) return false;
      return terms.every(function (t) { return s.q.indexOf(t) >= 0; });
    });
    limit = PAGE;
    render();
  }

  // Builds the article columns of a story the first time it is opened.
  function fill(li, s) {
    var body = li.querySelector('.story-body');
    if (body.dataset.filled) return;
    body.dataset.filled = '1';
    var data = JSON.parse(document.getElementById('data-' + s.id).textContent);
    var labels = {};
    data.articles.forEach(function (a) { labels[a.id] = a.src ? a.src + ' (' + a.id + ')' : a.id; });

    var notes = el('div', 'notes');
    if (data.articles.length < 2) {
      notes.append(el('p', 'note', 'A single article: nothing to compare.'));
    } else if (!data.compared) {
      notes.append(el('p', 'note', 'The articles were not compared (--no-differences).'));
    } else {
      var line = el('p', 'note');
      var unique = data.articles.reduce(function (n, a) { return n + a.nu; }, 0);
      line.append(el('b', null, plural(data.points.length, 'point', 'points')),
        ' shared by two or more articles \u00b7 ', el('b', null, unique),
        ' unique ' + (unique === 1 ? 'sentence' : 'sentences') + ' across ' +
        plural(data.articles.length, 'article', 'articles') + '. Hover a grey sentence to see it in the other columns.');
      notes.append(line);
    }
    if (data.names.length) {
      var names = el('div', 'names');
      names.append(el('span', 'label', 'Names spelled differently'));
      data.names.forEach(function (n) {
        var item = el('span', 'variant');
        item.append(el('b', null, n[1].map(function (sp) { return sp[0]; }).join(' / ')));
        item.append(' (' + n[1].map(function (sp) {
          var ids = sp[1].length > 3 ? sp[1].slice(0, 3).join(', ') + ' +' + (sp[1].length - 3) : sp[1].join(', ');
          return sp[0] + ': ' + ids;
        }).join('; ') + ')');
        item.title = n[1].map(function (sp) { return sp[0] + ': ' + sp[1].join(', '); }).join('\n');
        names.append(item);
      });
      notes.append(names);
    }
    if (data.copies.length) {
      var all = el('details', 'copies');
      var groups = {};
      data.copies.forEach(function (c) { groups[c.group] = 1; });
      all.append(el('summary', null, 'Edits between near-duplicate copies (' +
        plural(data.copies.length, 'copy', 'copies') + ' in ' +
        plural(Object.keys(groups).length, 'group', 'groups') + ')'));
      data.copies.forEach(function (c) { all.append(copyEdits(c, labels)); });
      notes.append(all);
    }
    body.append(notes);

    var cols = el('div', 'columns' + (data.articles.length > 3 ? ' many' : ''));
    data.articles.forEach(function (a) { cols.append(column(a, data, labels)); });
    body.append(cols);
    cols.addEventListener('mouseover', function (e) { light(cols, e.target, true); });
    cols.addEventListener('mouseout', function (e) { light(cols, e.target, false); });
  }

  function copyEdits(c, labels) {
    var d = el('details', 'copyedits');
    var n = c.added.length + c.removed.length + c.changed.length;
    d.append(el('summary', null, (c.group ? c.group + ': ' : '') + (labels[c.copy] || c.copy) + ' against ' +
      (labels[c.original] || c.original) + ' \u2014 ' + (n === 0 ? 'same sentences' :
        [plural(c.added.length, 'added', 'added'), plural(c.removed.length, 'removed', 'removed'),
          plural(c.changed.length, 'changed', 'changed')].join(', '))));
    var ul = el('ul');
    c.added.forEach(function (t) { ul.append(el('li', 'added', t)); });
    c.removed.forEach(function (t) { ul.append(el('li', 'removed', t)); });
    c.changed.forEach(function (p) {
      var item = el('li', 'changed');
      item.append(el('del', null, p[0]), el('ins', null, p[1]));
      ul.append(item);
    });
    d.append(ul);
    return d;
  }

  // Hovering a shared sentence lights up the same point in the other columns.
  function light(cols, target, on) {
    var span = target.closest ? target.closest('.sent.shared') : null;
    if (!span) return;
    cols.querySelectorAll('.sent.shared[data-point="' + span.dataset.point + '"]').forEach(function (x) {
      x.classList.toggle('lit', on);
    });
  }

  function column(a, data, labels) {
    var col = el('article', 'col');
    col.dataset.id = a.id;
    var head = el('div', 'col-head');
    head.append(a.src ? el('span', 'outlet', a.src) : el('span', 'outlet none', 'no source'));
    head.append(el('span', 'date', a.date || 'undated'));
    if (a.dup) {
      var badge = el('span', 'badge dup', 'copy \u00b7 ' + a.dup);
      badge.title = 'near-duplicate group ' + a.dup;
      head.append(badge);
    }
    if (data.compared && data.articles.length > 1) {
      head.append(el('span', 'nu', a.nu === 0 ? 'nothing unique' : plural(a.nu, 'unique sentence', 'unique sentences')));
    }
    col.append(head);
    var id = a.url ? el('a', 'aid', a.id) : el('span', 'aid', a.id);
    if (a.url && /^https?:/i.test(a.url)) { id.href = a.url; id.rel = 'noopener noreferrer'; }
    col.append(id);
    col.append(el('h3', a.title ? null : 'untitled', a.title || '(no headline)'));

    if (a.facts.length) {
      var facts = el('div', 'facts');
      facts.append(el('span', 'label', 'Only here'));
      a.facts.forEach(function (f) {
        var chip = el('span', 'chip fact fact-' + (KINDS[f[0]] || 'name'), f[1]);
        chip.title = f[0] + ' found in no other article';
        facts.append(chip);
      });
      col.append(facts);
    }
    if (a.omitted.length) {
      var om = el('details', 'omitted');
      om.append(el('summary', null, 'Leaves out ' + plural(a.omitted.length, 'point', 'points') + ' most others report'));
      var ul = el('ul');
      a.omitted.forEach(function (t) { ul.append(el('li', null, t)); });
      om.append(ul);
      col.append(om);
    }

    var text = el('div', 'text');
    a.paras.forEach(function (para) {
      var p = el('p');
      para.forEach(function (seg) {
        var target = p;
        if (seg[0] === 'u' || seg[0] === 's') {
          target = el('span', 'sent ' + (seg[0] === 'u' ? 'unique' : 'shared'));
          if (seg[0] === 's') {
            target.dataset.point = seg[1];
            var others = (data.points[seg[1]] || []).filter(function (x) { return x !== a.id; });
            target.title = 'Also in ' + others.map(function (x) { return labels[x] || x; }).join(', ');
          } else {
            target.title = 'Only in this article';
          }
          p.append(target);
        }
        seg[2].forEach(function (part) {
          if (typeof part === 'string') {
            target.append(part);
          } else {
            var m = el('mark', 'fact fact-' + (KINDS[part[0]] || 'name'), part[1]);
            m.title = part[0] + ' found in no other article';
            target.append(m);
          }
        });
      });
      text.append(p);
    });
    col.append(text);
    return col;
  }

  function openFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var at = -1;
    for (var i = 0; i < index.length; i++) if (index[i].id === id) { at = i; break; }
    if (at < 0) return;
    var li = document.getElementById(id);
    if (!li || !li.classList.contains('story')) {
      // Not listed (filtered out or further down): list it, without
      // building thousands of rows to reach a story far down the list.
      multi.checked = false;
      if (at < 2000) {
        query.value = '';
        filter();
        limit = Math.ceil((at + 1) / PAGE) * PAGE;
        render();
      } else {
        query.value = id;
        filter();
      }
      li = document.getElementById(id);
    }
    var details = li.querySelector('details');
    details.open = true;
    fill(li, index[at]);
    li.scrollIntoView({ block: 'start' });
  }

  var timer = null;
  query.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 60);
  });
  multi.addEventListener('change', filter);
  moreButton.addEventListener('click', function () {
    limit += PAGE;
    render();
  });
  window.addEventListener('hashchange', openFromHash);
  // report.html?q=words starts filtered.
  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    query.value = initial;
    filter();
  } else {
    render();
  }
  openFromHash();
  // Keys (Page Down, arrows) scroll the list.
  document.getElementById('main').focus({ preventScroll: true });
})();
