// arshif preview: reload this page when a rebuild changed it (long polling), and after a server restart.
// Served only by `arshif serve`; never part of a published site.
(() => {
  const me = document.currentScript;
  const server = me.dataset.server;
  let since = Number(me.dataset.generation);
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function watch() {
    for (;;) {
      try {
        const url = `${new URL(me.src).pathname.replace(/live\.js$/, "wait")}?since=${since}&server=${server}&page=${encodeURIComponent(location.pathname)}`;
        const answer = await (await fetch(url, { cache: "no-store" })).json();
        if (answer.reload || answer.server !== server) {
          location.reload();
          return;
        }
        if (answer.retry) {
          // Too many tabs waiting at once (503): ask again later, spread out so they do not all come back together.
          await wait(answer.retry * 1000 * (0.5 + Math.random()));
          continue;
        }
        since = answer.generation;
      } catch {
        await wait(1000); // the server is rebuilding or restarting: try again
      }
    }
  }
  watch();
})();
