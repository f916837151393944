/* The kitchen board (templates/kitchen_board/board.html).
 *
 * The board's truth is its feed (GET …/feed): the script draws every card from it and
 * never patches cards from events, so a reconnect can neither duplicate nor lose one.
 * The shift's event stream (a WebSocket, authenticated by its first message: the page's
 * CSRF token; the credential stays in its HttpOnly cookie) says when to read the feed
 * again, and resumes after the last event seen (last_seq) when the link comes back.
 *
 * Cards are coloured by age: under 5 minutes fresh, 5 to 10 warm, 10 and over late.
 */
(function () {
  "use strict";

  var WARM_MINUTES = 5;
  var LATE_MINUTES = 10;
  var MAX_BACKOFF_MS = 10000;
  var OFF_DUTY_POLL_MS = 30000;

  var board = document.getElementById("board");
  if (!board) { return; }
  var say = board.dataset;
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
  var cards = document.getElementById("board-cards");
  var banner = document.getElementById("board-banner");
  var said = document.getElementById("board-said");
  var soundButton = document.getElementById("board-sound");

  var shiftId = null;
  var lastSeq = 0;
  var seen = null; // ticket ids drawn so far; null before the first draw (no chime then)
  var movers = {}; // ticket id -> the actor of the last event about it
  var socket = null;
  var backoff = 1000;
  var refreshing = null;
  var again = false;
  var audio = null;

  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  // data-t-state-in_prep is dataset.tStateIn_prep.
  function stateName(state) {
    return say["tState" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // The moves a card offers: the first is the bump.
  function movesOf(ticket) {
    switch (ticket.state) {
      case "new": return [["in_prep", say.tStart], ["hold", say.tHold]];
      case "in_prep": return [["ready", say.tReady], ["hold", say.tHold]];
      case "ready": return [["completed", say.tDone]];
      case "hold": return [[ticket.held_from || "new", say.tFire]];
      case "completed": return [["ready", say.tRecall]];
      default: return [];
    }
  }

  function ageClass(ticket) {
    if (ticket.state === "completed") { return "age-done"; }
    var minutes = ticket.age_seconds / 60;
    if (minutes >= LATE_MINUTES) { return "age-late"; }
    return minutes >= WARM_MINUTES ? "age-warm" : "age-fresh";
  }

  function card(ticket) {
    var item = element("li", "ticket " + ageClass(ticket) + " state-" + ticket.state);
    item.id = "ticket-" + ticket.id;
    item.dataset.version = String(ticket.version);
    var head = element("div", "ticket-head");
    var title = element("h2", "ticket-number", text(say.tTicket, { number: ticket.number }));
    title.id = "ticket-title-" + ticket.id;
    item.setAttribute("aria-labelledby", title.id);
    head.appendChild(title);
    head.appendChild(element("span", "ticket-state", stateName(ticket.state)));
    item.appendChild(head);
    var meta = element("p", "ticket-meta");
    meta.appendChild(element("span", "ticket-age",
      text(say.tAge, { minutes: Math.floor(ticket.age_seconds / 60) })));
    if (ticket.customer_name) { meta.appendChild(element("span", "ticket-name", ticket.customer_name)); }
    if (ticket.state === "hold" && ticket.fire_at) {
      meta.appendChild(element("span", "ticket-promised", text(say.tFires, { time: clock(ticket.fire_at) })));
    } else if (ticket.promised_ready_at) {
      meta.appendChild(element("span", "ticket-promised",
        text(say.tPromised, { time: clock(ticket.promised_ready_at) })));
    }
    item.appendChild(meta);
    var lines = element("ul", "ticket-lines");
    ticket.lines.forEach(function (line) {
      var row = element("li", "ticket-line");
      row.appendChild(element("span", "line-quantity", line.quantity + "×"));
      row.appendChild(element("span", "line-name", line.name));
      if (line.modifiers && line.modifiers.length) {
        row.appendChild(element("span", "line-modifiers", line.modifiers.join(", ")));
      }
      if (line.notes) { row.appendChild(element("span", "line-note", say.tNote + ": " + line.notes)); }
      lines.appendChild(row);
    });
    item.appendChild(lines);
    var actions = element("div", "ticket-actions");
    movesOf(ticket).forEach(function (move, index) {
      var button = element("button", index === 0 ? "bump" : "bump bump-quiet", move[1]);
      button.type = "button";
      button.dataset.ticket = ticket.id;
      button.dataset.to = move[0];
      button.dataset.version = String(ticket.version);
      button.dataset.number = String(ticket.number);
      actions.appendChild(button);
    });
    item.appendChild(actions);
    return item;
  }

  function allDay(items) {
    var list = document.getElementById("board-all-day-items");
    list.replaceChildren.apply(list, items.map(function (count) {
      var row = element("li", "all-day-item");
      row.appendChild(element("span", "all-day-quantity", String(count.quantity)));
      row.appendChild(element("span", "all-day-name", count.name));
      return row;
    }));
  }

  function draw(view) {
    var focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.ticket + ":" + document.activeElement.dataset.to : null;
    var arrived = [];
    cards.replaceChildren.apply(cards, view.tickets.map(function (ticket) {
      if (seen && !seen.has(ticket.id) && ticket.state === "new") { arrived.push(ticket.number); }
      return card(ticket);
    }));
    seen = new Set(view.tickets.map(function (ticket) { return ticket.id; }));
    allDay(view.all_day);
    document.getElementById("board-off-duty").hidden = view.shift_id !== null;
    document.getElementById("board-empty").hidden = view.shift_id === null || view.tickets.length > 0;
    if (focused) {
      var target = cards.querySelector('[data-ticket="' + focused.split(":")[0] + '"][data-to="' + focused.split(":")[1] + '"]');
      if (target) { target.focus(); }
    }
    if (arrived.length) {
      chime();
      tell(text(say.tArrived, { number: arrived.join(", ") }), "board-said-news");
    }
  }

  function tell(message, kind) {
    said.textContent = message;
    said.className = "board-said " + kind;
    said.hidden = false;
  }

  // One read at a time; a call while one is running reads once more after it.
  function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = fetch(say.feedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) {
        if (answer.redirected || answer.status === 401) { window.location.reload(); return null; }
        return answer.ok ? answer.json() : null;
      })
      .then(function (view) {
        if (!view) { return; }
        draw(view);
        if (view.shift_id !== shiftId) { follow(view.shift_id, view.last_seq); }
      })
      .catch(function () { /* the stream's reconnect reads again */ })
      .finally(function () {
        refreshing = null;
        if (again) { again = false; refresh(); }
      });
    return refreshing;
  }

  function follow(newShift, seq) {
    shiftId = newShift;
    lastSeq = seq;
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
    if (shiftId) { connect(); } else { window.setTimeout(refresh, OFF_DUTY_POLL_MS); }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + say.eventsUrl + shiftId + "/events?last_seq=" + lastSeq;
    var opened = new WebSocket(url);
    socket = opened;
    opened.onopen = function () {
      opened.send(JSON.stringify({ type: "auth", token: csrf }));
    };
    opened.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === "ping") { opened.send(JSON.stringify({ type: "pong" })); return; }
      if (banner.hidden === false) { banner.hidden = true; backoff = 1000; }
      if (typeof event.seq === "number" && event.seq > lastSeq) { lastSeq = event.seq; }
      var data = event.data || {};
      var ticketId = data.ticket_id || (data.ticket && data.ticket.id) || data.id;
      if (ticketId && data.actor) { movers[ticketId] = data.actor; }
      refresh();
    };
    opened.onclose = function (closed) {
      if (socket !== opened) { return; }
      socket = null;
      banner.hidden = false;
      if (closed.code === 4401) { window.location.reload(); return; }
      if (closed.code === 4409) { lastSeq = 0; }
      window.setTimeout(function () { refresh().then(function () { if (!socket && shiftId) { connect(); } }); }, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  }

  function who(ticketId) {
    var actor = movers[ticketId];
    if (!actor) { return say.tByOther; }
    return actor.kind === "device" ? say.tByDevice : say.tByStaff;
  }

  function move(button) {
    var ticketId = button.dataset.ticket;
    button.disabled = true;
    fetch(say.movesUrl + ticketId + "/moves", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: JSON.stringify({ to: button.dataset.to, version: Number(button.dataset.version) })
    }).then(function (answer) {
      if (answer.status === 409) {
        return answer.json().then(function (problem) {
          // The stream may not have told us yet who it was: read the feed, then say.
          return refresh().then(function () {
            tell(text(say.tConflict, {
              number: button.dataset.number,
              who: who(ticketId),
              state: stateName(problem.state)
            }), "board-said-conflict");
            var moved = document.getElementById("ticket-" + ticketId);
            if (moved) { moved.classList.add("ticket-conflict"); }
          });
        });
      }
      if (!answer.ok) { tell(say.tMoveFailed, "board-said-conflict"); }
      said.hidden = answer.ok ? true : said.hidden;
      return refresh();
    }).catch(function () {
      tell(say.tMoveFailed, "board-said-conflict");
    }).finally(function () { button.disabled = false; });
  }

  // Browsers play sound only after a gesture: the cook turns it on once.
  function chime() {
    if (!audio) { return; }
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  }

  soundButton.addEventListener("click", function () {
    if (audio) {
      audio.close(); audio = null;
    } else {
      audio = new (window.AudioContext || window.webkitAudioContext)();
      chime();
    }
    soundButton.setAttribute("aria-pressed", audio ? "true" : "false");
    soundButton.textContent = audio ? say.tSoundOff : say.tSoundOn;
  });

  cards.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-ticket]");
    if (button) { move(button); }
  });

  refresh();
})();
