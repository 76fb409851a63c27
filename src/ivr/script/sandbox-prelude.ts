/**
 * JavaScript run once in every session's QuickJS context. It builds the
 * VoiceXML scope chain as nested plain objects (session > application >
 * document > dialog > anonymous), the helpers the host calls, and a small
 * read-only DOM for `<data>` results. Everything lives under one
 * non-enumerable global, `__hl`.
 */
export const SCOPE_NAMES = ['session', 'application', 'document', 'dialog', 'anonymous'] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];

/** `with` chain: the last `with` is searched first, so anonymous wins. */
export const WITH_CHAIN = SCOPE_NAMES.map((n) => `with(__hl.S.${n})`).join('');

/**
 * Drop indentation, blank lines and whole-line comments: the prelude is
 * compiled in every new session, and QuickJS compile time grows with the
 * source length. (The prelude has no multi-line string literals.)
 */
function compact(src: string): string {
  return src
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('//'))
    .join('\n');
}

export const SANDBOX_PRELUDE = compact(String.raw`
(function () {
  var G = globalThis;
  var NAMES = ${JSON.stringify(SCOPE_NAMES)};
  var WITH = ${JSON.stringify(WITH_CHAIN)};
  var hasOwn = Object.prototype.hasOwnProperty;
  function fresh(n) {
    var o = {};
    Object.defineProperty(o, n, { value: o, enumerable: false, writable: false, configurable: false });
    return o;
  }
  var S = {};
  for (var i = 0; i < NAMES.length; i++) S[NAMES[i]] = fresh(NAMES[i]);
  var indirectEval = eval;
  var base = null;
  var stack = [];
  // Compiled bodies by source text: the FIA re-evaluates the same guards and
  // expressions every step, and compiling dominated each evaluation. Each
  // function reads __hl.S at call time, so scope resets stay visible.
  var compiled = new Map();
  var COMPILED_MAX = 1024;
  function compile(body) {
    var fn = compiled.get(body);
    if (fn === undefined) {
      fn = indirectEval('(function () {' + WITH + '{' + body + '\n}})');
      if (compiled.size >= COMPILED_MAX) compiled.clear();
      compiled.set(body, fn);
    }
    return fn;
  }

  var hl = {
    S: S,
    reset: function (n) { S[n] = fresh(n); },
    has: function (name) {
      for (var k = NAMES.length - 1; k >= 0; k--) if (hasOwn.call(S[NAMES[k]], name)) return true;
      return false;
    },
    hasIn: function (scope, name) { return hasOwn.call(S[scope], name); },
    del: function (scope, name) { S[scope][name] = undefined; },
    put: function (scope, name, json) { S[scope][name] = json === undefined ? undefined : JSON.parse(json); },
    run: function (code, target) {
      try {
        indirectEval(WITH + '{' + code + '\n}');
      } finally {
        var now = Object.getOwnPropertyNames(G);
        for (var k = 0; k < now.length; k++) {
          var key = now[k];
          if (base.has(key)) continue;
          var d = Object.getOwnPropertyDescriptor(G, key);
          if (d && d.configurable) {
            S[target][key] = G[key];
            delete G[key];
          }
        }
      }
    },
    names: function (scope) { return Object.keys(S[scope]); },
    // Run a cached function body through the scope chain (expressions, conditions, assignments).
    ev: function (body) { return compile(body)(); },
    decl: function (scope, name, body) {
      var target = S[scope];
      target[name] = body === undefined ? undefined : compile(body)();
    },
    // Assign host data (JSON text) to a declared variable or a dotted path under it; false when undeclared.
    setPath: function (path, json) {
      var parts = path.split('.');
      var obj = null;
      for (var k = NAMES.length - 1; k >= 0; k--) if (hasOwn.call(S[NAMES[k]], parts[0])) { obj = S[NAMES[k]]; break; }
      if (obj === null) return false;
      for (var p = 0; p < parts.length - 1; p++) obj = obj[parts[p]];
      obj[parts[parts.length - 1]] = json === undefined ? undefined : JSON.parse(json);
      return true;
    },
    // A subdialog runs with new application, document, dialog and anonymous scopes.
    push: function () {
      stack.push([S.application, S.document, S.dialog, S.anonymous]);
      for (var k = 1; k < NAMES.length; k++) S[NAMES[k]] = fresh(NAMES[k]);
    },
    pop: function () {
      var f = stack.pop();
      if (f) { S.application = f[0]; S.document = f[1]; S.dialog = f[2]; S.anonymous = f[3]; }
    },
    // <foreach>: the arrays being walked (nested loops stack) and each one's next index.
    tmp: [],
    idx: [],
    fePush: function (body) {
      var a = compile(body)();
      var n = a.length; // throws for null / undefined before anything is pushed
      hl.tmp.push(a);
      hl.idx.push(0);
      return n;
    },
    feNext: function () {
      var k = hl.tmp.length - 1;
      return hl.tmp[k][hl.idx[k]++];
    },
    fePop: function () {
      hl.tmp.pop();
      hl.idx.pop();
    },
  };
  Object.defineProperty(G, '__hl', { value: hl, enumerable: false, writable: false, configurable: false });
  base = new Set(Object.getOwnPropertyNames(G));
})();
`);

/**
 * The read-only DOM for `<data>` results, installed on the first putDom
 * only: most sessions never fetch data, and the prelude is paid per session.
 */
export const SANDBOX_DOM = compact(String.raw`
(function () {
  var hasOwn = Object.prototype.hasOwnProperty;
  function Node() {}
  Node.prototype = {
    get firstChild() { return this.childNodes[0] || null; },
    get lastChild() { return this.childNodes[this.childNodes.length - 1] || null; },
    get nextSibling() {
      if (!this.parentNode) return null;
      var sib = this.parentNode.childNodes;
      return sib[sib.indexOf(this) + 1] || null;
    },
    get previousSibling() {
      if (!this.parentNode) return null;
      var sib = this.parentNode.childNodes;
      return sib[sib.indexOf(this) - 1] || null;
    },
    get textContent() {
      if (this.nodeType === 3) return this.nodeValue;
      var s = '';
      for (var j = 0; j < this.childNodes.length; j++) s += this.childNodes[j].textContent;
      return s;
    },
    get data() { return this.nodeValue; },
    get tagName() { return this.nodeType === 1 ? this.nodeName : undefined; },
    hasChildNodes: function () { return this.childNodes.length > 0; },
    getAttribute: function (n) { return this._a && hasOwn.call(this._a, n) ? this._a[n] : ''; },
    hasAttribute: function (n) { return !!this._a && hasOwn.call(this._a, n); },
    getElementsByTagName: function (name) {
      var out = [];
      (function walk(n) {
        for (var k = 0; k < n.childNodes.length; k++) {
          var c = n.childNodes[k];
          if (c.nodeType === 1) {
            if (name === '*' || c.nodeName === name) out.push(c);
            walk(c);
          }
        }
      })(this);
      out.item = function (x) { return out[x] || null; };
      return out;
    },
  };
  function build(j, parent) {
    var n = Object.create(Node.prototype);
    n.parentNode = parent;
    if (j.t === 'x') {
      n.nodeType = 3; n.nodeName = '#text'; n.nodeValue = j.v; n.childNodes = [];
      return n;
    }
    n.nodeType = 1; n.nodeName = j.n; n.nodeValue = null; n._a = j.a;
    n.attributes = Object.keys(j.a).map(function (k) { return { name: k, value: j.a[k] }; });
    n.childNodes = j.c.map(function (c) { return build(c, n); });
    return n;
  }

  __hl.putDom = function (scope, name, json) {
      var d = Object.create(Node.prototype);
      d.nodeType = 9; d.nodeName = '#document'; d.nodeValue = null; d.parentNode = null;
      d.childNodes = [build(JSON.parse(json), d)];
      d.documentElement = d.childNodes[0];
      __hl.S[scope][name] = d;
  };
})();
`);
