// Keeps what an official typed in this browser until the server has it, so a lost connection on a phone loses
// nothing: saved on every change, offered back on the next visit, cleared once the server confirms a save.
(function () {
  var form = document.querySelector('form.report-form');
  if (!form) return;
  // "dùng số này": the figure the guidance log suggests goes into its field, as if typed (so the draft keeps it).
  form.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-fill]');
    var input = b && document.getElementById(b.getAttribute('data-fill'));
    if (!input || input.readOnly) return;
    input.value = b.getAttribute('data-value');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.focus();
  });
  if (!window.localStorage) return;
  var key = form.getAttribute('data-draft-key'), note = form.querySelector('.draft-note');
  if (form.getAttribute('data-saved')) { localStorage.removeItem(key); return; }
  var fields = form.querySelectorAll('[name^="v."], [name="comment"]');
  function collect() {
    var o = {};
    for (var i = 0; i < fields.length; i++) o[fields[i].name] = fields[i].value;
    return o;
  }
  var initial = JSON.stringify(collect());
  var kept = localStorage.getItem(key);
  if (kept && kept !== initial) {
    try {
      var v = JSON.parse(kept);
      for (var i = 0; i < fields.length; i++) if (fields[i].name in v && !fields[i].readOnly) fields[i].value = v[fields[i].name];
      note.textContent = 'Đã khôi phục số liệu bạn nhập dở trên máy này (chưa gửi lên máy chủ).';
      note.hidden = false;
    } catch (e) { localStorage.removeItem(key); }
  }
  form.addEventListener('input', function () { localStorage.setItem(key, JSON.stringify(collect())); });
  form.addEventListener('change', function () { localStorage.setItem(key, JSON.stringify(collect())); });
})();
