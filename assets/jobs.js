/* razem: live progress of a background job (the page at /jobs/{id})
 *
 * Without JavaScript the page reloads itself every two seconds while the
 * job runs (a meta refresh inside <noscript>). With it, the bar follows
 * GET /api/v1/jobs/{id} every second, and the page is reloaded once when
 * the job ends, so the server renders the download link or the reason
 * for a failure. No inline script: complies with "script-src 'self'".
 */
(function () {
	'use strict';

	var box = document.querySelector('.job-progress[data-job]');
	var ended = { done: 1, failed: 1, cancelled: 1 };
	var timer;

	if (!box || ended[box.getAttribute('data-state')] || !window.fetch)
		return;

	var id = box.getAttribute('data-job');
	var bar = document.getElementById('job-bar');
	var count = box.querySelector('.job-count');
	var state = document.getElementById('job-state');

	function group(n) {
		return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
	}

	function show(j) {
		if (j.total > 0) {
			bar.max = j.total;
			bar.value = j.done;
			bar.textContent = Math.floor(j.done * 100 / j.total) + '%';
		}
		if (count)
			count.textContent = count.textContent.replace(/^[\d\s\u00a0,]+(\D+)[\d\s\u00a0,]+$/,
				group(j.done) + '$1' + group(j.total));
		if (state && j.state_label)
			state.textContent = j.state_label;
	}

	function poll() {
		fetch('/api/v1/jobs/' + encodeURIComponent(id), { credentials: 'same-origin',
			headers: { Accept: 'application/json' } })
			.then(function (r) { return r.ok ? r.json() : null; })
			.then(function (j) {
				if (!j) {
					clearInterval(timer);
					return;
				}
				show(j);
				if (ended[j.state]) {
					clearInterval(timer);
					window.location.reload();
				}
			})
			.catch(function () { clearInterval(timer); });
	}

	timer = setInterval(poll, 1000);
}());
