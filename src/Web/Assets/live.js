// Live updates: the page's own address, asked for as text/event-stream, sends the sections whose HTML changed
// ({element id: inner HTML}); they replace what is shown. EventSource reconnects by itself when the link drops.
(() => {
  const state = document.getElementById("live-state");
  const say = (text, css) => { state.textContent = text; state.className = "live " + css; };
  const source = new EventSource(location.pathname + location.search); // the same page of a paged table
  let updates = 0;
  source.onopen = () => say("live", "ok");
  source.onmessage = (event) => {
    const sections = JSON.parse(event.data);
    for (const [id, html] of Object.entries(sections)) {
      const element = document.getElementById(id);
      if (element && element.innerHTML !== html) element.innerHTML = html;
    }
    document.body.dataset.updates = String(++updates);
    say("live · updated " + new Date().toLocaleTimeString(), "ok");
  };
  source.addEventListener("problem", (event) => say("cluster unreachable: " + JSON.parse(event.data) + " (retrying)", "lost"));
  source.onerror = () => say("connection lost; reconnecting…", "lost");
})();
