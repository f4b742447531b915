"""The page's style sheet and script (`textmend.report_html`), inline in every page.

Neither may hold `</style` or `</script` (a test checks); the script reads the page's
JSON blocks and builds the list of documents and the view of one of them.
"""

# ruff: noqa: E501  (lines of CSS and JavaScript, not Python)

CSS = """
:root{--bg:#f6f7f9;--fg:#1d232b;--mut:#66707d;--line:#dde1e6;--card:#fff;--acc:#2457c5;
--add:#d5f5dc;--addfg:#0b5d1e;--del:#fde0dc;--delfg:#a3200f;--chg:#fff7d6;
--SEO_SPAM:#d7263d;--MARKUP:#7b3fbf;--BOILERPLATE:#d9730d;--META:#2a7ab0;--DUPLICATE:#1b998b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif}
.top{display:flex;align-items:baseline;gap:1em;padding:10px 18px;background:#1d2733;color:#fff}
.top h1{font-size:17px;margin:0;font-weight:600}.top .run{color:#aab4c0;font-size:12px}
.js-error{background:#b00020;color:#fff;margin:0;padding:8px 18px;white-space:pre-wrap}
.summary{padding:10px 18px 4px}.summary h2{font-size:14px;margin:0 0 8px;color:var(--mut);
text-transform:uppercase;letter-spacing:.04em}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:6px 12px;
min-width:110px}.card b{display:block;font-size:18px}.card span{color:var(--mut);font-size:12px}
.card.bad b{color:var(--delfg)}
.tables{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
table.t{border-collapse:collapse;background:var(--card);border:1px solid var(--line);
border-radius:8px;font-size:12.5px}
table.t caption{text-align:left;font-weight:600;padding:2px 2px 4px;font-size:12.5px}
table.t th,table.t td{padding:3px 10px;border-top:1px solid var(--line);text-align:left;
vertical-align:top}table.t th{color:var(--mut);font-weight:500;border-top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.none,td.more{color:var(--mut)}
table.fails td{max-width:420px;overflow-wrap:anywhere}
.app{display:grid;grid-template-columns:300px minmax(0,1fr);gap:12px;padding:8px 18px 18px}
.side{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px;
align-self:start;position:sticky;top:8px;max-height:calc(100vh - 16px);display:flex;
flex-direction:column}
.filters{display:grid;grid-template-columns:1fr 1fr;gap:6px}
.filters input{grid-column:1/3}
.filters input,.filters select{font:inherit;font-size:12.5px;padding:4px 6px;
border:1px solid var(--line);border-radius:6px;background:#fff;min-width:0}
.count{color:var(--mut);font-size:12px;margin:6px 2px;overflow-wrap:anywhere}
.list{list-style:none;margin:0;padding:0;overflow:auto;flex:1}
.list a{display:block;padding:5px 8px;border-radius:6px;color:inherit;text-decoration:none;
border-left:3px solid transparent}
.list a:hover{background:#eef2f8}.list a.on{background:#e3ebfb;border-left-color:var(--acc)}
.list .nm{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:13px}
.list .sub{display:block;color:var(--mut);font-size:11.5px}
.list .failed .nm{color:var(--delfg)}
.pager{display:flex;justify-content:space-between;align-items:center;padding-top:6px;
font-size:12px;color:var(--mut)}
.pager button{font:inherit;border:1px solid var(--line);background:#fff;border-radius:6px;
padding:2px 12px;cursor:pointer}.pager button:disabled{opacity:.4;cursor:default}
.doc{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;
min-width:0}
.doc h2{font-size:16px;margin:0 0 6px;overflow-wrap:anywhere}
.hint{color:var(--mut)}
.badges{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px}
.badge{border:1px solid var(--line);border-radius:999px;padding:1px 9px;font-size:12px;
background:#f8f9fb}.badge.ok{background:var(--add);border-color:#b5e5c0;color:var(--addfg)}
.badge.bad{background:var(--del);border-color:#f4b8ae;color:var(--delfg)}
.evidence{color:var(--mut);font-size:12.5px;margin:0 0 6px}
.notes{margin:4px 0 8px;padding-left:18px;font-size:12.5px;color:var(--mut)}
.error{background:var(--del);color:var(--delfg);border-radius:6px;padding:8px 12px;
white-space:pre-wrap;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:6px;font-size:12px;margin:6px 0}
.chip{display:inline-block;border-radius:4px;padding:0 6px;font-size:11.5px;color:#fff;
background:#777;white-space:nowrap}
.l-SEO_SPAM{background:var(--SEO_SPAM)}.l-MARKUP{background:var(--MARKUP)}
.l-BOILERPLATE{background:var(--BOILERPLATE)}.l-META{background:var(--META)}
.l-DUPLICATE{background:var(--DUPLICATE)}
.chip.k-chg{background:var(--chg);color:#7a5b00;border:1px solid #ecd98a}
.chip.k-ins{background:var(--add);color:var(--addfg)}.chip.k-del{background:var(--del);color:var(--delfg)}
table.sbs{width:100%;border-collapse:collapse;table-layout:fixed;font-size:13.5px}
table.sbs col.no{width:3.6em}
table.sbs th{position:sticky;top:0;background:#fff;text-align:left;color:var(--mut);
font-weight:500;font-size:12px;padding:4px 8px;border-bottom:1px solid var(--line);z-index:1}
table.sbs td{padding:2px 8px;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere;
border-bottom:1px solid #f0f2f4}
table.sbs td.no{color:#9aa3ad;text-align:right;font-size:11.5px;padding-top:4px;
font-variant-numeric:tabular-nums;user-select:none}
table.sbs tr.blank td{padding-top:0;padding-bottom:0;height:8px}
tr.chg td.in,tr.chg td.out{background:var(--chg)}
tr.rm td.in{text-decoration:line-through;text-decoration-thickness:1.5px}
tr.rm td.in{color:var(--c);background:color-mix(in srgb,var(--c) 9%,#fff);
box-shadow:inset 3px 0 0 var(--c)}
tr.rm td.out{color:var(--mut)}
tr.part td.in{box-shadow:inset 3px 0 0 var(--c)}
tr.rm-SEO_SPAM,tr.part-SEO_SPAM{--c:var(--SEO_SPAM)}tr.rm-MARKUP,tr.part-MARKUP{--c:var(--MARKUP)}
tr.rm-BOILERPLATE,tr.part-BOILERPLATE{--c:var(--BOILERPLATE)}
tr.rm-META,tr.part-META{--c:var(--META)}tr.rm-DUPLICATE,tr.part-DUPLICATE{--c:var(--DUPLICATE)}
tr.rm td.out .chip{background:var(--c)}
span.del{background:#f9b9ae;color:#7a1405;border-radius:2px;text-decoration:line-through}
span.ins{background:#a8e6b5;color:#0b4d19;border-radius:2px}
tr:target td,tr.flash td{outline:2px solid var(--acc);outline-offset:-2px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.cols h3,.doc h3{font-size:13px;margin:14px 0 4px;color:var(--mut);font-weight:600}
pre.lines{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;font-size:13px;
background:#fbfbfc;border:1px solid var(--line);border-radius:6px;padding:6px 8px;
max-height:70vh;overflow:auto}
details{margin-top:10px}summary{cursor:pointer;font-weight:600;font-size:13px}
table.list2{width:100%;border-collapse:collapse;table-layout:fixed;font-size:12.5px;margin-top:4px}
table.list2 th{text-align:left;color:var(--mut);font-weight:500;padding:3px 6px;
border-bottom:1px solid var(--line)}
table.list2 td{padding:3px 6px;border-bottom:1px solid #f0f2f4;vertical-align:top;
white-space:pre-wrap;overflow-wrap:anywhere}
table.list2 td.why{color:var(--mut)}
button.more{margin:8px 0;font:inherit;font-size:12.5px;border:1px solid var(--line);
background:#fff;border-radius:6px;padding:3px 12px;cursor:pointer}
.keys{color:var(--mut);font-size:11.5px;margin-top:10px}
@media (max-width:900px){.app{grid-template-columns:1fr}.side{position:static;max-height:none}
.list{max-height:40vh}}
"""

JS = r"""
(function () {
'use strict';
var PAGE = 100, ROWS = 1500, LIST_ROWS = 1000;
var LABELS = ['SEO_SPAM', 'MARKUP', 'BOILERPLATE', 'META', 'DUPLICATE'];
var BLANK = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+|[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+$/g;
function $(id) { return document.getElementById(id); }
function h(tag, attrs) {
  var el = document.createElement(tag), k, v, i, kid;
  for (k in attrs || {}) {
    v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'title') el.title = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (i = 2; i < arguments.length; i++) add(el, arguments[i]);
  return el;
}
function add(el, kid) {
  if (kid === null || kid === undefined || kid === false) return;
  if (Array.isArray(kid)) { kid.forEach(function (k) { add(el, k); }); return; }
  el.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
}
function num(n) { return n === null || n === undefined ? '?' : Number(n).toLocaleString('en'); }
function bytes(n) {
  if (n === null || n === undefined) return '?';
  var units = [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]];
  for (var i = 0; i < units.length; i++)
    if (n >= units[i][1]) return (n / units[i][1]).toFixed(1) + ' ' + units[i][0];
  return n + ' B';
}
function strip(s) { return s.replace(BLANK, ''); }

// --- the list of documents -----------------------------------------------------------
var metas = Array.prototype.map.call(document.querySelectorAll('script.m'), function (el) {
  return JSON.parse(el.textContent);
});
var shown = [], page = 0, current = -1;
// The list shows the names without the directory they all share.
var common = metas.length ? metas[0].n : '';
metas.forEach(function (m) {
  var k = 0;
  while (k < common.length && k < m.n.length && common[k] === m.n[k]) k++;
  common = common.slice(0, k);
});
common = common.slice(0, common.lastIndexOf('/') + 1);
var stages = {}, labels = {};
metas.forEach(function (m) {
  Object.keys(m.cs || {}).forEach(function (s) { stages[s] = (stages[s] || 0) + 1; });
  Object.keys(m.rl || {}).forEach(function (l) { labels[l] = (labels[l] || 0) + 1; });
});
(function () {
  var sel = $('with');
  Object.keys(stages).forEach(function (s) {
    add(sel, h('option', {value: 'c:' + s}, 'changes by ' + s + ' (' + num(stages[s]) + ')'));
  });
  LABELS.concat(Object.keys(labels).filter(function (l) { return LABELS.indexOf(l) < 0; }))
    .forEach(function (l) {
      if (labels[l]) add(sel, h('option', {value: 'r:' + l}, 'removed ' + l + ' (' + num(labels[l]) + ')'));
    });
  add(sel, h('option', {value: 'o'}, 'a stage over its budget'));
  add(sel, h('option', {value: 'rep'}, 'bytes replaced (U+FFFD)'));
})();

function matches(m, q, state, w) {
  if (q && m.n.toLowerCase().indexOf(q) < 0) return false;
  if (state === 'failed' && m.s !== 'failed') return false;
  if (state === 'skipped' && m.s !== 'skipped') return false;
  if (state === 'changed' && !(m.s === 'ok' && m.c)) return false;
  if (state === 'unchanged' && !(m.s === 'ok' && !m.c)) return false;
  if (w) {
    if (w.slice(0, 2) === 'c:') return !!(m.cs && m.cs[w.slice(2)]);
    if (w.slice(0, 2) === 'r:') return !!(m.rl && m.rl[w.slice(2)]);
    if (w === 'o') return !!m.o;
    if (w === 'rep') return !!m.r;
  }
  return true;
}
function filter() {
  var q = $('q').value.trim().toLowerCase(), state = $('state').value, w = $('with').value;
  shown = [];
  for (var i = 0; i < metas.length; i++) if (matches(metas[i], q, state, w)) shown.push(i);
  page = 0;
  var at = shown.indexOf(current);
  if (at >= 0) page = Math.floor(at / PAGE);
  list();
}
function describe(m) {
  if (m.s === 'failed') return 'failed: ' + m.x;
  if (m.s === 'skipped') return 'skipped: ' + m.x;
  var c = 0, r = 0, k;
  for (k in m.cs) c += m.cs[k];
  for (k in m.rl) r += m.rl[k];
  return (m.c ? 'changed' : 'unchanged') + ' · ' + num(c) + (c === 1 ? ' change · ' : ' changes · ') +
    num(r) + ' removed · ' + (m.e || 'text');
}
function list() {
  var ol = $('list'), pages = Math.max(1, Math.ceil(shown.length / PAGE));
  page = Math.min(page, pages - 1);
  ol.textContent = '';
  var frag = document.createDocumentFragment();
  shown.slice(page * PAGE, page * PAGE + PAGE).forEach(function (i) {
    var m = metas[i];
    add(frag, h('li', {'class': m.s},
      h('a', {href: '#d=' + i, 'class': i === current ? 'on' : null, title: m.n, 'data-i': i},
        h('span', {'class': 'nm'}, m.n.slice(common.length)), h('span', {'class': 'sub'}, describe(m)))));
  });
  ol.appendChild(frag);
  $('count').textContent = num(shown.length) + ' of ' + num(metas.length) + ' documents' +
    (common ? ' in ' + common : '');
  $('page').textContent = shown.length ?
    num(page * PAGE + 1) + '–' + num(Math.min(shown.length, page * PAGE + PAGE)) +
    ' · page ' + num(page + 1) + ' of ' + num(pages) : 'none';
  $('prev').disabled = page === 0;
  $('next').disabled = page >= pages - 1;
}

// --- character differences -------------------------------------------------------------
function myers(a, b) {
  var n = a.length, m = b.length, max = Math.min(n + m, 400), off = max + 1;
  var v = new Int32Array(2 * max + 3), trace = [], d, k, x, y;
  for (d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (k = -d; k <= d; k += 2) {
      x = (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[off + k] = x;
      if (x >= n && y >= m) return back(trace, a, b, off);
    }
  }
  return null;
}
function back(trace, a, b, off) {
  var x = a.length, y = b.length, ops = [], d, v, k, pk, px, py;
  for (d = trace.length - 1; d >= 0; d--) {
    v = trace[d]; k = x - y;
    pk = (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) ? k + 1 : k - 1;
    px = v[off + pk]; py = px - pk;
    while (x > px && y > py) { ops.push([0, a[x - 1]]); x--; y--; }
    if (d > 0) { if (x === px) ops.push([1, b[y - 1]]); else ops.push([-1, a[x - 1]]); }
    x = px; y = py;
  }
  return ops.reverse();
}
function seg(list, text, on) {
  if (!text) return;
  var last = list[list.length - 1];
  if (last && last[1] === on) last[0] += text; else list.push([text, on]);
}
function diff(a, b) {
  var A = Array.from(a), B = Array.from(b), pre = 0, suf = 0, left = [], right = [];
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  while (suf < A.length - pre && suf < B.length - pre &&
         A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  var a2 = A.slice(pre, A.length - suf), b2 = B.slice(pre, B.length - suf);
  var ops = a2.length * b2.length > 4e6 ? null : myers(a2, b2);
  if (!ops) ops = a2.map(function (c) { return [-1, c]; }).concat(b2.map(function (c) { return [1, c]; }));
  seg(left, A.slice(0, pre).join(''), false); seg(right, B.slice(0, pre).join(''), false);
  ops.forEach(function (op) {
    if (op[0] <= 0) seg(left, op[1], op[0] < 0);
    if (op[0] >= 0) seg(right, op[1], op[0] > 0);
  });
  seg(left, A.slice(A.length - suf).join(''), false); seg(right, B.slice(B.length - suf).join(''), false);
  return [left, right];
}
function marked(segs, cls, why) {
  return segs.map(function (s) { return s[1] ? h('span', {'class': cls, title: why}, s[0]) : s[0]; });
}

// --- one document -------------------------------------------------------------------------
function show(i) {
  if (!(i >= 0 && i < metas.length)) return;
  current = i;
  var at = shown.indexOf(i);
  if (at >= 0 && Math.floor(at / PAGE) !== page) { page = Math.floor(at / PAGE); list(); }
  Array.prototype.forEach.call($('list').querySelectorAll('a'), function (a) {
    a.className = Number(a.getAttribute('data-i')) === i ? 'on' : '';
  });
  var d = JSON.parse($('d' + i).textContent), main = $('doc');
  main.textContent = '';
  main.appendChild(render(d));
  if (window.scrollY > main.offsetTop) window.scrollTo(0, main.offsetTop - 8);
}
function render(d) {
  var box = h('div', {'class': 'view'}), badges = h('div', {'class': 'badges'});
  add(box, h('h2', null, d.name));
  add(box, badges);
  if (d.status !== 'ok') {
    add(badges, h('span', {'class': 'badge bad'}, d.status));
    add(box, h('div', {'class': 'error'}, d.message || ''));
    return box;
  }
  add(badges, h('span', {'class': 'badge ' + (d.changed ? 'ok' : '')}, d.changed ? 'changed' : 'unchanged'));
  var conf = d.confidence === null || d.confidence === undefined ? '' : ' · ' + Math.round(d.confidence * 100) + '%';
  add(badges, h('span', {'class': 'badge', title: 'encoding and confidence'}, (d.encoding || 'text input') + conf));
  add(badges, h('span', {'class': 'badge', title: 'bytes in → out'}, bytes(d.bytes_in) + ' → ' + bytes(d.bytes_out)));
  if (d.blocks) add(badges, h('span', {'class': 'badge'}, num(d.blocks) + ' blocks'));
  if (d.replaced) add(badges, h('span', {'class': 'badge bad'}, num(d.replaced) + ' invalid byte sequences replaced'));
  if (d.skipped && d.skipped.length) add(badges, h('span', {'class': 'badge bad'}, 'over budget: ' + d.skipped.join(', ')));
  var ev = ['Encoding evidence: ' + (d.evidence || '?')];
  if (d.runner_up) ev.push('runner-up ' + d.runner_up);
  if (d.segments && (d.segments.length > 1 || d.encoding === 'mixed'))
    ev.push('segments ' + d.segments.map(function (s) { return s[2] + ' ' + s[0] + '–' + s[1]; }).join(', '));
  add(box, h('p', {'class': 'evidence'}, ev.join(' · ')));
  var notes = [], seen = {};
  d.changes.forEach(function (c) {
    if ((c[1] === null || c[1] === undefined) && !seen[c[0] + ': ' + c[4]]) {
      seen[c[0] + ': ' + c[4]] = 1;
      notes.push(h('li', null, h('b', null, c[0]), ': ' + c[4]));
    }
  });
  if (notes.length) add(box, h('ul', {'class': 'notes'}, notes));
  var legend = h('div', {'class': 'legend'},
    h('span', {'class': 'chip k-chg'}, 'changed line'),
    h('span', {'class': 'chip k-del'}, 'characters removed'),
    h('span', {'class': 'chip k-ins'}, 'characters put in'));
  LABELS.forEach(function (l) { add(legend, h('span', {'class': 'chip l-' + l, title: 'removed line: ' + l}, l)); });
  if (d.input !== null && d.output !== null && d.align) {
    derive(d);
    add(box, [legend, aligned(d)]);
  } else add(box, apart(d));
  add(box, removedList(d));
  add(box, changeList(d));
  add(box, h('p', {'class': 'keys'}, 'Keys: j / k next and previous document, n / p next and previous page, / filter.'));
  return box;
}
function derive(d) {
  // The texts the page leaves out of changes and removed lines (null), derived as
  // report_html._elide left them out: from the input line each was traced to, as the
  // changes before left it, and from the output lines of that input line.
  var ins = d.input.split('\n'), al = d.align, outputs = {}, current = {};
  d.output.split('\n').forEach(function (line, n) {
    var o = al.output[n];
    if (o >= 0 && strip(line)) (outputs[o] = outputs[o] || []).push(strip(line));
  });
  function line(o) { return o in current ? current[o] : strip(ins[o]); }
  d.changes.forEach(function (c, n) {
    var o = al.changes[n];
    if (!(o >= 0 && o < ins.length)) return;
    var was = line(o);
    if (c[2] === null) c[2] = was;
    if (c[3] === null) c[3] = (outputs[o] || []).join('\n');
    if (c[2] === was) current[o] = c[3];
    else if (c[2] && was.indexOf(c[2]) >= 0) {
      var at = was.indexOf(c[2]);
      current[o] = was.slice(0, at) + c[3] + was.slice(at + c[2].length);
    }
  });
  d.removed.forEach(function (r, n) {
    var o = al.removed[n];
    if (r[2] === null && o >= 0) r[2] = line(o);
  });
}
function why(cs) {
  var seen = {}, out = [];
  cs.forEach(function (c) {
    var t = c[0] + ': ' + c[4];
    if (!seen[t]) { seen[t] = 1; out.push(t); }
  });
  return out.join('\n');
}
function aligned(d) {
  var ins = d.input.split('\n'), outs = d.output.split('\n'), al = d.align;
  var changes = {}, removed = {}, right = {}, lastOrigin = -1, i;
  d.changes.forEach(function (c, n) {
    var o = al.changes[n];
    if (o >= 0) (changes[o] = changes[o] || []).push(c);
  });
  d.removed.forEach(function (r, n) {
    var o = al.removed[n];
    if (o >= 0) (removed[o] = removed[o] || []).push(r);
  });
  outs.forEach(function (line, n) {
    if (!strip(line)) return;
    var o = al.output[n];
    if (o < 0) o = lastOrigin; else lastOrigin = o;
    (right[o] = right[o] || []).push(line);
  });
  var table = h('table', {'class': 'sbs'},
    h('colgroup', null, h('col', {'class': 'no'}), h('col'), h('col')),
    h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Input'), h('th', null, 'Cleaned'))));
  var body = h('tbody');
  table.appendChild(body);
  function row(i) {
    var text = ins[i].replace(/\r$/, ''), outText = (right[i] || []).join('\n');
    var rm = removed[i], cs = changes[i], cls = [], title = [], left, rightCell;
    if (rm) {
      var label = rm[0][1];
      cls.push(right[i] ? 'part part-' + label : 'rm rm-' + label);
      rm.forEach(function (r) { title.push('removed as ' + r[1] + ': ' + r[3]); });
    }
    if (cs) title.push(why(cs));
    if (rm && !right[i]) {
      left = [text];
      rightCell = h('span', {'class': 'chip', title: title.join('\n')}, 'removed · ' + rm.map(function (r) { return r[1]; }).join(', '));
    } else if (cs && strip(text) !== outText) {
      cls.push('chg');
      var lead = text.match(/^[\t \u00a0\u3000]*/)[0];
      var pair = diff(strip(text), outText), reason = why(cs);
      left = [lead, marked(pair[0], 'del', reason)];
      rightCell = marked(pair[1], 'ins', reason);
    } else {
      left = [text];
      rightCell = outText;
    }
    if (!strip(text) && !outText && !rm) cls.push('blank');
    return h('tr', {id: 'L' + (i + 1), 'class': cls.join(' ') || null, title: title.join('\n') || null},
      h('td', {'class': 'no'}, String(i + 1)), h('td', {'class': 'in'}, left), h('td', {'class': 'out'}, rightCell));
  }
  var count = ins.length;
  if (count > 1 && ins[count - 1] === '') count--;
  if (right[-1]) body.appendChild(h('tr', null, h('td', {'class': 'no'}), h('td', {'class': 'in'}), h('td', {'class': 'out'}, right[-1].join('\n'))));
  function fill(from, to) {
    var frag = document.createDocumentFragment();
    for (var j = from; j < to; j++) frag.appendChild(row(j));
    body.appendChild(frag);
  }
  fill(0, Math.min(count, ROWS));
  var wrap = h('div', null, table);
  if (count > ROWS) {
    var more = h('button', {'class': 'more', type: 'button', onclick: function () {
      fill(ROWS, count); more.remove();
    }}, 'Show all ' + num(count) + ' lines');
    add(wrap, more);
  }
  if (!al.exact) add(wrap, h('p', {'class': 'evidence'}, 'Some output lines were matched to the input by their text (the changes did not replay exactly).'));
  return wrap;
}
function lines(text, max) {
  var all = text.split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  var pre = h('pre', {'class': 'lines'}, all.slice(0, max).join('\n'));
  if (all.length > max) add(pre, '\n… ' + num(all.length - max) + ' more lines');
  return pre;
}
function apart(d) {
  var cols = h('div', {'class': 'cols'}), note;
  if (d.input === null || d.output === null) {
    note = d.omitted ? 'The texts are not shown: ' + d.omitted + '.' :
      'The input was not kept for this document (cleaned block by block, or given as a report record): its removed lines and changes are listed below.';
  } else {
    note = 'The input cannot be traced line by line to the output (an HTML page, whose article was extracted, or changes made block by block): the texts are shown apart.';
  }
  var left = h('div', null, h('h3', null, 'Input'));
  if (d.input !== null) add(left, lines(d.input, 20000));
  else add(left, h('p', {'class': 'hint'}, note));
  var right = h('div', null, h('h3', null, 'Cleaned'));
  if (d.output !== null) add(right, lines(d.output, 20000));
  else add(right, h('p', {'class': 'hint'}, '(not kept)'));
  add(cols, [left, right]);
  return h('div', null, d.input !== null ? h('p', {'class': 'evidence'}, note) : null, cols);
}
function block(r, at) { return r[at] !== null && r[at] !== undefined ? 'block ' + r[at] + ', ' : ''; }
function removedList(d) {
  if (!d.removed.length) return null;
  var al = d.align, table = h('table', {'class': 'list2'},
    h('colgroup', null, h('col', {style: 'width:7em'}), h('col', {style: 'width:9em'}), h('col'), h('col', {style: 'width:34%'})),
    h('thead', null, h('tr', null, h('th', null, 'line'), h('th', null, 'label'), h('th', null, 'text'), h('th', null, 'why'))));
  var body = h('tbody');
  table.appendChild(body);
  function fill(from, to) {
    d.removed.slice(from, to).forEach(function (r, n) {
      var o = al ? al.removed[from + n] : -1;
      var where = o >= 0 ? h('a', {href: '#L' + (o + 1), title: 'junk stage line ' + r[0] + '; input line ' + (o + 1), onclick: jump}, 'input ' + (o + 1)) : block(r, 4) + 'line ' + r[0];
      body.appendChild(h('tr', {'class': 'rm-' + r[1]},
        h('td', null, where), h('td', null, h('span', {'class': 'chip l-' + r[1]}, r[1])),
        h('td', {style: 'text-decoration:line-through'}, r[2]), h('td', {'class': 'why'}, r[3])));
    });
  }
  fill(0, LIST_ROWS);
  var det = h('details', {open: d.removed.length <= 200}, h('summary', null, 'Removed lines (' + num(d.removed.length) + ')'), table);
  if (d.removed.length > LIST_ROWS) {
    var more = h('button', {'class': 'more', type: 'button', onclick: function () { fill(LIST_ROWS, d.removed.length); more.remove(); }}, 'Show all');
    add(det, more);
  }
  return det;
}
function changeList(d) {
  var rows = [];
  d.changes.forEach(function (c, n) { if (c[1] !== null && c[1] !== undefined) rows.push(n); });
  if (!rows.length) return null;
  var al = d.align, table = h('table', {'class': 'list2'},
    h('colgroup', null, h('col', {style: 'width:7em'}), h('col', {style: 'width:7em'}), h('col'), h('col'), h('col', {style: 'width:26%'})),
    h('thead', null, h('tr', null, h('th', null, 'line'), h('th', null, 'stage'), h('th', null, 'before'), h('th', null, 'after'), h('th', null, 'why'))));
  var body = h('tbody');
  table.appendChild(body);
  function fill(from, to) {
    rows.slice(from, to).forEach(function (n) {
      var c = d.changes[n], o = al ? al.changes[n] : -1, pair = diff(c[2], c[3]);
      var where = o >= 0 ? h('a', {href: '#L' + (o + 1), title: c[0] + ' stage line ' + c[1] + '; input line ' + (o + 1), onclick: jump}, 'input ' + (o + 1)) : block(c, 6) + 'line ' + c[1];
      body.appendChild(h('tr', null, h('td', null, where), h('td', null, c[0]),
        h('td', null, marked(pair[0], 'del', c[4])), h('td', null, marked(pair[1], 'ins', c[4])),
        h('td', {'class': 'why'}, c[4])));
    });
  }
  fill(0, LIST_ROWS);
  var det = h('details', {open: rows.length <= 60}, h('summary', null, 'Changes (' + num(rows.length) + ')'), table);
  if (rows.length > LIST_ROWS) {
    var more = h('button', {'class': 'more', type: 'button', onclick: function () { fill(LIST_ROWS, rows.length); more.remove(); }}, 'Show all');
    add(det, more);
  }
  return det;
}
function jump(event) {
  event.preventDefault();
  var target = $(this.getAttribute('href').slice(1));
  if (!target) return;
  target.scrollIntoView({block: 'center'});
  target.classList.add('flash');
  setTimeout(function () { target.classList.remove('flash'); }, 1500);
}

// --- wiring ----------------------------------------------------------------------------------
function fromHash() {
  var m = /^#d=(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : -1;
}
window.addEventListener('hashchange', function () { var i = fromHash(); if (i >= 0) show(i); });
['q', 'state', 'with'].forEach(function (id) { $(id).addEventListener('input', filter); });
$('prev').addEventListener('click', function () { if (page > 0) { page--; list(); } });
$('next').addEventListener('click', function () { page++; list(); });
document.addEventListener('keydown', function (e) {
  if (e.target && /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
  var at = shown.indexOf(current);
  if (e.key === 'j' && at + 1 < shown.length) location.hash = 'd=' + shown[at + 1];
  else if (e.key === 'k' && at > 0) location.hash = 'd=' + shown[at - 1];
  else if (e.key === 'n') $('next').click();
  else if (e.key === 'p') $('prev').click();
  else if (e.key === '/') { e.preventDefault(); $('q').focus(); }
});
var summary = $('summary');
if (summary) $('summary-slot').appendChild(summary);
filter();
var first = fromHash();
if (first < 0 && metas.length) first = 0;
if (first >= 0) show(first);
else $('doc').textContent = 'No documents in this run.';
document.body.setAttribute('data-ready', String(metas.length));
})();
"""
