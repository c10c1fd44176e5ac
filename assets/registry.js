/* razem: the registry's pages (loaded by the new-person form and the person card)
 *
 * Every page works without this file. It only:
 *  1. on the new-person form, asks GET /api/v1/persons/candidates while
 *     the user types a PESEL, or names and a date of birth, and lists the
 *     persons of the institution that may be the same one (links open
 *     them) in the live region the server wrote (#candidates); the server
 *     checks again when the form is sent, with or without this script;
 *  2. on the person card, shows a "Print" button.
 * No inline handlers, no eval: complies with "script-src 'self'".
 */
(function () {
	'use strict';

	/* ---- 1. Live look-up of likely existing records ---------------------- */

	function initLookup() {
		var box = document.getElementById('candidates');
		var form = box && box.closest ? box.closest('form') : null;
		var timer = null, last = '', seq = 0;

		if (!box || !form || !window.fetch || !window.URLSearchParams)
			return;

		function val(name) {
			var el = form.elements[name];

			return el ? el.value.trim() : '';
		}

		function query() {
			var p = new URLSearchParams();
			var pesel = val('pesel').replace(/\s+/g, '');
			var birth = val('birth_date');

			if (/^\d{11}$/.test(pesel))
				p.set('pesel', pesel);
			if (val('surname') && val('first_names') && /^\d{4}-\d{2}-\d{2}$/.test(birth)) {
				p.set('surname', val('surname'));
				p.set('first_names', val('first_names'));
				p.set('birth_date', birth);
			}
			return p.toString();
		}

		/* day() shows YYYY-MM-DD as the pages do: DD.MM.RRRR in Polish */
		function day(d) {
			var lang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
			var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');

			return m && lang.indexOf('pl') === 0 ? m[3] + '.' + m[2] + '.' + m[1] : d;
		}

		function show(items) {
			var h, ul, i;

			while (box.firstChild)
				box.removeChild(box.firstChild);
			if (!items || items.length === 0)
				return;
			box.className = 'candidates notice info';
			h = document.createElement('strong');
			h.textContent = box.getAttribute('data-title');
			box.appendChild(h);
			ul = document.createElement('ul');
			for (i = 0; i < items.length; i++) {
				var it = items[i], li = document.createElement('li'), a = document.createElement('a');
				var bits = [it.pesel, day(it.birth_date), it.town].filter(function (x) { return !!x; });

				a.href = '/persons/' + it.id;
				a.textContent = (it.first_names || '') + ' ' + (it.surname || '');
				li.appendChild(a);
				if (bits.length)
					li.appendChild(document.createTextNode(' — ' + bits.join(', ')));
				ul.appendChild(li);
			}
			box.appendChild(ul);
		}

		function lookup() {
			var q = query(), mine;

			if (q === last)
				return;
			last = q;
			if (q === '') {
				show([]);
				return;
			}
			mine = ++seq;
			fetch(box.getAttribute('data-lookup') + '?' + q, {
				credentials: 'same-origin',
				headers: { accept: 'application/json' }
			}).then(function (r) {
				return r.ok ? r.json() : { items: [] };
			}).then(function (j) {
				if (mine === seq) /* an older answer arriving late is not shown */
					show(j.items);
			}).catch(function () { /* the server checks again on submit */ });
		}

		form.addEventListener('input', function (ev) {
			var n = ev.target && ev.target.name;

			if (n !== 'pesel' && n !== 'surname' && n !== 'first_names' && n !== 'birth_date')
				return;
			clearTimeout(timer);
			timer = setTimeout(lookup, 350);
		});
		lookup();
	}

	/* ---- 2. Print button on the person card ------------------------------ */

	function initPrint() {
		var spots = document.querySelectorAll('[data-print]');
		var i;

		for (i = 0; i < spots.length; i++) {
			var b = document.createElement('button');

			b.type = 'button';
			b.className = 'btn primary';
			b.textContent = spots[i].getAttribute('data-print');
			b.addEventListener('click', function () { window.print(); });
			spots[i].appendChild(b);
		}
	}

	function init() {
		initLookup();
		initPrint();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
}());
