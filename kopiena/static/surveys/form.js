// Live skip logic for the survey form: shows and hides questions as the respondent
// answers. A JavaScript port of kopiena/surveys/expressions.py (same grammar, same
// XPath value rules); the server re-checks everything, so this only spares the
// respondent questions that do not apply. Without JavaScript the form still works.
(function () {
  "use strict";

  var FUNCTIONS = {
    "selected": [2, 2, function (v, c) { return tokens(v).indexOf(toString(c).trim()) >= 0; }],
    "count-selected": [1, 1, function (v) { return tokens(v).length; }],
    "string-length": [1, 1, function (v) { return Array.from(toString(v)).length; }],
    "regex": [2, 2, function (v, re) {
      try { return new RegExp(toString(re)).test(toString(v).slice(0, 10000)); }
      catch (e) { throw new Unsupported("bad regex"); }
    }],
    "if": [3, 3, null],
    "today": [0, 0, function () {
      var d = new Date();
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    }],
    "coalesce": [2, 2, function (a, b) { return toString(a) ? a : b; }],
    "not": [1, 1, function (v) { return !toBoolean(v); }],
    "true": [0, 0, function () { return true; }],
    "false": [0, 0, function () { return false; }],
    "number": [1, 1, function (v) { return toNumber(v); }],
    "string": [1, 1, function (v) { return toString(v); }],
    "int": [1, 1, function (v) { var n = toNumber(v); return isFinite(n) ? Math.trunc(n) : n; }],
    "concat": [1, 20, function () { return Array.prototype.map.call(arguments, toString).join(""); }],
    "contains": [2, 2, function (a, b) { return toString(a).indexOf(toString(b)) >= 0; }],
    "starts-with": [2, 2, function (a, b) { return toString(a).indexOf(toString(b)) === 0; }]
  };
  var LEVELS = [["or"], ["and"], ["=", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "div", "mod"]];
  var TOKEN = /\s*(?:(\$\{\s*([A-Za-z_][\w.\-]*)\s*\})|(\d+(?:\.\d*)?|\.\d+)|('[^']*'|"[^"]*")|(<=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)|([A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)|(\.))/y;

  function Unsupported(message) { this.message = message; }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  function tokenize(source) {
    var result = [], position = 0, match;
    source = source.trim();
    while (position < source.length) {
      TOKEN.lastIndex = position;
      match = TOKEN.exec(source);
      if (!match || TOKEN.lastIndex === position) { throw new Unsupported("unexpected input"); }
      position = TOKEN.lastIndex;
      if (match[1]) { result.push(["ref", match[2]]); }
      else if (match[3] !== undefined) { result.push(["number", match[3]]); }
      else if (match[4] !== undefined) { result.push(["string", match[4].slice(1, -1)]); }
      else if (match[5]) { result.push(["op", match[5]]); }
      else if (match[6]) {
        var word = match[6];
        result.push([["and", "or", "div", "mod"].indexOf(word) >= 0 ? "op" : "name", word]);
      } else { result.push(["dot", "."]); }
    }
    return result;
  }

  function parse(tokens) {
    var index = 0;
    function peek() { return tokens[index]; }
    function take() {
      if (index >= tokens.length) { throw new Unsupported("unexpected end"); }
      return tokens[index++];
    }
    function accept(ops) {
      var token = peek();
      if (token && token[0] === "op" && ops.indexOf(token[1]) >= 0) { index++; return token[1]; }
      return null;
    }
    function binary(level) {
      if (level === LEVELS.length) { return unary(); }
      var left = binary(level + 1), op;
      while ((op = accept(LEVELS[level])) !== null) { left = ["binary", op, left, binary(level + 1)]; }
      return left;
    }
    function unary() { return accept(["-"]) ? ["negate", unary()] : primary(); }
    function primary() {
      var token = take(), kind = token[0], text = token[1];
      if (kind === "ref") { return ["ref", text]; }
      if (kind === "dot") { return ["current"]; }
      if (kind === "number") { return ["literal", parseFloat(text)]; }
      if (kind === "string") { return ["literal", text]; }
      if (kind === "op" && text === "(") {
        var inner = binary(0);
        if (!accept([")"])) { throw new Unsupported("missing )"); }
        return inner;
      }
      if (kind === "name" && accept(["("])) {
        if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, text)) { throw new Unsupported("unknown function"); }
        var args = [];
        if (!accept([")"])) {
          args.push(binary(0));
          while (accept([","])) { args.push(binary(0)); }
          if (!accept([")"])) { throw new Unsupported("missing )"); }
        }
        var arity = FUNCTIONS[text];
        if (args.length < arity[0] || args.length > arity[1]) { throw new Unsupported("arity"); }
        return ["call", text, args];
      }
      throw new Unsupported("unexpected token");
    }
    var tree = binary(0);
    if (index < tokens.length) { throw new Unsupported("trailing input"); }
    return tree;
  }

  // XPath value conversions, as in expressions.py.
  function toString(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") { return isNaN(v) ? "NaN" : String(v); }
    if (Array.isArray(v)) { return v.map(toString).join(" "); }
    return String(v);
  }
  function toNumber(v) {
    if (typeof v === "boolean") { return v ? 1 : 0; }
    if (typeof v === "number") { return v; }
    var text = toString(v).trim();
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
      var day = Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10));
      return isNaN(day) ? NaN : day / 86400000;
    }
    if (text === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) { return NaN; }
    return parseFloat(text);
  }
  function toBoolean(v) {
    if (typeof v === "boolean") { return v; }
    if (typeof v === "number") { return !(v === 0 || isNaN(v)); }
    return toString(v).length > 0;
  }
  function tokens(v) { return toString(v).split(/\s+/).filter(Boolean); }

  function compare(op, a, b) {
    if (op === "=" || op === "!=") {
      var equal;
      if (typeof a === "boolean" || typeof b === "boolean") { equal = toBoolean(a) === toBoolean(b); }
      else if (typeof a === "number" || typeof b === "number") { equal = toNumber(a) === toNumber(b); }
      else { equal = toString(a) === toString(b); }
      return op === "=" ? equal : !equal;
    }
    var x = toNumber(a), y = toNumber(b);
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
  function arithmetic(op, a, b) {
    var x = toNumber(a), y = toNumber(b);
    if (op === "+") { return x + y; }
    if (op === "-") { return x - y; }
    if (op === "*") { return x * y; }
    if (op === "div") { return x / y; }
    return y === 0 ? NaN : x % y;
  }

  function evaluate(node, values, current) {
    switch (node[0]) {
      case "literal": return node[1];
      case "ref": return values[node[1]] === undefined ? "" : values[node[1]];
      case "current": return current === undefined ? "" : current;
      case "negate": return -toNumber(evaluate(node[1], values, current));
      case "binary":
        var op = node[1];
        if (op === "and") { return toBoolean(evaluate(node[2], values, current)) && toBoolean(evaluate(node[3], values, current)); }
        if (op === "or") { return toBoolean(evaluate(node[2], values, current)) || toBoolean(evaluate(node[3], values, current)); }
        var a = evaluate(node[2], values, current), b = evaluate(node[3], values, current);
        return ["=", "!=", "<", "<=", ">", ">="].indexOf(op) >= 0 ? compare(op, a, b) : arithmetic(op, a, b);
      default:
        if (node[1] === "if") {
          return evaluate(node[2][toBoolean(evaluate(node[2][0], values, current)) ? 1 : 2], values, current);
        }
        var args = node[2].map(function (arg) { return evaluate(arg, values, current); });
        return FUNCTIONS[node[1]][2].apply(null, args);
    }
  }

  var compiled = {};
  function isRelevant(source, values) {
    try {
      if (!(source in compiled)) { compiled[source] = parse(tokenize(source)); }
      return toBoolean(evaluate(compiled[source], values));
    } catch (e) {
      if (e instanceof Unsupported) { return true; } // not checkable: show it, as the server does
      throw e;
    }
  }

  // The form's current answers, as the server's AnswerForm.context() gives them.
  function formValues(form, known) {
    var values = Object.assign({}, known);
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var name = box.getAttribute("data-question");
      var inputs = box.querySelectorAll("[name='" + name + "']");
      if (!inputs.length) { return; }
      var picked = [];
      inputs.forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          if (input.checked) { picked.push(input.value); }
        } else if (input.value.trim()) {
          picked.push(input.value.trim());
        }
      });
      var value = picked.join(" ");
      if (inputs[0].inputMode === "decimal" || inputs[0].inputMode === "numeric") {
        var number = toNumber(value.replace(/\s/g, "").replace(",", "."));
        values[name] = isNaN(number) ? value : number;
      } else {
        values[name] = value;
      }
    });
    return values;
  }

  function update(form, known) {
    var values = formValues(form, known);
    form.querySelectorAll("[data-relevant]").forEach(function (box) {
      box.hidden = !isRelevant(box.getAttribute("data-relevant"), values);
    });
  }

  function init() {
    var form = document.querySelector("[data-answer-form]");
    if (!form) { return; }
    var knownNode = document.getElementById("answer-known-values");
    var known = knownNode ? JSON.parse(knownNode.textContent) : {};
    update(form, known);
    form.addEventListener("input", function () { update(form, known); });
    form.addEventListener("change", function () { update(form, known); });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.KopienaExpressions = { tokenize: tokenize, parse: parse, evaluate: evaluate, isRelevant: isRelevant };
})();
