/* The unit picker: an "Đơn vị" field that suggests units as one types, with or without diacritics (/api/orgs?q=…), and
 * sends the chosen unit's id. Must not be needed: without it the field is plain text, and the server takes a name. */
(function () {
  var n = 0;
  document.querySelectorAll('input.unit-pick').forEach(function (input) {
    var id = 'unit-pick-' + (++n), list = document.createElement('ul'), hidden = document.createElement('input');
    var timer = null, seq = 0;
    list.className = 'unit-list';
    list.id = id;
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    hidden.type = 'hidden';
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute('name');   // the hidden field carries the choice: an id once picked, else what was typed
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-autocomplete', 'list');
    input.parentNode.insertBefore(hidden, input.nextSibling);
    input.parentNode.insertBefore(list, hidden.nextSibling);
    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); }
    function pick(o) {
      input.value = o.name;
      hidden.value = String(o.id);
      close();
    }
    function show(items) {
      list.textContent = '';
      items.forEach(function (o) {
        var li = document.createElement('li'), b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'option');
        b.textContent = o.name;
        if (o.parent_name) {
          var s = document.createElement('span');
          s.className = 'muted';
          s.textContent = ' · ' + o.parent_name;
          b.appendChild(s);
        }
        b.addEventListener('click', function () { pick(o); input.focus(); });
        li.appendChild(b);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
    }
    input.addEventListener('input', function () {
      hidden.value = input.value;
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch('/api/orgs?limit=8&valid=today&q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (d) { if (mine === seq) show(d.items || []); })
          .catch(function () { show([]); });
      }, 200);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') close();
      if (e.key === 'ArrowDown' && !list.hidden) { e.preventDefault(); var b = list.querySelector('button'); if (b) b.focus(); }
    });
    list.addEventListener('keydown', function (e) {
      var li = document.activeElement && document.activeElement.parentNode;
      if (e.key === 'ArrowDown' && li.nextSibling) { e.preventDefault(); li.nextSibling.firstChild.focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); if (li.previousSibling) li.previousSibling.firstChild.focus(); else input.focus(); }
      if (e.key === 'Escape') { close(); input.focus(); }
    });
    document.addEventListener('click', function (e) { if (e.target !== input && !list.contains(e.target)) close(); });
  });
})();
