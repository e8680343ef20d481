// The live room: messages, hands and moderation over Socket.IO (namespace /rooms).
// It enhances a server-rendered page (templates/rooms/room.html): without it the
// transcript is shown and the composer posts as a normal form. The protocol is in
// docs/realtime.md; every word shown comes from #live-texts, translated by the server.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const room = $("room");
  const live = $("live");
  if (!room || !live || typeof io !== "function") { return; }

  const TIMEOUT = 10000;
  const texts = $("live-texts").dataset;
  const sessionId = Number(room.dataset.session);
  const transcript = $("transcript");
  // The log wraps the list: role="log" on the <ol> itself would unmake the list.
  const log = el("div", "transcript-log");
  const form = $("composer");  // absent once the session has ended
  const body = $("body");
  const confirmBox = form && form.querySelector("[name=confirm]");
  const confirmRow = confirmBox && (confirmBox.closest(".field") || confirmBox);
  const clock = new Intl.DateTimeFormat(room.dataset.lang || document.documentElement.lang,
    { hour: "2-digit", minute: "2-digit", timeZone: live.dataset.timezone || undefined });

  let me = Number(room.dataset.participant) || null;
  let moderator = room.dataset.moderator === "true";
  let lastId = Number(room.dataset.lastId) || 0;
  let joined = false;
  let removed = false;
  let state = null;
  let paused = false;
  let outbox = null;    // the one message being sent: {client_id, body, confirm}
  let inflight = null;  // the outbox whose answer is awaited
  const held = new Map();        // messages kept back while live updates are paused
  const names = {};              // participant id -> name (state and messages)
  const roster = new Map();      // moderators: participant id -> row of the people list
  const ideaMessages = new Set();

  // --- words and small DOM helpers --------------------------------------------------

  function t(key, values) {
    let text = texts[key] || "";
    Object.keys(values || {}).forEach((name) => {
      text = text.split("%(" + name + ")s").join(values[name]);
    });
    return text;
  }

  const cap = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  const camel = (name) => name.replace(/_(\w)/g, (all, c) => c.toUpperCase());

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // A button; ``extra`` (who or what it acts on) is added for screen readers only.
  function button(label, data, extra) {
    const node = el("button", "button secondary");
    node.type = "button";
    node.append(el("span", "label", label));
    if (extra) { node.append(el("span", "visually-hidden", " " + extra)); }
    Object.assign(node.dataset, data);
    return node;
  }

  function relabel(node, text) { node.querySelector(".label").textContent = text; }

  function show(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  // Emptied first so the same words twice are read twice.
  function announce(text) {
    const region = $("announcer");
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 100);
  }

  function feedback(text, isError) {
    $("live-feedback").classList.toggle("field-error", !!isError);
    show($("live-feedback"), text);
    announce(text);
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Lists are rebuilt under the reader's eyes: a moved button keeps its focus, and a
  // removed one hands it to ``fallback`` rather than to the top of the page.
  function keepFocus(change, fallback) {
    const active = document.activeElement;
    change();
    if (active && active !== document.body && active !== document.activeElement) {
      (active.isConnected ? active : fallback).focus({ preventScroll: true });
    }
  }

  // Make ``list`` hold one child per item, in order, reusing children by id.
  function syncList(list, items, build, fill) {
    const wanted = new Set();
    items.forEach((item, index) => {
      const id = list.id + "-" + item.id;
      const node = $(id) || Object.assign(build(item), { id: id });
      fill(node, item);
      wanted.add(id);
      if (list.children[index] !== node) { list.insertBefore(node, list.children[index] || null); }
    });
    Array.from(list.children).forEach((node) => { if (!wanted.has(node.id)) { node.remove(); } });
  }

  // --- the transcript ---------------------------------------------------------------

  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  // An instant jump, not an animation (nothing here moves on its own for long).
  const toBottom = () => { log.scrollTop = log.scrollHeight; };

  // A message from a broadcast or a resync; one already shown is updated, not repeated.
  function add(message) {
    if (message.session !== sessionId) { return; }
    lastId = Math.max(lastId, message.id);
    if (message.author) { names[message.author_id] = message.author; }
    const existing = $("m-" + message.id);
    if (existing) { fill(existing, message); return; }
    const own = message.author_id === me && message.kind === "message";
    if (paused && !own) { held.set(message.id, message); countHeld(); return; }
    const follow = own || atBottom();  // never pull a reader away from older messages
    insertInOrder(fill(el("li"), message));
    if (follow) { toBottom(); }
  }

  // Messages arrive in id order almost always; a late one still lands in its place.
  function insertInOrder(node) {
    let before = null;
    for (let n = transcript.lastElementChild; n && Number(n.dataset.id) > Number(node.dataset.id);
      n = n.previousElementSibling) { before = n; }
    transcript.insertBefore(node, before);
    if ($("transcript-empty")) { $("transcript-empty").remove(); }
  }

  // (Re)write a message in place. Its actions menu stays in the document, so a
  // moderator's focus on "Hide" is still there when the hidden message comes back.
  function fill(node, m) {
    const notice = m.kind === "notice";
    Object.assign(node.dataset, { id: m.id, author: m.author_id || "", hidden: m.hidden, pinned: m.pinned });
    node.id = "m-" + m.id;
    node.className = "message" + (notice ? " is-notice" : "") + (m.hidden ? " is-hidden" : "") +
      (m.pinned ? " is-pinned" : "") + (m.moderator && !notice ? " by-moderator" : "") +
      (m.author_id === me && !notice ? " is-own" : "");
    const menu = node.querySelector(".message-actions");
    Array.from(node.childNodes).forEach((child) => { if (child !== menu) { child.remove(); } });
    node.prepend(...messageParts(m));
    if (!notice) { addActions(node); }
    return node;
  }

  function messageParts(m) {
    const parts = [];
    if (m.kind === "message") {
      parts.push(el("span", "author", m.author));
      if (m.moderator) { parts.push(" ", el("span", "tag", t("moderator"))); }
      parts.push(" ");
    }
    const time = el("time", null, clock.format(new Date(m.at)));
    time.dateTime = m.at;
    parts.push(time);
    if (m.pinned) { parts.push(" ", el("span", "tag", t("pinned"))); }
    if (ideaMessages.has(m.id)) { parts.push(" ", el("span", "tag tag-idea", t("idea"))); }
    const text = m.kind === "notice" ? t("notice" + cap(m.notice.code), { name: m.notice.name || "" })
      : m.hidden ? t("hidden", { reason: m.hidden_reason || "" }) : m.body;
    parts.push(el("p", m.hidden || m.kind === "notice" ? "body" : "body note", text));
    return parts;
  }

  function update(message) {
    if (held.has(message.id)) { held.set(message.id, message); }
    const node = $("m-" + message.id);
    if (!node) { return; }
    const newlyHidden = message.hidden && node.dataset.hidden !== "true";
    fill(node, message);
    if (newlyHidden) { announce(t("hiddenAnnounce")); }
  }

  // One "Actions" disclosure per message. Its buttons are reused slot by slot, so a
  // focused "Hide" turns into "Restore" without losing focus.
  function addActions(node) {
    let menu = node.querySelector(".message-actions");
    if (!menu) {
      menu = el("details", "message-actions");
      menu.append(el("summary", null, t("actions")), el("div", "message-buttons"));
      node.append(menu);
    }
    const box = menu.lastElementChild;
    const hidden = node.dataset.hidden === "true";
    const wanted = moderator
      ? [[node.dataset.pinned === "true" ? "unpin" : "pin", !hidden], [hidden ? "restore" : "hide", true],
        ["make_idea", !hidden]]
      : [["report", Number(node.dataset.author) !== me && !hidden], ["suggest", !hidden]];
    wanted.forEach(([action, visible], slot) => {
      const b = box.children[slot] || box.appendChild(button("", {}));
      b.dataset.act = action;
      relabel(b, t(camel(action)));
      b.hidden = !visible;
    });
    while (box.children.length > wanted.length) { box.lastElementChild.remove(); }
    menu.hidden = !wanted.some((w) => w[1]);
  }

  // "Pause live updates" (WCAG 2.2.2): new messages wait until the reader resumes.
  function togglePause() {
    paused = !paused;
    $("pause").setAttribute("aria-pressed", String(paused));
    if (!paused) {
      const waiting = Array.from(held.values()).sort((a, b) => a.id - b.id);
      held.clear();
      waiting.forEach(add);
    }
    countHeld();
  }

  function countHeld() {
    show($("pause-count"), paused && held.size ? t("newCount", { n: held.size }) : "");
  }

  // --- the connection ---------------------------------------------------------------

  function connection(text) { $("connection").textContent = text; }

  // Every event of this session goes out with a time limit on its acknowledgement;
  // ``err`` means no answer came (timeout or disconnect), and an empty answer is a
  // refusal, so callers only ever see {ok: true, ...} or {ok: false, message}.
  function emit(event, payload, callback) {
    socket.timeout(TIMEOUT).emit(event, Object.assign({ session: sessionId }, payload), (err, ack) =>
      callback(err, ack || { ok: false, error: "bad_payload", message: t("actionLost") }));
  }

  // Rooms do not survive a reconnect: every connect joins again and asks for what came
  // after the last message seen, so nothing is missed and nothing is shown twice.
  function join() {
    emit("join", { last_seen: lastId }, (err, ack) => {
      if (err) { if (socket.connected) { join(); } return; }
      if (!ack.ok) { connection(ack.message); socket.disconnect(); return; }
      me = ack.participant;
      moderator = ack.moderator;
      $("moderation").hidden = !moderator;
      $("hand").hidden = moderator;
      ack.messages.forEach(add);
      if (ack.participants) { people(ack.participants); }
      applyState(ack.state);
      if (ack.more) { join(); return; }  // back from a long absence: the next page
      joined = true;
      connection(t("connected"));
      send();
    });
  }

  // --- the composer -----------------------------------------------------------------

  function composerError(text) {
    show($("composer-error"), text);
    if (text) { body.setAttribute("aria-invalid", "true"); announce(text); }
    else { body.removeAttribute("aria-invalid"); }
  }

  function submit(event) {
    event.preventDefault();
    if (outbox || removed) { return; }
    if (!body.value.trim()) { composerError(t("empty")); return; }
    composerError("");
    outbox = { client_id: newClientId(), body: body.value, confirm: !!(confirmBox && confirmBox.checked) };
    form.elements.client_id.value = outbox.client_id;
    body.readOnly = true;  // what is in the box is what is being sent
    form.setAttribute("aria-busy", "true");
    send();
  }

  // Send the outbox; an unanswered send is repeated with the same client id, which
  // the server stores once, until an answer comes.
  function send() {
    if (!outbox || inflight === outbox) { return; }
    if (!joined) { show($("composer-status"), t("waiting")); return; }
    const sending = inflight = outbox;
    show($("composer-status"), t("sending"));
    emit("message", sending, (err, ack) => {
      if (inflight === sending) { inflight = null; }
      if (outbox !== sending) { return; }  // an answer to an attempt already settled
      if (err) {
        show($("composer-status"), t(joined ? "noAnswer" : "waiting"));
        send();  // now if still connected, else after the next join
        return;
      }
      sent(ack);
    });
  }

  function sent(ack) {
    outbox = null;
    body.readOnly = false;
    form.removeAttribute("aria-busy");
    show($("composer-status"), "");
    if (!ack.ok) {
      composerError(ack.message);
      // Personal details: edit the text, or tick "send anyway" and send again.
      if (ack.error === "personal_data" && confirmRow) { confirmRow.hidden = false; }
      return;
    }
    body.value = "";
    composerError("");
    if (confirmRow) { confirmBox.checked = false; confirmRow.hidden = true; }
  }

  // --- room state -------------------------------------------------------------------

  function applyState(s) {
    if (s.session !== sessionId) { return; }
    const before = state;
    state = s;
    s.queue.forEach((q) => { names[q.id] = q.name; });
    if ($("room-status")) { $("room-status").textContent = t("status" + cap(s.status)); }
    $("presence").textContent = String(s.presence);
    showItem(s.item);
    showFloor(s, before);
    $("slow-fact").hidden = !s.slow_mode;
    $("slow").textContent = t("slow", { seconds: s.slow_mode });
    if (body) { body.maxLength = !moderator && s.turn_limit ? s.turn_limit : 2000; }
    showQueue(s.queue);
    if (moderator) { moderatorState(s); }
  }

  // The agenda is the page's own list; the current item is marked in it.
  function showItem(itemId) {
    let title = "";
    document.querySelectorAll("#agenda li").forEach((li) => {
      const current = Number(li.dataset.item) === itemId;
      li.querySelectorAll(".tag").forEach((tag) => tag.remove());
      li.classList.toggle("current", current);
      if (!current) { li.removeAttribute("aria-current"); return; }
      li.setAttribute("aria-current", "step");
      title = li.textContent.trim();
      li.append(" ", el("strong", "tag", t("now")));
    });
    $("current-item").textContent = title || t("noItem");
  }

  function showFloor(s, before) {
    const mine = s.floor_holder === me;
    $("floor-fact").hidden = !s.floor_mode && !s.floor_holder;
    $("floor").textContent = mine ? t("floorYou")
      : s.floor_holder ? t("noticeFloor", { name: names[s.floor_holder] || "…" }) : t("floorNone");
    $("floor-hint").hidden = !s.floor_mode || mine || moderator || s.status !== "open";
    if (mine && (!before || before.floor_holder !== me)) { announce(t("floorYou")); }
  }

  function showQueue(queue) {
    keepFocus(() => syncList($("queue"), queue, (q) => {
      const li = el("li");
      li.append(el("span", "queue-name"), " ", el("span", "hint queue-count"));
      if (moderator) { li.append(" ", button(t("give"), { moderate: "give_floor", participant: q.id }, q.name)); }
      return li;
    }, (li, q) => {
      li.firstChild.textContent = q.name;
      li.querySelector(".queue-count").textContent = t("count", { n: q.count });
      li.classList.toggle("is-own", q.id === me);
    }), $("queue-heading"));
    $("queue-empty").hidden = queue.length > 0;
    const place = queue.findIndex((q) => q.id === me) + 1;
    const hand = $("hand");
    const wasUp = hand.dataset.raised === "true";
    hand.dataset.raised = String(place > 0);
    hand.textContent = t(place ? "lower" : "raise");
    if (place && !wasUp) { announce(t("handUp", { n: place })); }
    if (!place && wasUp) { announce(t("handDown")); }
  }

  // --- moderators -------------------------------------------------------------------

  function moderatorState(s) {
    const pressed = { open: "open", paused: "pause", closed: "close" }[s.status];
    ["open", "pause", "close"].forEach((action) => {
      live.querySelector("[data-moderate=" + action + "]").setAttribute("aria-pressed", String(action === pressed));
    });
    $("floor-mode").checked = s.floor_mode;
    // A select the moderator is using is left alone.
    const item = $("item-select");
    if (item && document.activeElement !== item) { item.value = s.item === null ? "" : String(s.item); }
    if (document.activeElement !== $("slow-select")) { $("slow-select").value = String(s.slow_mode); }
    show($("round"), s.round.length ? t("round", { names: s.round.map((id) => names[id] || "…").join(", ") }) : "");
  }

  // The whole list comes with the join; after that, one row at a time (``person``).
  function people(list) {
    roster.clear();
    list.forEach((p) => roster.set(p.id, p));
    showPeople();
  }

  function showPeople() {
    const list = Array.from(roster.values()).sort((a, b) => a.id - b.id);
    list.forEach((p) => { names[p.id] = p.name; });
    keepFocus(() => syncList($("people"), list, () => {
      const li = el("li", "person");
      li.append(el("span", "person-name"), " ", el("span", "hint"), el("span", "person-actions"));
      return li;
    }, personRow), $("people-heading"));
  }

  // A change to one person (a message count, here or away, muted, removed): only
  // their row is rewritten. Someone new comes with their whole row.
  function person(change) {
    if (change.session !== sessionId || !moderator) { return; }
    const known = roster.get(change.id);
    if (!known && change.name === undefined) { return; }
    const row = Object.assign(known || {}, change);
    roster.set(row.id, row);
    const node = $("people-" + row.id);
    if (node) { keepFocus(() => personRow(node, row), $("people-heading")); }
    else { showPeople(); }
  }

  function presence(p) {
    if (p.session === sessionId) { $("presence").textContent = String(p.presence); }
  }

  function personRow(li, p) {
    li.firstChild.textContent = p.name;
    const facts = [t("count", { n: p.count }), t(p.present ? "here" : "away")];
    if (p.muted) { facts.push(t("muted")); }
    if (p.removed) { facts.push(t("removed")); }
    li.querySelector(".hint").textContent = facts.join(" · ");
    const actions = li.lastElementChild;
    if (p.id === me || p.removed) { actions.replaceChildren(); return; }
    if (!actions.children.length) {
      actions.append(button(t("give"), { moderate: "give_floor", participant: p.id }, p.name),
        button("", { participant: p.id }, p.name),
        button(t("remove"), { moderate: "remove", participant: p.id, name: p.name }, p.name));
    }
    const mute = actions.children[1];
    mute.dataset.moderate = p.muted ? "unmute" : "mute";
    relabel(mute, t(mute.dataset.moderate));
  }

  function report(r) {
    const li = el("li");
    const link = el("a", null, t("showMessage"));
    link.href = "#m-" + r.message;
    li.append(t("reportItem", { by: r.by, reason: r.reason || "–" }), " ", link);
    $("reports").append(li);
    announce(t("newReport"));
  }

  function idea(i) {
    const suggestion = $("suggestions-" + i.id);
    if (i.accepted) {
      if (suggestion) { keepFocus(() => suggestion.remove(), $("suggestions-heading")); }
      const node = i.message && $("m-" + i.message);
      if (i.message) { ideaMessages.add(i.message); }
      if (node && !node.querySelector(".tag-idea")) {
        node.querySelector("time").after(" ", el("span", "tag tag-idea", t("idea")));
      }
    } else if (moderator && !suggestion) {
      const li = el("li");
      li.id = "suggestions-" + i.id;
      li.append(t("suggestion", { title: i.title }), " ",
        button(t("accept"), { moderate: "accept_idea", idea: i.id }, i.title));
      $("suggestions").append(li);
      announce(t("newSuggestion"));
    }
  }

  function onRemoved(r) {
    if (r.participant !== me) { return; }
    removed = true;
    if (body) { body.readOnly = true; }
    $("hand").hidden = true;
    feedback(t("removedYou"), true);
  }

  // --- actions: emitted with an acknowledgement; a refusal is shown, never thrown ---

  function act(event, payload, done, failed) {
    const refused = (text) => { feedback(text, true); if (failed) { failed(); } };
    // Sent before the join that follows a reconnect it would be refused: say why.
    if (!joined) { refused($("connection").textContent); return; }
    emit(event, payload, (err, ack) => {
      if (err || !ack.ok) { refused(err ? t("actionLost") : ack.message); return; }
      $("live-feedback").hidden = true;
      if (done) { done(ack); }
    });
  }

  // One dialog asks for a reason, a title or a yes; focus goes back to the opener.
  function ask(options, done) {
    const dialog = $("live-dialog");
    const input = $("dialog-input");
    const opener = document.activeElement;
    if (dialog.open) { return; }
    $("dialog-title").textContent = options.title;
    $("dialog-field").hidden = !options.label;
    $("dialog-label").textContent = options.label || "";
    input.value = options.value || "";
    input.required = !!options.required;
    $("dialog-ok").textContent = options.ok;
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (opener && opener.isConnected) { opener.focus(); }
      if (dialog.returnValue === "ok") { done(input.value.trim()); }
    }, { once: true });
    dialog.showModal();
  }

  function onMessageAction(target) {
    const node = target.closest(".message");
    const id = Number(node.dataset.id);
    const title = node.querySelector(".body").textContent.trim().slice(0, 120);
    const moderate = (action, extra) => act("moderate", Object.assign({ action: action, message: id }, extra));
    const action = target.dataset.act;
    if (action === "hide") {
      ask({ title: t("hideTitle"), label: t("hideLabel"), required: true, ok: t("hide") },
        (reason) => moderate("hide", { reason: reason }));
    } else if (action === "make_idea") {
      ask({ title: t("makeIdeaTitle"), label: t("ideaLabel"), value: title, required: true, ok: t("makeIdea") },
        (value) => moderate("make_idea", { title: value }));
    } else if (action === "report") {
      ask({ title: t("reportTitle"), label: t("reportLabel"), ok: t("report") },
        (reason) => act("report", { message: id, reason: reason }, () => feedback(t("reported"))));
    } else if (action === "suggest") {
      ask({ title: t("suggestTitle"), label: t("ideaLabel"), value: title, required: true, ok: t("suggest") },
        (value) => act("suggest_idea", { message: id, title: value }, () => feedback(t("suggested"))));
    } else {
      moderate(action);  // pin, unpin, restore
    }
  }

  function onModerate(data) {
    const payload = { action: data.moderate };
    if (data.idea) { payload.idea = Number(data.idea); }
    // "Take back the floor" is give_floor to nobody.
    if (data.moderate === "give_floor" || data.participant) {
      payload.participant = data.participant ? Number(data.participant) : null;
    }
    const confirm = { close: t("closeTitle"), remove: t("removeTitle", { name: data.name }) }[data.moderate];
    if (confirm) { ask({ title: confirm, ok: t(data.moderate) }, () => act("moderate", payload)); }
    else { act("moderate", payload); }
  }

  function onClick(event) {
    const target = event.target.closest("button");
    if (target && target.dataset.act) { onMessageAction(target); }
    else if (target && target.dataset.moderate) { onModerate(target.dataset); }
  }

  // --- start ------------------------------------------------------------------------

  transcript.before(log);
  log.append(transcript);
  log.setAttribute("role", "log");
  log.tabIndex = 0;  // a scrolling box: reachable and scrollable by keyboard
  if (transcript.hasAttribute("aria-labelledby")) {
    log.setAttribute("aria-labelledby", transcript.getAttribute("aria-labelledby"));
    transcript.removeAttribute("aria-labelledby");
  }
  transcript.querySelectorAll("li.message:not(.is-notice)").forEach((node) => {
    node.dataset.hidden = node.classList.contains("is-hidden");
    node.dataset.pinned = node.classList.contains("is-pinned");
    addActions(node);
  });
  if (form) {
    body.setAttribute("aria-describedby",
      (body.getAttribute("aria-describedby") || "") + " composer-error composer-status floor-hint");
    form.addEventListener("submit", submit);
    body.addEventListener("keydown", (event) => {
      // Ctrl+Enter (or ⌘+Enter) sends; Enter alone is a new line, as in any form.
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { form.requestSubmit(); }
    });
  }
  room.classList.add("is-live");
  $("hand").hidden = moderator;  // moderators speak without queueing
  live.hidden = false;
  connection(t("connecting"));
  toBottom();

  transcript.addEventListener("click", onClick);
  live.addEventListener("click", onClick);
  $("pause").addEventListener("click", togglePause);
  $("hand").addEventListener("click", () =>
    act($("hand").dataset.raised === "true" ? "lower_hand" : "raise_hand", {}));
  $("floor-mode").addEventListener("change", (e) => act("moderate", { action: "floor_mode", on: e.target.checked },
    null, () => { e.target.checked = !e.target.checked; }));
  $("set-slow").addEventListener("click", () =>
    act("moderate", { action: "slow_mode", seconds: Number($("slow-select").value) }));
  if ($("set-item")) {
    $("set-item").addEventListener("click", () =>
      act("moderate", { action: "set_item", item: Number($("item-select").value) || null }));
  }

  const transports = (live.dataset.transports || "websocket polling").split(" ");
  const socket = io("/rooms", { auth: { csrf: room.dataset.csrf }, transports: transports });
  socket.on("connect", join);
  socket.on("disconnect", () => { joined = false; connection(t("reconnecting")); });
  socket.on("connect_error", () => connection(t(socket.active ? "reconnecting" : "failed")));
  socket.on("message", add);
  socket.on("message_update", update);
  socket.on("state", applyState);
  socket.on("presence", presence);
  socket.on("participant", person);
  socket.on("report", report);
  socket.on("idea", idea);
  socket.on("removed", onRemoved);
})();
