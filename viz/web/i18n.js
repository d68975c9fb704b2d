/* Every text a page shows, in English and Chinese, from engine/messages/*.json (the same
 * catalogue Python reads: engine/i18n.py). The page carries both languages in
 * <script type="application/json" id="chainrule-messages">, with the one it was written in:
 *
 *   {"language": "zh", "messages": {"en": {key: text}, "zh": {key: text}}}
 *
 * i18n.t("page.step_of", {step: 3, steps: 7}) fills {step} and {steps} (numbers are
 * formatted by the caller, as Python's are); "{{" and "}}" are braces.
 * An element written <span data-i18n="page.next"></span> gets its text from the catalogue,
 * and data-i18n-attr="aria-label:page.zoom_in title:page.zoom_in_tip" its attributes;
 * i18n.translate(root) fills both. i18n.setLanguage("en") changes the language in place:
 * it retranslates the page and calls every onChange(listener), which redraws what is
 * written from numbers (captions, tables), so no step or what-if state is lost. The
 * address may choose the language: ?lang=zh, or lang=zh among the #hash's parameters.
 */
var chainrule_i18n = (function () {
  "use strict";

  var LANGUAGES = ["en", "zh"];
  var HTML_LANG = { en: "en", zh: "zh-Hans" };
  var PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  var messages = { en: Object.create(null), zh: Object.create(null) };
  var current = "en";
  var listeners = [];

  function own(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  }

  function known(lang) { return LANGUAGES.indexOf(lang) >= 0; }

  /** Fill text's {name} from params; "{{" and "}}" are braces (engine/i18n.py's fill). */
  function fill(text, params) {
    return text.replace(PLACEHOLDER, function (match, name) {
      if (name === undefined) { return match[0]; }
      var value = params ? own(params, name) : undefined;
      if (value === undefined) {
        throw new Error("the message " + JSON.stringify(text) + " needs " + name + "=…");
      }
      return String(value);
    });
  }

  /** The message key in the current language, its placeholders filled. */
  function t(key, params) {
    var text = own(messages[current], key);
    if (text === undefined) { throw new Error("no message " + JSON.stringify(key)); }
    return fill(text, params);
  }

  /** Whether the catalogue has key (a page may ask before choosing a fallback). */
  function has(key) { return own(messages.en, key) !== undefined; }

  /** Fill root's [data-i18n] texts and [data-i18n-attr] attributes in the current language. */
  function translate(root) {
    var scope = root || document;
    var texts = scope.querySelectorAll("[data-i18n]");
    for (var i = 0; i < texts.length; i += 1) {
      texts[i].textContent = t(texts[i].getAttribute("data-i18n"));
    }
    var attributed = scope.querySelectorAll("[data-i18n-attr]");
    for (var j = 0; j < attributed.length; j += 1) {
      var pairs = attributed[j].getAttribute("data-i18n-attr").split(/\s+/);
      for (var k = 0; k < pairs.length; k += 1) {
        var cut = pairs[k].indexOf(":");
        if (cut > 0) {
          attributed[j].setAttribute(pairs[k].slice(0, cut), t(pairs[k].slice(cut + 1)));
        }
      }
    }
  }

  /** The language the address asks for (?lang=zh or #…&lang=zh), or null. */
  function fromAddress(location) {
    var where = location || window.location;
    var parts = [where.search.replace(/^\?/, ""), where.hash.replace(/^#/, "")];
    for (var i = 0; i < parts.length; i += 1) {
      var fields = parts[i].split("&");
      for (var j = 0; j < fields.length; j += 1) {
        var pair = fields[j].split("=");
        if (pair[0] === "lang" && known(pair[1])) { return pair[1]; }
      }
    }
    return null;
  }

  function mark(lang) {
    document.documentElement.setAttribute("lang", HTML_LANG[lang]);
    var switches = document.querySelectorAll("[data-language-choice]");
    for (var i = 0; i < switches.length; i += 1) {
      var on = switches[i].getAttribute("data-language-choice") === lang;
      switches[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  /** Change every text to lang, in place: translate() the page, then tell each listener. */
  function setLanguage(lang) {
    if (!known(lang)) {
      throw new Error("language " + JSON.stringify(lang) + ": chainrule speaks \"en\" and \"zh\"");
    }
    current = lang;
    mark(lang);
    translate(document);
    for (var i = 0; i < listeners.length; i += 1) { listeners[i](lang); }
  }

  /** Call listener(lang) after every change of language. */
  function onChange(listener) { listeners.push(listener); }

  /** Read the page's catalogue (the element id, default chainrule-messages) and choose the
   * address's language, else the one the page was written in. Returns that language. */
  function load(id) {
    var element = document.getElementById(id || "chainrule-messages");
    var data = JSON.parse(element.textContent);
    LANGUAGES.forEach(function (lang) {
      var table = Object.create(null);
      var given = data.messages[lang] || {};
      Object.keys(given).forEach(function (key) { table[key] = given[key]; });
      messages[lang] = table;
    });
    current = fromAddress() || (known(data.language) ? data.language : "en");
    mark(current);
    translate(document);
    return current;
  }

  /** Buttons that switch the language: every [data-language-choice] element in root. */
  function wireSwitch(root) {
    var buttons = (root || document).querySelectorAll("[data-language-choice]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].addEventListener("click", function (event) {
        setLanguage(event.currentTarget.getAttribute("data-language-choice"));
      });
    }
  }

  return {
    LANGUAGES: LANGUAGES,
    fill: fill,
    fromAddress: fromAddress,
    has: has,
    language: function () { return current; },
    load: load,
    onChange: onChange,
    setLanguage: setLanguage,
    t: t,
    translate: translate,
    wireSwitch: wireSwitch
  };
}());
