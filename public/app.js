// Progressive enhancement only: every page works without JavaScript.
document.addEventListener('DOMContentLoaded', function () {
  // Company picker: show the chosen company straight away.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () {
      document.body.classList.add('is-loading');
      select.form.submit();
    });
  });
  // Any form or link that loads a slow page shows the loading indicator.
  document.querySelectorAll('form[data-loading], a[data-loading]').forEach(function (element) {
    element.addEventListener(element.tagName === 'FORM' ? 'submit' : 'click', function () {
      document.body.classList.add('is-loading');
    });
  });
});
