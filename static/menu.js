/* The phone menu button: opens and closes the main menu in place and keeps aria-expanded true to what is shown.
 * Must not be needed: without it the button is a link to #menu, which the stylesheet opens with :target. */
(function () {
  var btn = document.querySelector('.menu-btn'), nav = document.getElementById('menu');
  if (!btn || !nav) return;
  function set(open) {
    nav.classList.toggle('open', open);
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  btn.addEventListener('click', function (e) {
    e.preventDefault();
    set(!nav.classList.contains('open'));
  });
  var close = nav.querySelector('.menu-close');
  if (close) close.addEventListener('click', function (e) { e.preventDefault(); set(false); btn.focus(); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && nav.classList.contains('open')) { set(false); btn.focus(); }
  });
  // A page opened at #menu (no script had run yet) starts with the menu open: say so.
  if (location.hash === '#menu') set(true);
})();
