// The countdown of a knowledge contest's round: shows the seconds the server said were left when it served the page
// and submits the form when they run out. Must not decide anything: the server keeps the time and scores late answers.
(function () {
  var box = document.querySelector('.qc-timer');
  var form = document.querySelector('.qc-form');
  if (!box || !form) return;
  var clock = box.querySelector('.qc-clock');
  var end = Date.now() + parseInt(box.getAttribute('data-seconds-left'), 10) * 1000;
  var sent = false;
  form.addEventListener('submit', function () { sent = true; });
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ':' + (s < 10 ? '0' : '') + s;
    box.classList.toggle('qc-low', left <= 30);
    if (left === 0) {
      if (!sent) { sent = true; if (form.requestSubmit) form.requestSubmit(); else form.submit(); }
      return;
    }
    setTimeout(tick, 250);
  }
  tick();
})();
