/* illkirch.eservices: the conversation of a request's page (#17).
 *
 * The section #messagerie holds the thread (<ol id="conversation-thread">,
 * one <li data-id> per item) and data-conversation (JSON: the address of
 * <request>/@messages and the French labels). Every 30 seconds this script
 * asks GET @messages (JSON), adds the items the page does not show yet at
 * the end of the list (not the older ones the page leaves out: config.hidden),
 * announces those written by others in the polite live
 * region (#conversation-live, role="status": read by screen readers without
 * moving the focus), then marks them read (POST @messages/read, JSON). The
 * messages' HTML comes escaped by the server (links only). Without script,
 * the page shows the conversation as it was when loaded.
 */
(function () {
  "use strict";
  var section = document.getElementById("messagerie");
  var list = document.getElementById("conversation-thread");
  var live = document.getElementById("conversation-live");
  if (!section || !list || !live || !window.fetch) { return; }
  var config = JSON.parse(section.dataset.conversation || "{}");
  var PERIOD = 30000;
  var known = {};
  Array.prototype.forEach.call(list.children, function (item) {
    known[item.dataset.id] = true;
  });
  // the older items the page does not show (« Voir les messages
  // précédents »): listed by @messages, they are not new
  (config.hidden || []).forEach(function (id) { known[id] = true; });

  function formatTime(iso) {
    try {
      return new Date(iso).toLocaleString("fr-FR", {
        timeZone: "Europe/Paris", day: "2-digit", month: "2-digit",
        year: "numeric", hour: "2-digit", minute: "2-digit"
      }).replace(",", "");
    } catch (error) {
      return iso;
    }
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) {
      return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " Mo";
    }
    return Math.max(1, Math.round(bytes / 1024)) + " ko";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render(item) {
    var li = element("li", "card mb-2 eservices-thread-item eservices-thread-" + item.kind);
    li.id = "message-" + item.id;
    li.dataset.id = item.id;
    var body = element("div", "card-body");
    var head = element("p", "mb-1");
    head.appendChild(element("strong", "eservices-thread-kind", config.kinds[item.kind] || item.kind));
    if (item.status) { head.appendChild(document.createTextNode(" : " + item.status)); }
    head.appendChild(document.createTextNode(" — "));
    head.appendChild(element("span", "eservices-thread-author", item.author));
    head.appendChild(document.createTextNode(", "));
    var time = element("time", "", formatTime(item.time));
    time.setAttribute("datetime", item.time);
    head.appendChild(time);
    body.appendChild(head);
    var text = element("p", "card-text mb-0 eservices-thread-text");
    text.innerHTML = item.html;  // escaped by the server: links and <br> only
    body.appendChild(text);
    if (item.attachments.length) {
      var files = element("ul", "mt-2 mb-0 eservices-thread-files");
      item.attachments.forEach(function (file) {
        var li2 = element("li");
        if (file.scan_label) {
          // « en cours d'analyse » or refused by the antivirus: no link
          li2.appendChild(document.createTextNode(file.filename));
        } else {
          var link = element("a", "", file.filename);
          link.href = section.dataset.base + "/@@piece-jointe-message/" + item.id + "/" + file.id;
          link.setAttribute("download", "");
          li2.appendChild(link);
        }
        li2.appendChild(document.createTextNode(" (" + size(file.size) + ")"));
        if (file.scan_label) {
          li2.appendChild(document.createTextNode(" "));
          li2.appendChild(element("strong", "eservices-scan-status", file.scan_label));
        }
        files.appendChild(li2);
      });
      body.appendChild(files);
    }
    if (item.seen_by && item.seen_by.length) {
      body.appendChild(element("p", "mt-1 mb-0 small eservices-thread-seen",
                               config.seenBy + " " + item.seen_by.join(", ")));
    }
    li.appendChild(body);
    return li;
  }

  function announce(added) {
    if (!added.length) { return; }
    var text = added.length === 1
      ? config.announceOne.replace("{author}", added[0].author)
      : config.announceMany.replace("{count}", String(added.length));
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 100);
  }

  function markRead() {
    return fetch(config.url + "/read", {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "Content-Type": "application/json"},
      body: "{}"
    });
  }

  function poll() {
    fetch(config.url, {
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      var added = [];
      data.items.forEach(function (item) {
        if (known[item.id]) { return; }
        known[item.id] = true;
        list.appendChild(render(item));
        if (!item.mine) { added.push(item); }
      });
      if (added.length) {
        var empty = document.getElementById("conversation-empty");
        if (empty) { empty.hidden = true; }
        announce(added);
        if (data.unread) { markRead(); }
      }
    }).catch(function () { /* the next poll tries again */ });
  }

  section.dataset.base = config.url.replace(/\/@messages$/, "");
  window.setInterval(poll, config.period || PERIOD);
})();
