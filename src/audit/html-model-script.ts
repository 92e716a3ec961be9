/**
 * The report's data model, in the browser: from the factors html-data.ts embeds, a user's
 * groups, roles and attribute values with why, and a user's access to a subject (colour and
 * filters), computed when shown. It is the second implementation of access-profile.ts and
 * matrix.ts (SPEC 4), so it is plain ES2017 with no DOM, and the tests run it in Node on the
 * same data and compare every user and cell with the resolver (audit-html-model.test.ts).
 *
 * `wardenAuditModel(D)` returns the model of the parsed data D.
 */
export const AUDIT_MODEL_SCRIPT = String.raw`function wardenAuditModel(D) {
  'use strict';
  var S = D.S, users = D.users, groups = D.groups, V = D.V, subjects = D.subjects, attrs = D.attributes, columns = D.columns;
  // [effect class][state of the compared set: 0 none, 1 some, 2 all] -> 0 every row, 1 some rows, 2 no row.
  var EFFECT = [[2, 1, 0], [0, 1, 2], [1, 1, 1]];
  var ALL = 1;
  var unions = {};
  for (var k = 0; k < D.UP.length; k += 3) unions[D.UP[k] + ',' + D.UP[k + 1]] = D.UP[k + 2];
  var retypes = columns.map(function (c) {
    if (!c[1]) return null;
    var map = {};
    for (var k = 0; k < c[1].length; k += 2) map[c[1][k]] = c[1][k + 1];
    return map;
  });
  function union(a, b) {
    if (a === b || a === ALL) return a;
    if (b === ALL) return b;
    var v = unions[a + ',' + b];
    if (v === undefined) throw new Error('the report has no union of value sets ' + a + ' and ' + b);
    return v;
  }
  function at(file, line) { return file < 0 ? '' : ' (' + S[file] + ':' + line + ')'; }
  function byName(a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }

  // What a user is in and, separately, their attribute values: each computed on first use and
  // kept (filtering users by group needs every user's groups, not their values or reasons).
  var cache = [], valueCache = [];
  /** The direct groups (the user's own list, the groups whose members list them, the default group) and every group the user is in. */
  function info(i) {
    var c = cache[i];
    if (c) return c;
    var u = users[i], direct = [], member = {}, all = [];
    if (u[2] & 1) {
      var d = u[3], members = [];
      for (var k = 0; k < d.length; k += 4) {
        var g = d[k + 1];
        if (d[k] === 0) { if (direct.indexOf(g) < 0) direct.push(g); }
        else if (members.indexOf(g) < 0) members.push(g);
      }
      members.forEach(function (g) { if (direct.indexOf(g) < 0) direct.push(g); });
      if (direct.indexOf(D.defaultGroup) < 0) direct.push(D.defaultGroup);
      direct.forEach(function (g) {
        if (!member[g]) { member[g] = true; all.push(g); }
        var ancestors = groups[g][1];
        for (var k = 0; k < ancestors.length; k += 2) if (!member[ancestors[k]]) { member[ancestors[k]] = true; all.push(ancestors[k]); }
      });
    }
    c = cache[i] = { direct: direct, member: member, all: all, groupNames: null };
    return c;
  }
  /** The user's groups with why, sorted by name (the resolver's reasons, in its order). */
  function groupsOf(i) {
    var u = users[i], reasons = {}, order = [];
    function add(g, text) {
      if (!reasons[g]) { reasons[g] = []; order.push(g); }
      reasons[g].push(text);
    }
    if (u[2] & 1) {
      var d = u[3];
      for (var k = 0; k < d.length; k += 4) {
        if (d[k] === 0) add(d[k + 1], 'set on the user' + at(d[k + 2], d[k + 3]));
      }
      for (var k = 0; k < d.length; k += 4) {
        if (d[k] === 1) add(d[k + 1], 'listed in members of ' + S[groups[d[k + 1]][0]] + at(d[k + 2], d[k + 3]));
      }
      add(D.defaultGroup, S[D.defaultReason]);
      info(i).direct.forEach(function (g) {
        var ancestors = groups[g][1];
        for (var k = 0; k < ancestors.length; k += 2) add(ancestors[k], S[ancestors[k + 1]]);
      });
    }
    return order.map(function (g) { return { name: S[groups[g][0]], because: reasons[g] }; }).sort(byName);
  }
  function valuesOf(i) {
    var v = valueCache[i];
    if (v) return v;
    var u = users[i], enabled = (u[2] & 1) === 1;
    var ids = attrs.map(function (a) { return enabled ? a[1] : 0; });
    var sources = [], own = [];
    if (enabled) {
      // Attribute values: each direct group's (nearest definition), unioned, replaced by the user's own.
      info(i).direct.forEach(function (g) {
        groups[g][2].forEach(function (entry) {
          var a = entry[0];
          if (!sources[a]) { sources[a] = [entry]; ids[a] = entry[1]; }
          else { sources[a].push(entry); ids[a] = union(ids[a], entry[1]); }
        });
      });
      var o = u[7];
      for (var k = 0; k < o.length; k += 4) { ids[o[k]] = o[k + 1]; own[o[k]] = 'set on the user' + at(o[k + 2], o[k + 3]); }
      var sys = u[8];
      for (var k = 0; k < sys.length; k += 2) ids[sys[k]] = sys[k + 1];
    }
    v = valueCache[i] = { ids: ids, sources: sources, own: own };
    return v;
  }

  function groupNames(i) {
    var c = info(i);
    if (!c.groupNames) c.groupNames = c.all.map(function (g) { return S[groups[g][0]]; }).sort();
    return c.groupNames;
  }
  function rolesOf(i) {
    return D.R[users[i][4]][0].map(function (r) { return { name: S[r[0]], because: r[1].map(function (n) { return S[n]; }) }; });
  }
  function permissions(i) { return D.R[users[i][4]][1].map(function (n) { return S[n]; }); }

  /** The attributes with a value (not none), sorted by name, with why; none for a disabled user. */
  function attributesOf(i) {
    var c = valuesOf(i), out = [];
    if (!(users[i][2] & 1)) return out;
    attrs.forEach(function (a, index) {
      if (a[3]) return; // system attributes: the login, e-mail and name
      var id = c.ids[index], value = V[id];
      if (value[0] === 0) return;
      var because;
      if (c.own[index] !== undefined) because = [c.own[index]];
      else if (!c.sources[index]) because = [S[a[2]]];
      else because = reasonsOf(c.sources[index]);
      out.push({ name: S[a[0]], value: value[0] === 2 ? 'all' : value[1].slice(1, -1), because: because });
    });
    return out.sort(byName);
  }
  // Several groups giving one attribute: only the 'all's explain an 'all'; one reason per definition.
  function reasonsOf(entries) {
    if (entries.length > 1) {
      var alls = entries.filter(function (e) { return e[1] === ALL; });
      if (alls.length > 0) entries = alls;
    }
    var seen = {}, out = [];
    entries.forEach(function (e) {
      for (var k = 0; k < e[2].length; k += 2) {
        if (entries.length > 1 && seen[e[2][k + 1]]) continue;
        seen[e[2][k + 1]] = true;
        out.push(S[e[2][k]]);
      }
    });
    return out;
  }

  var NONE = { kind: 'none', text: 'no access', filtered: false };
  var UNFILTERED = { kind: 'full', text: 'unfiltered', filtered: false };
  /** User i's access to subject j: colour, filters in words, and whether any rule filters. */
  function cell(i, j) {
    var u = users[i], f = u[2], s = subjects[j];
    if (!(f & 1)) return NONE;
    var c = info(i);
    if (!(f & 2) && !s.o && !s.gr.some(function (g) { return c.member[g]; })) return NONE;
    if (f & 4 || s.p.length === 0) return UNFILTERED;
    var ids = valuesOf(i).ids, texts = [], some = false, nothing = false;
    s.p.forEach(function (rule) {
      var applies = rule[2];
      if (applies && !applies[0].some(function (g) { return c.member[g]; }) && applies[1].indexOf(u[0]) < 0) return;
      var parts = rule[3].map(function (cond) {
        var id = cond[1];
        if (cond[0] >= 0) {
          id = ids[columns[cond[0]][0]];
          if (retypes[cond[0]]) id = retypes[cond[0]][id];
        }
        return id < 0 ? [cond[3], 1] : [cond[3] + V[id][1], EFFECT[cond[2]][V[id][0]]];
      });
      var effect;
      if (rule[1]) {
        effect = parts.some(function (p) { return p[1] === 0; }) ? 0 : parts.every(function (p) { return p[1] === 2; }) ? 2 : 1;
        texts.push(rule[0] + ': any(' + parts.map(function (p) { return p[0]; }).join(' | ') + ')');
      } else {
        effect = parts[0][1];
        texts.push(parts[0][0]);
      }
      if (effect === 2) nothing = true;
      else if (effect === 1) some = true;
    });
    if (texts.length === 0) return UNFILTERED;
    return { kind: nothing ? 'denied' : some ? 'filtered' : 'full', text: texts.join('; '), filtered: true };
  }

  return {
    users: users.length,
    login: function (i) { return S[users[i][0]]; },
    name: function (i) { return users[i][1] < 0 ? '' : S[users[i][1]]; },
    flags: function (i) { return users[i][2]; },
    counts: function (i) { return users[i][6]; },
    home: function (i) { return users[i][5] < 0 ? '' : S[users[i][5]]; },
    groups: groupsOf,
    groupNames: groupNames,
    roles: rolesOf,
    permissions: permissions,
    attributes: attributesOf,
    cell: cell,
  };
}`;
