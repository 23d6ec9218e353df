// The audience tab's live count (partners.admin.reach): asks again, a moment after each change of the audience.
(function () {
  const FIELDS = ['min_tier', 'partner_types', 'regions', 'roles'];

  function query(form) {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      for (const field of form.querySelectorAll(`[name="${name}"]`)) {
        if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) continue;
        if (field.value) params.append(name, field.value);
      }
    }
    return params.toString();
  }

  function start(box) {
    const form = box.closest('form');
    if (!form) return;
    let timer = null;
    let asked = 0;
    const refresh = () => {
      const ask = ++asked;
      fetch(`${box.dataset.url}?${query(form)}`, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((html) => { if (ask === asked) box.innerHTML = html; })
        .catch(() => { if (ask === asked) box.textContent = 'The reach of this audience could not be counted.'; });
    };
    form.addEventListener('change', (event) => {
      if (!FIELDS.includes(event.target.name)) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    refresh();
  }

  document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('[data-audience-reach]').forEach(start));
})();
