/* illkirch.eservices: the autosave of a request being filled in (#17).
 *
 * The wizard « Faire la demande » (@@deposer) of a logged-in citizen has
 * <div id="draft-autosave" data-url="…/@drafts" data-service="<uid>"
 * data-autosave-delay="30000" data-saved="Brouillon enregistré à ${time}"
 * data-failed="…"> and the hidden field <input name="draft">. While the
 * citizen types, the current step's values are saved every
 * data-autosave-delay milliseconds (read again each time: a test may
 * shorten it) without reloading the page: POST /@drafts the first time
 * (the draft's id goes into the hidden field, so that the next step's
 * POST updates the same draft), then PATCH /@drafts/<id>. The REST API
 * takes the visitor's login cookie; a JSON body is required (the portal's
 * protection against cross-site writes). The polite live region
 * #draft-status (role="status") says « Brouillon enregistré à HH:MM ».
 * Without script, the page saves the draft at each step and with the
 * button « Enregistrer le brouillon ».
 */
(function () {
  "use strict";
  var settings = document.getElementById("draft-autosave");
  var draftField = document.getElementById("draft-id");
  var status = document.getElementById("draft-status");
  if (!settings || !draftField || !window.fetch) { return; }
  var form = settings.closest("form");
  if (!form) { return; }
  var timer = null;
  var saving = false;
  var dirty = false;

  function delay() {
    var value = parseInt(settings.dataset.autosaveDelay, 10);
    return isNaN(value) || value < 0 ? 30000 : value;
  }

  function announce(text) {
    if (status && text) { status.textContent = text; }
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function values() {
    // The current step's visible fields (the other steps are saved).
    var answers = {};
    var data = {};
    var seen = {};
    var fields = form.querySelectorAll("input, select, textarea");
    Array.prototype.forEach.call(fields, function (field) {
      var name = field.name || "";
      var type = (field.type || "").toLowerCase();
      if (!name || type === "hidden" || type === "file" || type === "submit" ||
          type === "button" || seen[name]) { return; }
      var isAnswer = name.indexOf("a.") === 0;
      if (!isAnswer && name !== "member" && name !== "by_post") { return; }
      seen[name] = true;
      var group = form.querySelectorAll("[name=\"" + name.replace(/"/g, "\\\"") + "\"]");
      var value;
      if (type === "checkbox" && group.length > 1) {
        value = [];
        Array.prototype.forEach.call(group, function (box) {
          if (box.checked) { value.push(box.value); }
        });
      } else if (type === "checkbox") {
        value = field.checked;
      } else if (type === "radio") {
        value = "";
        Array.prototype.forEach.call(group, function (radio) {
          if (radio.checked) { value = radio.value; }
        });
      } else if (field.multiple && field.options) {
        value = [];
        Array.prototype.forEach.call(field.options, function (option) {
          if (option.selected) { value.push(option.value); }
        });
      } else {
        value = field.value;
      }
      if (isAnswer) { answers[name.slice(2)] = value; } else { data[name] = value; }
    });
    data.answers = answers;
    var step = form.querySelector("input[type=hidden][name=step]");
    if (step) { data.step = step.value; }
    return data;
  }

  function save() {
    timer = null;
    if (saving) { dirty = true; return; }
    saving = true;
    dirty = false;
    var data = values();
    var id = draftField.value;
    var url = settings.dataset.url;
    if (id) {
      url = url + "/" + encodeURIComponent(id);
    } else {
      data.service = settings.dataset.service;
    }
    if (typeof data.member === "string" && !data.member) { delete data.member; }
    fetch(url, {
      method: id ? "PATCH" : "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "Content-Type": "application/json"},
      body: JSON.stringify(data)
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (draft) {
        draftField.value = draft.id;
        var now = new Date();
        announce((settings.dataset.saved || "").replace(
          "${time}", pad(now.getHours()) + ":" + pad(now.getMinutes())));
      })
      .catch(function () { announce(settings.dataset.failed); })
      .then(function () {
        saving = false;
        if (dirty) { schedule(); }
      });
  }

  function schedule() {
    dirty = true;
    if (timer === null) { timer = window.setTimeout(save, delay()); }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
