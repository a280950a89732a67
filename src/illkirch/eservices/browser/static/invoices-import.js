/* illkirch.eservices: the progress of a background invoice import (#16).
 *
 * The page « Importer des factures » following a job (?job=<id>) has a
 * <section id="import-job" data-job-url="…/@invoices-import/<id>"
 * data-following="true" data-statuses='{"<state>": "…${rows}…"}'>: every two seconds
 * this script asks the job's state (GET, JSON), moves the <progress> bar
 * and rewrites the live status text (role="status": read by screen readers
 * without moving the focus); once the job is finished or refused it loads
 * the page again, which shows the report or the errors. Without script,
 * the page's « Actualiser » link does the same.
 */
(function () {
  "use strict";
  var section = document.getElementById("import-job");
  if (!section || section.dataset.following !== "true") { return; }
  var bar = document.getElementById("import-progress");
  var status = document.getElementById("import-status");
  var url = section.dataset.jobUrl;
  var last = status.textContent;
  var statuses = JSON.parse(section.dataset.statuses || "{}");

  function text(job) {
    var template = statuses[job.state] || "";
    return template.replace(/\$\{(\w+)\}/g, function (_match, name) {
      var value = job[name];
      return value === null || value === undefined ? "0" : String(value);
    });
  }

  function ask() {
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + " %";
        var now = text(job);
        if (now && now !== last) {  // announced only when it changes
          status.textContent = now;
          last = now;
        }
        if (job.state === "done" || job.state === "refused") {
          window.location.reload();
          return;
        }
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }

  window.setTimeout(ask, 1000);
})();
