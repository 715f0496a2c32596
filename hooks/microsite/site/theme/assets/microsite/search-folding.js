/*
 * Search that forgives accents and case: "Muller" and "Mueller" find "Müller",
 * "Ostergaard" finds "Østergaard", "Aksin" finds "Aksın".
 *
 * microsite.features.search puts this script in front of Material's search
 * worker (the same file, so it runs in the worker, in a real Worker online and
 * in the iframe shim from file://). It changes three things, all inside the
 * worker, so that Material's own code and its highlighting are left as they are:
 *
 * 1. Indexing: a `fold` step first in lunr's indexing pipeline. Each word is
 *    indexed folded ("müller" -> "muller") and, when it has a German umlaut, also
 *    in its German spelling ("mueller"). The folded tokens keep their position,
 *    so Material's result list still marks the word as written on the page.
 *    lunr's trimmer strips non-ASCII letters at word ends ("østergaard" ->
 *    "stergaard"); folding first keeps them.
 * 2. Queries: the query is folded before Material reads it. Material adds a
 *    trailing wildcard to every term, and lunr never runs wildcard terms through
 *    a pipeline, so the query string itself must be folded.
 * 3. Results: Material opens a result with `?h=<terms>` and marks those terms on
 *    the page by matching text. A folded term ("muller") matches no accented
 *    word, so the words the worker marked in the result ("Müller") are added to
 *    the terms; a term the page lacks is shown as it was typed.
 *
 * Folding: lower case; ø->o, ı->i, ß->ss, æ->ae, œ->oe, đ/ð->d, þ->th, ł->l,
 * ħ->h; then Unicode NFKD without combining diacritical marks (é->e, ş->s).
 * Only the diacritical-mark blocks are removed: the vowel signs of Indic
 * scripts and the kana voicing marks are letters of their words, not accents.
 */
(function () {
  "use strict";

  var SETUP = 0, QUERY = 2, RESULT = 3;   // Material's SearchMessageType
  var LETTERS = { "ø": "o", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
                  "ł": "l", "ħ": "h" };
  var SPECIAL = /[øıßæœđðþłħ]/g;
  var GERMAN = { "ä": "ae", "ö": "oe", "ü": "ue" };
  var UMLAUT = /[äöü]/g, HAS_UMLAUT = /[äöü]/;
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var MARKED = /<mark\b[^>]*>([^<]*)<\/mark>/g;      // as the worker marks a match
  var ASCII = /^[\x00-\x7f]*$/;
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

  function fold(text) {
    return text.toLowerCase()
      .replace(SPECIAL, function (letter) { return LETTERS[letter]; })
      .normalize("NFKD").replace(MARKS, "").normalize("NFC");
  }

  // Every folded form of a word: the plain one, and the German one if it differs.
  function foldings(word) {
    var lower = word.toLowerCase().normalize("NFC");
    var forms = [fold(lower)];
    if (HAS_UMLAUT.test(lower)) {
      var german = fold(lower.replace(UMLAUT, function (letter) { return GERMAN[letter]; }));
      if (german !== forms[0]) forms.push(german);
    }
    return forms;
  }

  // -- 1. indexing ------------------------------------------------------------------
  function foldToken(token) {
    var word = token.toString();
    if (ASCII.test(word)) return token;        // most words: nothing to fold (the tokenizer lowered them)
    var forms = foldings(word);
    var german = forms.length > 1 ? token.clone(function () { return forms[1]; }) : null;
    token.update(function () { return forms[0]; });
    return german ? [token, german] : token;
  }

  function patchLunr(lunr) {
    if (lunr.micrositeFolding) return;
    lunr.micrositeFolding = true;
    lunr.Pipeline.registerFunction(foldToken, "micrositeFold");
    // First in the indexing pipeline, whatever Material or a language plugin put
    // there before the first document is added (lunr 2.3.9: `_stack` is the list).
    var add = lunr.Builder.prototype.add;
    lunr.Builder.prototype.add = function (doc, attributes) {
      if (this.pipeline._stack[0] !== foldToken) {
        this.pipeline.remove(foldToken);
        this.pipeline._stack.unshift(foldToken);
      }
      return add.call(this, doc, attributes);
    };
  }

  // -- 3. results -------------------------------------------------------------------
  var typed = {};          // folded word -> the word as typed, for the last query

  function remember(query) {
    typed = {};
    query.split(/\s+/).forEach(function (word) {
      word = word.replace(/^[+-]+|(?:[~^]\d*|\*)$/g, "");       // lunr's query syntax around a term
      if (word) typed[fold(word)] = word.toLowerCase();
    });
  }

  function matchesTerm(word, term) {
    return foldings(word).some(function (form) { return form.indexOf(term) === 0; });
  }

  function withWordsAsWritten(item) {
    var terms = {}, marked = [], match;
    [item.title, item.text].forEach(function (field) {
      if (typeof field !== "string") return;
      MARKED.lastIndex = 0;
      while ((match = MARKED.exec(field)) !== null) {
        // The site's separator may leave punctuation on a word ("Østergaard.")
        var word = match[1].replace(EDGES, "");
        if (word && marked.indexOf(word) < 0) marked.push(word);
      }
    });
    Object.keys(item.terms || {}).forEach(function (term) {
      if (!item.terms[term]) {
        terms[typed[term] || term] = false;
        return;
      }
      terms[term] = true;
      marked.forEach(function (word) {
        if (word.toLowerCase().indexOf(term) !== 0 && matchesTerm(word, term)) terms[word] = true;
      });
    });
    item.terms = terms;
  }

  function rewriteResult(result) {
    (result && result.items || []).forEach(function (group) {
      group.forEach(withWordsAsWritten);
    });
  }

  // -- wiring: before Material's own listener (this script runs first) ---------------
  addEventListener("message", function (event) {
    var message = event.data;
    if (!message) return;
    if (message.type === SETUP && self.lunr) patchLunr(self.lunr);
    if (message.type === QUERY && typeof message.data === "string") {
      remember(message.data);
      message.data = fold(message.data);
    }
  });

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT) rewriteResult(message.data);
    return post.apply(self, arguments);
  };

  // The folded forms of a word, as the index has them (for the tests).
  self.micrositeFoldings = foldings;
})();
