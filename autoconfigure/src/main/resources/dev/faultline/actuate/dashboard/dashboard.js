// Faultline's dashboard: asks the endpoint for the frames since the last answer every
// second, keeps the window, and draws it with uPlot. The trouble comes first: what is
// suspected or open now, then the charts, then the latest events.
(function () {
	'use strict';
	var framesUrl = location.pathname.replace(/\/+$/, '') + '/frames?since=';
	var frames = [];
	var events = [];
	var seenEvents = {};
	var since = 0;
	var windowMs = 300000;
	var lastAnswer = 0;
	var charts = {};
	var COLORS = { phi: '#0969da', threshold: '#c62828', active: '#0969da', queued: '#8250df', capacity: '#656d76',
		calls: '#1a7f37', circuitOpen: '#c62828', poolFull: '#b35900', partitionFull: '#bf8700', timeLimit: '#8250df',
		error: '#cf222e' };

	function el(tag, attrs, text) {
		var node = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
		if (text !== undefined) { node.textContent = text; }
		return node;
	}

	function time(ms) {
		return new Date(ms).toLocaleTimeString([], { hour12: false });
	}

	function latest() {
		return frames.length ? frames[frames.length - 1] : null;
	}

	function circuitClass(state) {
		return state === 'CLOSED' ? 'ok' : (state === 'HALF_OPEN' ? 'warn' : 'bad');
	}

	// Shades the x ranges where bad(frame) holds: the moments a peer was suspected or a
	// circuit was open, behind the lines.
	function shading(bad) {
		return function (u) {
			var ctx = u.ctx, xs = u.data[0], top = u.bbox.top, height = u.bbox.height;
			ctx.save();
			ctx.fillStyle = 'rgba(198, 40, 40, 0.13)';
			for (var i = 0; i < xs.length; i++) {
				if (!bad[i]) { continue; }
				var left = u.valToPos(xs[i], 'x', true);
				var right = u.valToPos(i + 1 < xs.length ? xs[i + 1] : xs[i] + 1, 'x', true);
				ctx.fillRect(left, top, Math.max(1, right - left), height);
			}
			ctx.restore();
		};
	}

	function chart(key, container, series, data, bad, range) {
		var width = Math.max(300, container.clientWidth - 4);
		var existing = charts[key];
		if (existing && existing.root.isConnected) {
			existing.badRanges = bad;
			existing.setData(data);
			return;
		}
		var opts = {
			width: width, height: 150, legend: { show: true }, cursor: { drag: { x: false, y: false } },
			scales: { x: { time: true }, y: range ? { range: range } : { auto: true } },
			series: [{}].concat(series.map(function (s) { s.points = { show: false }; return s; })),
			axes: [{}, { size: 40 }],
			hooks: { drawClear: [function (u) { shading(u.badRanges || [])(u); }] }
		};
		var u = new uPlot(opts, data, container);
		u.badRanges = bad;
		charts[key] = u;
	}

	function renderTrouble(frame, slice) {
		var trouble = document.getElementById('trouble');
		var items = [];
		Object.keys(frame.instances).forEach(function (key) {
			var r = frame.instances[key];
			if (!r.available) {
				items.push({ text: key + ' is suspected: φ ' + r.phi.toFixed(2) + ' ≥ ' + r.threshold.toFixed(2), kind: 'peer', key: key });
			}
		});
		Object.keys(frame.functions).forEach(function (name) {
			var state = frame.functions[name].circuit;
			if (state !== 'CLOSED') {
				items.push({ text: 'circuit of ' + name + ' is ' + state.replace('_', '-'), kind: 'function', key: name });
			}
		});
		trouble.textContent = '';
		trouble.className = items.length ? 'bad' : 'ok';
		if (!items.length) {
			trouble.textContent = 'All peers available, all circuits closed';
			return;
		}
		trouble.appendChild(document.createTextNode(items.length === 1 ? '1 problem' : items.length + ' problems'));
		var list = el('ul');
		items.forEach(function (item) {
			list.appendChild(el('li', { 'data-trouble': item.kind, 'data-key': item.key }, item.text));
		});
		trouble.appendChild(list);
	}

	function card(container, id, testId) {
		var node = document.getElementById(id);
		if (!node) {
			node = el('div', { id: id, 'class': 'card', 'data-testid': testId });
			node.appendChild(el('h3'));
			node.appendChild(el('div', { 'class': 'url' }));
			node.appendChild(el('div', { 'class': 'plot' }));
			container.appendChild(node);
		}
		return node;
	}

	// Updates the heading in place: a page read while it redraws keeps its elements.
	function heading(node, title, badgeText, badgeClass, figure) {
		var h = node.querySelector('h3');
		if (!h.children.length) {
			h.appendChild(el('span'));
			h.appendChild(el('span', { 'data-testid': 'status' }));
			h.appendChild(el('span', { 'class': 'figure', 'data-testid': 'figure' }));
		}
		h.children[0].textContent = title;
		h.children[1].textContent = badgeText;
		h.children[1].className = 'badge ' + badgeClass;
		h.children[2].textContent = figure;
	}

	function renderPeers(slice, frame, xs) {
		var container = document.getElementById('peers');
		Object.keys(slice.peers).forEach(function (peer) {
			var instances = slice.peers[peer].instances;
			Object.keys(instances).forEach(function (name) {
				var key = peer + '/' + name;
				var now = frame.instances[key];
				if (!now) { return; }
				var node = card(container, 'peer-' + key, 'peer');
				node.setAttribute('data-peer', peer);
				node.setAttribute('data-instance', name);
				node.setAttribute('data-phi', now.phi);
				node.setAttribute('data-threshold', now.threshold);
				node.className = 'card' + (now.available ? '' : ' bad');
				heading(node, peer + ' · ' + name, now.available ? 'AVAILABLE' : 'SUSPECTED', now.available ? 'ok' : 'bad',
					'φ ' + now.phi.toFixed(2) + ' / ' + now.threshold.toFixed(2) + (now.active ? ' · active' : ''));
				node.querySelector('.url').textContent = instances[name];
				var readings = frames.map(function (f) { return f.instances[key] || null; });
				var threshold = now.threshold;
				chart('peer:' + key, node.querySelector('.plot'), [
					{ label: 'φ', stroke: COLORS.phi, width: 2 },
					{ label: 'threshold', stroke: COLORS.threshold, dash: [6, 4] }
				], [xs, readings.map(function (r) { return r ? r.phi : null; }),
					readings.map(function (r) { return r ? r.threshold : null; })],
				readings.map(function (r) { return r !== null && !r.available; }),
				// φ of a dead peer grows without bound: show up to four thresholds.
				function (u, min, max) { return [0, Math.max(threshold * 2, Math.min(max, threshold * 4))]; });
			});
		});
	}

	// A partitioned function's busiest keys: who holds its places now.
	function busiest(layout) {
		if (!layout.partitionShare) { return ''; }
		var keys = Object.keys(layout.busiestKeys);
		return ' · share ' + layout.partitionShare + ' per key' + (keys.length ? ', busiest: ' + keys.map(function (key) {
			return key + ' ' + layout.busiestKeys[key];
		}).join(', ') : '');
	}

	function renderFunctions(slice, frame, xs) {
		var container = document.getElementById('functions');
		Object.keys(slice.functions).forEach(function (name) {
			var layout = slice.functions[name];
			var now = frame.functions[name];
			if (!now) { return; }
			var node = card(container, 'function-' + name, 'function');
			node.setAttribute('data-function', name);
			node.setAttribute('data-circuit', now.circuit);
			node.className = 'card' + (now.circuit === 'CLOSED' ? '' : ' bad');
			heading(node, name, now.circuit.replace('_', '-'), circuitClass(now.circuit),
				now.active + '/' + layout.threads + ' threads · ' + now.queued + '/' + layout.queue + ' queued');
			node.querySelector('.url').textContent = (layout.peer ? 'calls peer ' + layout.peer + ' · ' : '')
				+ 'time limit ' + layout.timeLimitMs + ' ms' + busiest(layout);
			var plot = node.querySelector('.plot');
			if (!plot.children.length) {
				plot.appendChild(el('div', { 'class': 'threads' }));
				plot.appendChild(el('div', { 'class': 'calls' }));
			}
			var readings = frames.map(function (f) { return f.functions[name] || null; });
			var open = readings.map(function (r) { return r !== null && r.circuit !== 'CLOSED'; });
			function column(field) { return readings.map(function (r) { return r ? r[field] : null; }); }
			chart('threads:' + name, plot.querySelector('.threads'), [
				{ label: 'active threads', stroke: COLORS.active, width: 2 },
				{ label: 'queued', stroke: COLORS.queued, width: 2 },
				{ label: 'threads max', stroke: COLORS.capacity, dash: [6, 4] },
				{ label: 'queue capacity', stroke: COLORS.queued, dash: [2, 4] }
			], [xs, column('active'), column('queued'), xs.map(function () { return layout.threads; }),
				xs.map(function () { return layout.queue; })], open, null);
			chart('calls:' + name, plot.querySelector('.calls'), [
				{ label: 'calls/s', stroke: COLORS.calls, width: 2 },
				{ label: 'circuit open', stroke: COLORS.circuitOpen },
				{ label: 'pool full', stroke: COLORS.poolFull },
				{ label: 'partition full', stroke: COLORS.partitionFull },
				{ label: 'time limit', stroke: COLORS.timeLimit },
				{ label: 'error', stroke: COLORS.error, dash: [2, 3] }
			], [xs, column('calls'), column('circuitOpen'), column('poolFull'), column('partitionFull'),
				column('timeLimit'), column('error')],
			open, null);
		});
	}

	function renderEvents() {
		var body = document.getElementById('events');
		body.textContent = '';
		if (!events.length) {
			var row = el('tr');
			row.appendChild(el('td', { colspan: '4', 'class': 'empty' }, 'nothing has happened yet'));
			body.appendChild(row);
			return;
		}
		events.slice(0, 30).forEach(function (event) {
			var row = el('tr', { 'data-testid': 'event', 'data-kind': event.kind, 'data-subject': event.subject });
			row.appendChild(el('td', { 'class': 'time' }, time(event.time) + '.' + String(event.time % 1000).padStart(3, '0')));
			var bad = event.kind === 'suspected' || event.kind === 'opened' || event.kind === 'forced-open';
			var cell = el('td');
			cell.appendChild(el('span', { 'class': 'badge ' + (bad ? 'bad' : (event.kind === 'failover'
				|| event.kind === 'half-open' ? 'warn' : 'ok')) }, event.kind));
			row.appendChild(cell);
			row.appendChild(el('td', {}, event.subject));
			row.appendChild(el('td', {}, event.detail));
			body.appendChild(row);
		});
	}

	function merge(slice) {
		windowMs = slice.windowMs;
		slice.frames.forEach(function (frame) {
			if (!frames.length || frame.time > frames[frames.length - 1].time) { frames.push(frame); }
		});
		var oldest = slice.now - windowMs;
		while (frames.length && frames[0].time < oldest) { frames.shift(); }
		// An event may come twice, with the slice before and after its frame: once here.
		slice.events.forEach(function (event) {
			var id = event.time + ' ' + event.kind + ' ' + event.subject;
			if (!seenEvents[id]) { seenEvents[id] = true; events.unshift(event); }
		});
		events.sort(function (a, b) { return b.time - a.time; });
		events.length = Math.min(events.length, 200);
		since = Math.max(since, slice.now);
	}

	function render(slice) {
		var frame = latest();
		if (!frame) { return; }
		var xs = frames.map(function (f) { return f.time / 1000; });
		renderTrouble(frame, slice);
		renderPeers(slice, frame, xs);
		renderFunctions(slice, frame, xs);
		renderEvents();
	}

	function showUpdated() {
		var updated = document.getElementById('updated');
		var age = Date.now() - lastAnswer;
		var frame = latest();
		updated.className = (lastAnswer && age < 5000) ? '' : 'stale';
		updated.textContent = lastAnswer ? ((age < 5000 ? 'live · ' : 'no answer for ' + Math.round(age / 1000) + ' s · ')
			+ (frame ? 'last frame ' + time(frame.time) : 'no frame yet')) : 'connecting…';
	}

	function poll() {
		fetch(framesUrl + since, { headers: { Accept: 'application/json' }, cache: 'no-store' })
			.then(function (response) {
				if (!response.ok) { throw new Error('HTTP ' + response.status); }
				return response.json();
			})
			.then(function (slice) {
				lastAnswer = Date.now();
				merge(slice);
				render(slice);
			})
			.catch(function () { /* shown as stale below; the next poll tries again */ })
			.then(function () { showUpdated(); setTimeout(poll, 1000); });
	}

	window.addEventListener('resize', function () {
		Object.keys(charts).forEach(function (key) {
			var u = charts[key];
			u.setSize({ width: Math.max(300, u.root.parentNode.clientWidth - 4), height: 150 });
		});
	});
	poll();
}());
