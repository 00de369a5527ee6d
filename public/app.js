// Progressive enhancement only: every page works without JavaScript.
document.documentElement.classList.add('js');
document.addEventListener('DOMContentLoaded', function () {
  // Company picker: choosing (arrow keys, typing) changes nothing; Enter or the Show button does
  // (WCAG 3.2.2: no change of context on input).
  document.querySelectorAll('select[data-submit-on-enter]').forEach(function (select) {
    select.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || !select.form) return;
      event.preventDefault();
      select.form.requestSubmit();
    });
  });
  // A search field that stops taking characters says so at once (maxlength cuts typing silently).
  document.querySelectorAll('input[maxlength][aria-describedby]').forEach(function (input) {
    var hint = document.getElementById(input.getAttribute('aria-describedby'));
    if (!hint || !hint.hasAttribute('data-limit-hint')) return;
    var usual = hint.textContent;
    var check = function () {
      var full = input.value.length >= input.maxLength;
      hint.classList.toggle('is-at-limit', full);
      hint.textContent = full ? 'limit reached: ' + input.maxLength + ' characters, the rest is cut' : usual;
    };
    input.addEventListener('input', check);
    check();
  });
  // Any form or link that loads a slow page shows the loading indicator.
  document.querySelectorAll('form[data-loading], a[data-loading]').forEach(function (element) {
    element.addEventListener(element.tagName === 'FORM' ? 'submit' : 'click', function () {
      document.body.classList.add('is-loading');
    });
  });
  // The page may come back from the back/forward cache: no stale spinner then.
  window.addEventListener('pageshow', function () {
    document.body.classList.remove('is-loading');
  });
  // Times the server could only write in UTC: in the reader's own time zone, named, in the server's
  // format ("6 Dec 2026, 14:25 CET"; with seconds where the server wrote them).
  document.querySelectorAll('time[data-local]').forEach(function (time) {
    var at = new Date(time.getAttribute('datetime'));
    if (isNaN(at.getTime())) return;
    var format = {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    };
    if (/\d:\d\d:\d\d/.test(time.textContent)) format.second = '2-digit';
    time.textContent = at.toLocaleString('en-GB', format);
  });
  // "Updated 12 seconds ago" keeps counting while the page stays open.
  var ages = document.querySelectorAll('time[data-age]');
  if (ages.length > 0) {
    var describe = function (ms) {
      var seconds = Math.max(0, Math.round(ms / 1000));
      if (seconds < 5) return 'just now';
      if (seconds < 60) return seconds + ' seconds ago';
      var minutes = Math.floor(seconds / 60);
      if (minutes < 60) return minutes + (minutes === 1 ? ' minute ago' : ' minutes ago');
      var hours = Math.floor(minutes / 60);
      if (hours < 48) return hours + (hours === 1 ? ' hour ago' : ' hours ago');
      var days = Math.floor(hours / 24);
      return days + (days === 1 ? ' day ago' : ' days ago');
    };
    window.setInterval(function () {
      ages.forEach(function (time) {
        var at = Date.parse(time.getAttribute('datetime'));
        if (!isNaN(at)) time.textContent = describe(Date.now() - at);
      });
    }, 15000);
  }
});
