/**
 * The report's script, inlined (no network), after the data model (html-model-script.ts). Plain ES2017 so any browser runs it; it renders the
 * embedded data with textContent only, never innerHTML, so no policy string can become markup.
 * Tables are paged: a 100,000-user report never builds 100,000 rows in the DOM.
 */
export const AUDIT_SCRIPT = String.raw`(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('audit-data').textContent);
  var M = wardenAuditModel(D);
  var KIND_LABEL = { full: 'full', filtered: 'filtered', denied: 'no rows', none: 'no access' };
  var subjects = D.subjects;

  // ---- data access ----------------------------------------------------------------------
  var login = M.login, uname = M.name, flags = M.flags, counts = M.counts, cell = M.cell;
  function status(i) {
    var f = flags(i), out = [];
    out.push(f & 1 ? 'enabled' : 'disabled');
    if (f & 2) out.push('admin');
    if (f & 4) out.push('bypass');
    return out.join(' ');
  }

  // ---- DOM helpers (text only: nothing from the data is ever parsed as HTML) -------------
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) for (var key in props) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'cls') node.className = props[key];
      else if (key === 'on') for (var ev in props.on) node.addEventListener(ev, props.on[ev]);
      else node.setAttribute(key, props[key]);
    }
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function badge(kind) { return el('span', { cls: 'badge k-' + kind, text: KIND_LABEL[kind] }); }
  function why(items) {
    return el('div', { cls: 'chips' }, items.map(function (item) {
      var label = item.value !== undefined ? item.name + ' = ' + item.value : item.name;
      return el('details', { cls: 'why' }, [
        el('summary', { title: item.because.join('\n'), cls: 'chip', text: label }),
        el('ul', null, item.because.map(function (b) { return el('li', { text: b }); })),
      ]);
    }));
  }
  function dl(entries) {
    var list = el('dl');
    entries.forEach(function (e) { list.appendChild(el('dt', { text: e[0] })); list.appendChild(el('dd', null, [e[1]])); });
    return list;
  }

  // ---- a sortable, filterable, paged table (rows rendered a page at a time) ---------------
  function Table(opts) {
    var pageSize = opts.pageSize || 50;
    var state = { q: '', col: -1, dir: 1, page: 0, order: [] };
    var root = el('div', { cls: 'table', 'data-table': opts.id });
    var input = el('input', { type: 'search', placeholder: opts.placeholder || 'Filter…', 'aria-label': 'Filter ' + opts.id });
    var countLabel = el('span', { cls: 'count' });
    root.appendChild(el('div', { cls: 'toolbar' }, [input, countLabel]));
    var thead = el('thead'), tbody = el('tbody');
    var headRow = el('tr');
    opts.columns.forEach(function (c, index) {
      var th = el('th', { cls: 'sortable' + (c.num ? ' num' : ''), text: c.label, 'aria-sort': 'none', tabindex: '0', role: 'columnheader' });
      th.addEventListener('click', function () { sortBy(index); });
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(index); });
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    root.appendChild(el('table', null, [thead, tbody]));
    var prev = el('button', { text: '‹ Previous', type: 'button' });
    var next = el('button', { text: 'Next ›', type: 'button' });
    var pageLabel = el('span', { cls: 'muted' });
    root.appendChild(el('div', { cls: 'pager' }, [prev, pageLabel, next]));
    prev.addEventListener('click', function () { state.page--; draw(); });
    next.addEventListener('click', function () { state.page++; draw(); });
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.trim().toLowerCase(); state.page = 0; compute(); }, 120);
    });
    function sortBy(index) {
      state.dir = state.col === index ? -state.dir : 1;
      state.col = index;
      var ths = headRow.children;
      for (var k = 0; k < ths.length; k++) ths[k].setAttribute('aria-sort', k === index ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
      state.page = 0;
      compute();
    }
    function compute() {
      var n = opts.count(), order = [];
      for (var i = 0; i < n; i++) if (!state.q || opts.search(i).toLowerCase().indexOf(state.q) >= 0) order.push(i);
      if (state.col >= 0) {
        var column = opts.columns[state.col], keys = {};
        order.forEach(function (i) { keys[i] = column.sort ? column.sort(i) : column.text(i); });
        order.sort(function (x, y) {
          var a = keys[x], b = keys[y];
          var c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
          return c * state.dir || x - y;
        });
      }
      state.order = order;
      draw();
    }
    function draw() {
      var pages = Math.max(1, Math.ceil(state.order.length / pageSize));
      state.page = Math.min(Math.max(0, state.page), pages - 1);
      tbody.textContent = '';
      var start = state.page * pageSize;
      state.order.slice(start, start + pageSize).forEach(function (i) {
        var tr = el('tr', { 'data-row': String(i) });
        if (opts.onRow) { tr.className = 'clickable'; tr.addEventListener('click', function () { opts.onRow(i, tr); }); }
        opts.columns.forEach(function (c) {
          var td = el('td', { cls: c.num ? 'num' : '' });
          if (c.render) td.appendChild(c.render(i)); else td.textContent = c.text(i);
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      countLabel.textContent = state.order.length + ' of ' + opts.count() + ' ' + (opts.noun || 'rows');
      pageLabel.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    root.refresh = compute;
    compute();
    return root;
  }
  function select(tr) {
    var old = tr.parentNode.querySelector('tr.selected');
    if (old) old.classList.remove('selected');
    tr.classList.add('selected');
  }

  // ---- overview ------------------------------------------------------------------------
  var c = D.counts;
  var cards = [['Users', c.users], ['Enabled', c.enabledUsers], ['Disabled', c.disabledUsers], ['Administrators', c.admins], ['Bypass row rules', c.bypassUsers],
    ['Groups', c.groups], ['Custom roles', c.customRoles], ['Subjects', c.subjects], ['Rules', c.rules], ['Attributes', c.attributes], ['API keys', c.apiKeys], ['Findings', c.findings]];
  var overview = document.getElementById('overview');
  overview.appendChild(el('div', { cls: 'cards' }, cards.map(function (x) { return el('div', { cls: 'card' }, [el('b', { text: String(x[1]) }), el('span', { text: x[0] })]); })));
  overview.appendChild(el('h2', { text: 'Findings (' + D.findings.length + ', ' + c.warnings + ' warnings)' }));
  overview.appendChild(Table({
    id: 'findings', noun: 'findings', pageSize: 100,
    count: function () { return D.findings.length; },
    search: function (i) { return D.findings[i].join(' '); },
    columns: [
      { label: 'Severity', text: function (i) { return D.findings[i][0]; }, render: function (i) { return el('span', { cls: 'badge sev-' + D.findings[i][0], text: D.findings[i][0] }); } },
      { label: 'Kind', text: function (i) { return D.findings[i][1]; } },
      { label: 'About', text: function (i) { return D.findings[i][2]; } },
      { label: 'Finding', text: function (i) { return D.findings[i][3]; } },
      { label: 'Where', text: function (i) { return D.findings[i][4]; }, render: function (i) { return el('span', { cls: 'mono', text: D.findings[i][4] }); } },
    ],
  }));
  overview.appendChild(el('h2', { text: 'Administrators and bypass' }));
  overview.appendChild(dl([
    ['Administrators', el('span', { text: D.admins.join(', ') || 'none' })],
    ['Bypass row rules', el('span', { text: D.bypass.join(', ') || 'none' })],
  ]));

  // ---- users -----------------------------------------------------------------------------
  var userDetail = el('div', { cls: 'detail', id: 'user-detail' });
  function showUser(i) {
    userDetail.textContent = '';
    var f = flags(i);
    userDetail.appendChild(el('h3', { text: login(i) + (uname(i) ? ' — ' + uname(i) : '') }));
    var subjectRows = el('tbody');
    subjects.forEach(function (s, j) {
      var access = cell(i, j);
      subjectRows.appendChild(el('tr', null, [el('td', { text: s.n }), el('td', null, [badge(access.kind)]), el('td', { cls: 'mono', text: access.kind === 'none' ? '' : access.text })]));
    });
    var attributes = M.attributes(i), permissions = M.permissions(i);
    userDetail.appendChild(dl([
      ['Status', el('span', { text: status(i) + (f & 8 ? ', may create API keys' : '') })],
      ['Groups', why(M.groups(i))],
      ['Roles', why(M.roles(i))],
      ['Permissions', el('span', { text: permissions.length ? permissions.join(', ') : 'none' })],
      ['Attributes', attributes.length ? why(attributes) : el('span', { cls: 'muted', text: 'none' })],
      ['Home', el('span', { text: M.home(i) || '—' })],
    ]));
    userDetail.appendChild(el('h3', { text: 'Subjects' }));
    userDetail.appendChild(el('table', null, [el('thead', null, [el('tr', null, [el('th', { text: 'Subject' }), el('th', { text: 'Access' }), el('th', { text: 'Row filters' })])]), subjectRows]));
  }
  var usersSection = document.getElementById('users');
  usersSection.appendChild(Table({
    id: 'users', noun: 'users', placeholder: 'Filter users (login, name, status, group)…',
    count: function () { return M.users; },
    search: function (i) { return login(i) + ' ' + uname(i) + ' ' + status(i) + ' ' + M.groupNames(i).join(' '); },
    onRow: function (i, tr) { select(tr); showUser(i); },
    columns: [
      { label: 'Login', text: login },
      { label: 'Name', text: uname },
      { label: 'Status', text: status },
      { label: 'Groups', text: function (i) { return M.groupNames(i).join(', '); } },
      { label: 'Full', num: true, text: function (i) { return String(counts(i)[0]); }, sort: function (i) { return counts(i)[0]; } },
      { label: 'Filtered', num: true, text: function (i) { return String(counts(i)[1]); }, sort: function (i) { return counts(i)[1]; } },
      { label: 'No rows', num: true, text: function (i) { return String(counts(i)[2]); }, sort: function (i) { return counts(i)[2]; } },
      { label: 'No access', num: true, text: function (i) { return String(counts(i)[3]); }, sort: function (i) { return counts(i)[3]; } },
    ],
  }));
  usersSection.appendChild(userDetail);

  // ---- subjects --------------------------------------------------------------------------
  var subjectDetail = el('div', { cls: 'detail', id: 'subject-detail' });
  function showSubject(j) {
    var s = subjects[j];
    subjectDetail.textContent = '';
    subjectDetail.appendChild(el('h3', { text: 'Subject ' + s.n }));
    subjectDetail.appendChild(dl([
      ['Description', el('span', { text: s.d || '—' })],
      ['Table', el('span', { cls: 'mono', text: s.t || '—' })],
      ['Defined at', el('span', { cls: 'mono', text: s.at })],
      ['Visible to', el('span', { text: s.o ? 'every enabled user (not restricted)' : s.g.length ? 'groups ' + s.g.map(function (g) { return g[0] + ' (' + g[1] + ')'; }).join(', ') : 'administrators only' })],
      ['Rules', el('div', null, s.ru.length ? s.ru.map(function (r) { return el('div', null, [el('b', { text: r[0] }), ' ', el('span', { cls: 'mono', text: r[1] }), ' ', el('span', { cls: 'muted', text: r[2] })]); }) : [el('span', { cls: 'muted', text: 'no row rules' })])],
    ]));
    // Computed once when the subject is opened: the users who see it and how.
    var seeing = [], access = [];
    for (var i = 0; i < M.users; i++) {
      var a = cell(i, j);
      if (a.kind !== 'none') { seeing.push(i); access.push(a); }
    }
    subjectDetail.appendChild(el('h3', { text: 'Who can see it (' + seeing.length + ' users)' }));
    subjectDetail.appendChild(Table({
      id: 'subject-users', noun: 'users', placeholder: 'Filter users or filters…',
      count: function () { return seeing.length; },
      search: function (k) { return login(seeing[k]) + ' ' + access[k].text + ' ' + access[k].kind; },
      columns: [
        { label: 'Login', text: function (k) { return login(seeing[k]); } },
        { label: 'Access', text: function (k) { return access[k].kind; }, render: function (k) { return badge(access[k].kind); } },
        { label: 'Row filters', text: function (k) { return access[k].text; } },
      ],
    }));
  }
  var subjectsSection = document.getElementById('subjects');
  subjectsSection.appendChild(Table({
    id: 'subjects', noun: 'subjects', placeholder: 'Filter subjects…',
    count: function () { return subjects.length; },
    search: function (j) { var s = subjects[j]; return s.n + ' ' + s.d + ' ' + s.t + ' ' + s.g.map(function (g) { return g[0]; }).join(' '); },
    onRow: function (j, tr) { select(tr); showSubject(j); },
    columns: [
      { label: 'Subject', text: function (j) { return subjects[j].n; } },
      { label: 'Restricted', text: function (j) { return subjects[j].r ? 'yes' : 'no'; } },
      { label: 'Granted to', text: function (j) { var s = subjects[j]; return s.o ? 'everyone' : s.g.map(function (g) { return g[0]; }).join(', '); } },
      { label: 'Rules', num: true, text: function (j) { return String(subjects[j].ru.length); }, sort: function (j) { return subjects[j].ru.length; } },
      { label: 'Full', num: true, text: function (j) { return String(subjects[j].c[0]); }, sort: function (j) { return subjects[j].c[0]; } },
      { label: 'Filtered', num: true, text: function (j) { return String(subjects[j].c[1]); }, sort: function (j) { return subjects[j].c[1]; } },
      { label: 'No rows', num: true, text: function (j) { return String(subjects[j].c[2]); }, sort: function (j) { return subjects[j].c[2]; } },
      { label: 'No access', num: true, text: function (j) { return String(subjects[j].c[3]); }, sort: function (j) { return subjects[j].c[3]; } },
    ],
  }));
  subjectsSection.appendChild(subjectDetail);

  // ---- access matrix ---------------------------------------------------------------------
  var matrixSection = document.getElementById('matrix');
  var legend = el('div', { cls: 'legend' }, ['full', 'filtered', 'denied', 'none'].map(function (k) { return el('span', null, [el('i', { cls: 'k-' + k }), KIND_LABEL[k]]); }));
  var userFilter = el('input', { type: 'search', placeholder: 'Filter users…', 'aria-label': 'Filter matrix users' });
  var subjectFilter = el('input', { type: 'search', placeholder: 'Filter subjects…', 'aria-label': 'Filter matrix subjects' });
  var mCount = el('span', { cls: 'count' });
  var mPrev = el('button', { text: '‹ Previous', type: 'button' }), mNext = el('button', { text: 'Next ›', type: 'button' }), mPage = el('span', { cls: 'muted' });
  var wrap = el('div', { cls: 'matrix-wrap' });
  matrixSection.appendChild(legend);
  matrixSection.appendChild(el('div', { cls: 'toolbar' }, [userFilter, subjectFilter, mCount]));
  matrixSection.appendChild(wrap);
  matrixSection.appendChild(el('div', { cls: 'pager' }, [mPrev, mPage, mNext]));
  var m = { rows: [], cols: [], page: 0, size: 40 };
  function matrixCompute() {
    var uq = userFilter.value.trim().toLowerCase(), sq = subjectFilter.value.trim().toLowerCase();
    m.rows = [];
    for (var i = 0; i < M.users; i++) if (!uq || (login(i) + ' ' + uname(i)).toLowerCase().indexOf(uq) >= 0) m.rows.push(i);
    m.cols = [];
    for (var j = 0; j < subjects.length; j++) if (!sq || subjects[j].n.toLowerCase().indexOf(sq) >= 0) m.cols.push(j);
    m.page = 0;
    matrixDraw();
  }
  function matrixDraw() {
    var pages = Math.max(1, Math.ceil(m.rows.length / m.size));
    m.page = Math.min(Math.max(0, m.page), pages - 1);
    var head = el('tr', null, [el('th', { text: 'User' })].concat(m.cols.map(function (j) { return el('th', { cls: 'subj', text: subjects[j].n }); })));
    var body = el('tbody');
    m.rows.slice(m.page * m.size, (m.page + 1) * m.size).forEach(function (i) {
      var tr = el('tr', null, [el('td', { cls: 'login', text: login(i) })]);
      m.cols.forEach(function (j) {
        var access = cell(i, j), kind = access.kind;
        tr.appendChild(el('td', { cls: 'c k-' + kind, title: login(i) + ' × ' + subjects[j].n + ': ' + KIND_LABEL[kind] + (access.filtered ? ' — ' + access.text : ''), 'data-kind': kind }));
      });
      body.appendChild(tr);
    });
    wrap.textContent = '';
    wrap.appendChild(el('table', { cls: 'matrix' }, [el('thead', null, [head]), body]));
    mCount.textContent = m.rows.length + ' users × ' + m.cols.length + ' subjects';
    mPage.textContent = 'page ' + (m.page + 1) + ' of ' + pages;
    mPrev.disabled = m.page === 0;
    mNext.disabled = m.page >= pages - 1;
  }
  var mTimer = null;
  [userFilter, subjectFilter].forEach(function (input) { input.addEventListener('input', function () { clearTimeout(mTimer); mTimer = setTimeout(matrixCompute, 120); }); });
  mPrev.addEventListener('click', function () { m.page--; matrixDraw(); });
  mNext.addEventListener('click', function () { m.page++; matrixDraw(); });
  matrixCompute();

  // ---- API keys --------------------------------------------------------------------------
  document.getElementById('keys').appendChild(Table({
    id: 'keys', noun: 'API keys',
    count: function () { return D.keys.length; },
    search: function (i) { return D.keys[i].join(' '); },
    columns: [
      { label: 'Key', text: function (i) { return D.keys[i][0]; } },
      { label: 'User', text: function (i) { return D.keys[i][1]; } },
      { label: 'Expires', text: function (i) { return D.keys[i][2] || '—'; } },
      { label: 'Valid', text: function (i) { return D.keys[i][3] ? 'yes' : 'no'; } },
      { label: 'Problems', text: function (i) { return D.keys[i][4] || '—'; } },
      { label: 'Description', text: function (i) { return D.keys[i][5]; } },
    ],
  }));

  // ---- tabs ------------------------------------------------------------------------------
  var tabs = document.querySelectorAll('nav button');
  function show(name) {
    for (var t = 0; t < tabs.length; t++) {
      var on = tabs[t].getAttribute('data-tab') === name;
      tabs[t].setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById(tabs[t].getAttribute('data-tab')).hidden = !on;
    }
  }
  for (var t = 0; t < tabs.length; t++) tabs[t].addEventListener('click', function (e) { show(e.currentTarget.getAttribute('data-tab')); });
  show('overview');
  document.body.setAttribute('data-ready', 'true');
})();
`;
