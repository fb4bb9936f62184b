// The assistant's page: a source link cited at a plan's passage gets its text fragment ("#p-3:~:text=…"), which scrolls
// to the cited sentence and highlights it. Must not touch links of a browser that does not read text fragments: there
// the fragment would hide the passage's own anchor, and the plain "#p-3" keeps the passage highlighted.
(function () {
  'use strict';
  if (!('fragmentDirective' in document)) return;
  var links = document.querySelectorAll('a[data-text-fragment]');
  for (var i = 0; i < links.length; i++) {
    var href = links[i].getAttribute('href');
    if (href.indexOf('#') >= 0 && href.indexOf(':~:') < 0) links[i].setAttribute('href', href + ':~:' + links[i].getAttribute('data-text-fragment'));
  }
})();
