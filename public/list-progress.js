// A list still loading: keeps "2,300 of 10,000 loaded" up to date in place, then, once every
// project is in, swaps in the complete listing. Without scripts the page reloads itself instead.
document.addEventListener('DOMContentLoaded', function () {
  var line = document.getElementById('list-progress');
  var count = document.getElementById('list-progress-count');
  if (!line || !count || !window.fetch) return;
  var href = line.getAttribute('data-progress-href');
  var number = function (value) {
    return Number(value).toLocaleString('en-US');
  };
  var finish = function () {
    // The same address again: now the whole list (or, if the load failed, the page that says so).
    window
      .fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, 'text/html');
          var listing = page.getElementById('project-listing');
          var current = document.getElementById('project-listing');
          if (!response.ok || !listing || !current || page.getElementById('list-progress')) {
            window.location.reload();
            return;
          }
          current.replaceWith(document.importNode(listing, true));
          var freshness = page.querySelector('.freshness');
          var oldFreshness = document.querySelector('.freshness');
          if (freshness && oldFreshness) oldFreshness.replaceWith(document.importNode(freshness, true));
          line.classList.add('is-complete');
          line.textContent = 'Every project is in: the list is complete.';
        });
      })
      .catch(function () {
        window.location.reload();
      });
  };
  var poll = function () {
    window
      .fetch(href, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('progress ' + response.status);
        return response.json();
      })
      .then(function (progress) {
        if (progress.state !== 'loading') {
          finish();
          return;
        }
        count.textContent =
          number(progress.loaded) +
          (progress.total === undefined || progress.total === null ? '' : ' of ' + number(progress.total)) +
          ' loaded';
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  };
  window.setTimeout(poll, 1000);
});
