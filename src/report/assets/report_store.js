// storyclust HTML report from a story store: adds to each story row the
// first and last time the store saw the story (the adds that made and last
// changed it), from the "seen" JSON element. report.js builds the rows as
// the list is filtered and paged, so rows are marked as they are added.
// Text is only ever set with textContent.
(function () {
  'use strict';
  var seen = JSON.parse(document.getElementById('seen').textContent);
  var list = document.getElementById('stories');

  function time(t) {
    return t.replace('T', ' ').replace('Z', ' UTC');
  }

  function mark(li) {
    var times = Object.prototype.hasOwnProperty.call(seen, li.id) ? seen[li.id] : null;
    var meta = li.querySelector ? li.querySelector('.meta') : null;
    if (!times || !meta || meta.querySelector('.seen')) return;
    var span = document.createElement('span');
    span.className = 'dates seen';
    span.title = 'first and last time an add changed this story';
    span.textContent = 'seen by the store ' + time(times[0]) +
      (times[1] !== times[0] ? ' to ' + time(times[1]) : '');
    meta.append(span);
  }

  Array.prototype.forEach.call(list.children, mark);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, mark);
    });
  }).observe(list, { childList: true });
})();
