// storyclust HTML report: the storylines (stories of one developing topic
// over months or years), from the "storylines" JSON element. Lists each
// storyline of two or more stories above the story list, with a timeline
// (a dot per story, placed by its first date) and its stories in time
// order, each a link to its row; and marks each story row with its
// storyline as report.js builds the rows. Text is only ever set with
// textContent.
(function () {
  'use strict';
  var lines = JSON.parse(document.getElementById('storylines').textContent);
  var list = document.getElementById('stories');
  var lineOf = {};
  lines.forEach(function (line) {
    line.s.forEach(function (s) { lineOf[s[0]] = line; });
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function day(d) {
    var t = Date.parse(d);
    return isNaN(t) ? null : t;
  }

  function timeline(line) {
    var bar = el('div', 'timeline');
    var times = line.s.map(function (s) { return day(s[1]); });
    var known = times.filter(function (t) { return t !== null; });
    if (known.length === 0) return bar;
    var lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
    line.s.forEach(function (s, i) {
      if (times[i] === null) return;
      var dot = el('a', 'tl-dot');
      dot.href = '#' + encodeURIComponent(s[0]);
      dot.title = s[0] + ' · ' + s[1] + ' · ' + s[3];
      dot.style.left = (hi > lo ? (times[i] - lo) / (hi - lo) * 100 : 50) + '%';
      bar.append(dot);
    });
    return bar;
  }

  var section = el('section', 'storylines');
  var shown = lines.filter(function (line) { return line.s.length > 1; });
  if (shown.length > 0) {
    section.append(el('h2', null, 'Storylines'));
    var details = el('details');
    details.append(el('summary', null, shown.length + (shown.length === 1 ? ' storyline' : ' storylines') +
      ' of two or more stories'));
    shown.forEach(function (line) {
      var box = el('div', 'storyline');
      box.id = line.id;
      var head = el('p', 'sl-head');
      head.append(el('b', null, line.id), document.createTextNode(' · ' + line.s.length + ' stories · ' +
        line.n + ' articles' + (line.d ? ' · ' + line.d : '')));
      box.append(head, timeline(line));
      var ol = el('ol', 'sl-stories');
      line.s.forEach(function (s) {
        var li = el('li');
        var a = el('a', null, s[0]);
        a.href = '#' + encodeURIComponent(s[0]);
        li.append(a, el('span', 'dates', ' ' + (s[1] || 'undated') + ' '), document.createTextNode(s[3]));
        ol.append(li);
      });
      box.append(ol);
      details.append(box);
    });
    section.append(details);
    list.parentNode.insertBefore(section, list);
  }

  function mark(li) {
    var line = li.id ? lineOf[li.id] : null;
    var meta = li.querySelector ? li.querySelector('.meta') : null;
    if (!line || line.s.length < 2 || !meta || meta.querySelector('.sl-mark')) return;
    var a = el('a', 'sl-mark', 'storyline ' + line.id + ' (' + line.s.length + ' stories)');
    a.href = '#' + encodeURIComponent(line.id);
    a.addEventListener('click', function (e) {
      e.preventDefault();
      section.querySelector('details').open = true;
      document.getElementById(line.id).scrollIntoView({ block: 'start' });
    });
    meta.append(a);
  }

  Array.prototype.forEach.call(list.children, mark);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, mark);
    });
  }).observe(list, { childList: true });
})();
