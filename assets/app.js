/* razem progressive enhancement
 *
 * Every page works without this file. It only:
 *  1. moves focus to the error summary of a form, so screen readers read it,
 *     and makes its links focus the field they name;
 *  2. adds a show/hide button to password fields.
 * Lists are filtered with an explicit button on purpose (no auto-submit).
 * No inline handlers, no eval: complies with the Content-Security-Policy
 * "script-src 'self'" that the server sends.
 */
(function () {
	'use strict';

	var lang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
	var pl = lang === 'pl' || lang.indexOf('pl-') === 0;
	var text = pl
		? { show: 'Pokaż hasło', hide: 'Ukryj hasło' }
		: { show: 'Show password', hide: 'Hide password' };

	/* ---- 1. Error summary ------------------------------------------------ */

	/* fieldFor() is the control to focus for a summary link's target. */
	function fieldFor(target) {
		var tag = target.tagName;

		if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'BUTTON')
			return target;
		/* a group of checkboxes: the fieldset carries the id */
		return target.querySelector('input:not([type="hidden"]), select, textarea');
	}

	function focusField(id) {
		var target = document.getElementById(id);
		var control, field;

		if (!target)
			return false;
		control = fieldFor(target);
		if (!control)
			return false;
		/* show the label and the message above the control, not only the box */
		field = (target.closest && target.closest('.field')) || target;
		if (field.scrollIntoView)
			field.scrollIntoView({ block: 'start' });
		try {
			control.focus({ preventScroll: true });
		} catch (e) {
			control.focus();
		}
		return true;
	}

	function initErrorSummary() {
		var summary = document.querySelector('.error-summary');
		var links, i;

		if (!summary)
			return;
		if (!summary.hasAttribute('tabindex'))
			summary.setAttribute('tabindex', '-1');
		summary.focus();

		links = summary.querySelectorAll('a[href^="#"]');
		for (i = 0; i < links.length; i++) {
			links[i].addEventListener('click', function (ev) {
				var id = decodeURIComponent(this.getAttribute('href').slice(1));

				if (focusField(id))
					ev.preventDefault();
			});
		}
	}

	/* ---- 2. Password show/hide ------------------------------------------- */

	function addToggle(input) {
		var refocus = document.activeElement === input;
		var wrap = document.createElement('span');
		var btn = document.createElement('button');

		if (!input.id || !input.parentNode)
			return;
		wrap.className = 'pw-wrap';
		btn.type = 'button';
		btn.className = 'btn secondary pw-toggle';
		btn.setAttribute('aria-controls', input.id);
		btn.textContent = text.show;

		input.parentNode.insertBefore(wrap, input);
		wrap.appendChild(input);
		wrap.appendChild(btn);
		if (refocus)
			input.focus();

		btn.addEventListener('click', function () {
			var shown = input.type === 'text';

			input.type = shown ? 'password' : 'text';
			btn.textContent = shown ? text.show : text.hide;
		});

		/* never send (or let the browser remember) a password typed in clear */
		if (input.form) {
			input.form.addEventListener('submit', function () {
				input.type = 'password';
				btn.textContent = text.show;
			});
		}
	}

	function initPasswordToggles() {
		var inputs = document.querySelectorAll('input[type="password"]');
		var i;

		for (i = 0; i < inputs.length; i++)
			addToggle(inputs[i]);
	}

	function init() {
		initPasswordToggles();
		initErrorSummary();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
}());
