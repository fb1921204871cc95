import Hummingbird
import NIOCore

extension WebPage {
    /// `GET /app.js`: the page's script (served apart so that the page's policy allows scripts from
    /// this server only). It builds every element from data with `textContent`, never from markup;
    /// query strings write spaces as `%20`; only the latest search's answer is shown.
    static func scriptResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/javascript; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: script)))
    }

    static let script = #"""
        "use strict";
        const $ = (id) => document.getElementById(id);
        // generation: the number of the latest search; an answer to an older one is dropped. hash: the
        // location hash the shown (or awaited) results belong to. again: re-runs the latest search.
        const state = { info: null, file: null, preview: null, generation: 0, controller: null, hash: null, again: null, retrying: false };

        function el(tag, props = {}, children = []) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(props)) {
            if (key === "text") node.textContent = value; else if (key === "class") node.className = value;
            else if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
          }
          for (const child of children) node.append(child);
          return node;
        }

        // Server messages start in lower case ("filter 'x': …"); shown as a sentence.
        function showError(message) {
          const e = $("error");
          e.textContent = message ? message[0].toUpperCase() + message.slice(1) : "";
          e.hidden = !message;
        }

        // Query strings with spaces as %20 (URLSearchParams would write "+").
        function encode(pairs) { return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"); }
        // A server started with an API key: the key is asked for and kept for this tab only.
        function key() { return sessionStorage.getItem("fashionclip-key"); }
        function withKey(options = {}) {
          const k = key();
          return k ? { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${k}` } } : options;
        }

        class Unreachable extends Error {}
        class KeyProblem extends Error {}

        async function call(path, options = {}) {
          const sent = key();
          let response;
          try {
            response = await fetch(path, withKey(options));
          } catch (error) {
            if (error.name === "AbortError") throw error;
            throw new Unreachable(`The page cannot reach the server at ${location.host}: it may be stopped or restarting. Trying again every 2 seconds…`);
          }
          let body = null;
          try { body = await response.json(); } catch (_) { /* not JSON */ }
          const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
          if (response.status === 401) {
            if (sent) sessionStorage.removeItem("fashionclip-key");
            askForKey();
            throw new KeyProblem(sent ? `The server refused this API key (${message}): enter the right one above.`
              : "This server needs an API key: enter it above.");
          }
          if (!response.ok) throw Object.assign(new Error(message), { status: response.status });
          return body;
        }

        // While the server cannot be reached: ask /health every 2 s, then redo what failed.
        function retryWhenBack() {
          if (state.retrying) return;
          state.retrying = true;
          const timer = setInterval(async () => {
            try { if (!(await fetch("/health", { cache: "no-store" })).ok) return; } catch (_) { return; }
            clearInterval(timer);
            state.retrying = false;
            showError("");
            if (!state.info) start(); else if (state.again) state.again();
          }, 2000);
        }

        function fail(error) {
          showError(error.message);
          if (error instanceof Unreachable) retryWhenBack();
        }

        // "brand=Nike, price<100": split at the commas that start another KEY OP VALUE.
        function filters() {
          const text = $("filters").value.trim();
          return text ? text.split(/,\s*(?=[^,=<>!]+(?:!=|<=|>=|=|<|>))/).map((f) => f.trim()).filter(Boolean) : [];
        }

        function searchParameters() {
          const p = [["topK", $("topk").value]];
          const w = $("ptw").value;
          if (w !== "0") p.push(["productTextWeight", w]);
          if ($("compressed").checked) p.push(["compressed", "true"]);
          for (const f of filters()) p.push(["filter", f]);
          return p;
        }

        function clearResults() { $("results").replaceChildren(); $("summary").textContent = ""; }

        async function run(label, path, options = {}) {
          const mine = ++state.generation;
          if (state.controller) state.controller.abort();
          const controller = state.controller = new AbortController();
          state.again = () => run(label, path, options);
          showError("");
          $("summary").textContent = `searching for ${label}…`;
          const started = performance.now();
          try {
            const answer = await call(path, { ...options, signal: controller.signal });
            if (mine !== state.generation) return;
            render(answer.results, `${answer.results.length} of ${answer.products} products for ${label}` +
              ` (${Math.round(performance.now() - started)} ms)`);
          } catch (error) {
            if (mine !== state.generation || error.name === "AbortError") return;
            clearResults();
            if (options.body instanceof File && error.status === 422) unusable(options.body, error); else fail(error);
          }
        }

        // Each text or "more like this" search is a history entry (#text=… or #like=…); Back, Forward and
        // such links show their results again.
        function remember(hash) {
          state.hash = hash;
          if (location.hash.slice(1) !== hash) history.pushState(null, "", hash ? `#${hash}` : location.pathname + location.search);
        }

        function searchText(text) {
          if (!text.trim()) return;
          remember(encode([["text", text]]));
          run(`"${text}"`, "/api/search?" + encode([["text", text], ...searchParameters()]));
        }

        function searchLike(id) {
          remember(encode([["like", id]]));
          run(`products like ${id}`, "/api/search?" + encode([["like", id], ...searchParameters()]));
        }

        // The latest search again, with the filters and options as they are now.
        function searchAgain() {
          const text = $("text").value;
          const like = new URLSearchParams(state.hash || "").get("like");
          if (text.trim()) searchText(text); else if (like) searchLike(like); else searchPhoto();
        }

        function fromLocation() {
          const hash = location.hash.slice(1);
          if (hash === state.hash) return;
          state.hash = hash;
          const p = new URLSearchParams(hash);
          if (p.get("text")) { $("text").value = p.get("text"); searchText(p.get("text")); }
          else if (p.get("like")) { $("text").value = ""; searchLike(p.get("like")); }
        }

        function render(results, summary) {
          $("summary").textContent = summary;
          const grid = $("results");
          grid.replaceChildren();
          for (const hit of results) {
            const title = hit.text || hit.id;
            const thumb = el("div", { class: "thumb" }, [hit.image ? image(hit.image, title) : "no image"]);
            const meta = el("dl");
            for (const [key, value] of Object.entries(hit.metadata).sort()) meta.append(el("dt", { text: key }), el("dd", { text: String(value) }));
            const body = el("div", { class: "body" }, [
              el("span", { class: "id", text: hit.id }),
              el("span", { class: "score", text: `score ${hit.score.toFixed(4)}` }),
              ...(hit.text ? [el("span", { class: "text", text: hit.text })] : []),
              meta,
              el("button", { class: "link", type: "button", text: "more like this", "aria-label": `more like ${title}`,
                onclick: () => { $("text").value = ""; searchLike(hit.id); } }),
            ]);
            grid.append(el("article", { class: "card" }, [thumb, body]));
          }
        }

        // Product images: plain links on an open server; with a key, fetched with it.
        function image(path, alt) {
          if (!key()) return el("img", { src: path, alt, loading: "lazy" });
          const img = el("img", { alt });
          fetch(path, withKey()).then((r) => r.ok ? r.blob() : null).then((b) => { if (b) img.src = URL.createObjectURL(b); }).catch(() => {});
          return img;
        }

        function askForKey() {
          $("key-form").hidden = false;
          $("change-key").hidden = true;
          $("key").value = "";
          $("key").focus();
        }

        async function start() {
          try {
            const info = state.info = await call("/api/info");
            const parts = [];
            if (info.model) parts.push(`model ${info.model.name} (${info.model.dimension}-d)`);
            if (info.store) parts.push(`${info.store.products} products` + (info.store.productsWithImages ? "" : " (no images: start the server with --catalog)"));
            else parts.push("no catalog store: embedding and classification only");
            $("status").textContent = parts.join(" · ");
            $("change-key").hidden = !key();
            $("compressed-label").hidden = !(info.store && info.store.compressed);
            if (info.store && Object.keys(info.store.metadataKeys).length)
              $("filters").placeholder = Object.keys(info.store.metadataKeys).sort().slice(0, 3).map((k) => `${k}=…`).join(", ");
            if (!info.model) { $("text").disabled = true; $("text").placeholder = "no model: use “more like this”"; }
          } catch (error) {
            state.info = null;
            $("status").textContent = error instanceof KeyProblem ? "API key needed" : error instanceof Unreachable ? "server not reachable" : "";
            fail(error);
            return;
          }
          state.hash = null;
          fromLocation();
        }

        \#(photoScript)
        $("key-form").addEventListener("submit", (event) => {
          event.preventDefault();
          const k = $("key").value.trim();
          if (!k) return;
          sessionStorage.setItem("fashionclip-key", k);
          $("key-form").hidden = true;
          showError("");
          start();
        });
        $("change-key").addEventListener("click", askForKey);
        $("text-form").addEventListener("submit", (event) => { event.preventDefault(); searchText($("text").value); });
        $("filters").addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); searchAgain(); } });
        $("ptw").addEventListener("input", () => { $("ptw-value").textContent = $("ptw").value; });
        window.addEventListener("hashchange", fromLocation);
        window.addEventListener("popstate", fromLocation);
        start();
        """#
}
