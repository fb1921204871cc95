import Hummingbird
import NIOCore

extension WebPage {
    /// `GET /app.js`: the page's script (served apart so that the page's policy allows scripts from
    /// this server only). It builds every element from data with `textContent`, never from markup.
    static func scriptResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/javascript; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: script)))
    }

    static let script = #"""
        "use strict";
        const $ = (id) => document.getElementById(id);
        const state = { info: null, file: null };

        function el(tag, props = {}, children = []) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(props)) {
            if (key === "text") node.textContent = value; else if (key === "class") node.className = value;
            else if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
          }
          for (const child of children) node.append(child);
          return node;
        }

        function showError(message) { const e = $("error"); e.textContent = message || ""; e.hidden = !message; }

        // A server started with an API key: the key is asked for once and kept for this tab only.
        function key() { return sessionStorage.getItem("fashionclip-key"); }
        function withKey(options = {}) {
          const k = key();
          return k ? { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${k}` } } : options;
        }

        async function call(path, options = {}) {
          const response = await fetch(path, withKey(options));
          if (response.status === 401) { askForKey(); throw new Error("This server needs an API key: enter it above."); }
          let body = null;
          try { body = await response.json(); } catch (_) { /* not JSON */ }
          if (!response.ok) throw new Error(body && body.error ? body.error.message : `${response.status} ${response.statusText}`);
          return body;
        }

        // "brand=Nike, price<100": split at the commas that start another KEY OP VALUE.
        function filters() {
          const text = $("filters").value.trim();
          return text ? text.split(/,\s*(?=[^,=<>!]+(?:!=|<=|>=|=|<|>))/).map((f) => f.trim()).filter(Boolean) : [];
        }

        function searchParameters(extra) {
          const p = new URLSearchParams(extra);
          p.set("topK", $("topk").value);
          const w = $("ptw").value;
          if (w !== "0") p.set("productTextWeight", w);
          if ($("compressed").checked) p.set("compressed", "true");
          for (const f of filters()) p.append("filter", f);
          return p;
        }

        async function run(label, request) {
          showError("");
          $("summary").textContent = "searching…";
          const started = performance.now();
          try {
            const answer = await request();
            render(answer.results, `${answer.results.length} of ${answer.products} products for ${label}` +
              ` (${Math.round(performance.now() - started)} ms)`);
          } catch (error) {
            $("summary").textContent = "";
            showError(error.message);
          }
        }

        function searchText(text) {
          if (!text.trim()) return;
          location.hash = new URLSearchParams({ text }).toString();
          run(`"${text}"`, () => call("/api/search?" + searchParameters({ text })));
        }

        function searchLike(id) {
          location.hash = new URLSearchParams({ like: id }).toString();
          run(`products like ${id}`, () => call("/api/search?" + searchParameters({ like: id })));
        }

        function searchPhoto() {
          if (!state.file) return;
          run(`the photo ${state.file.name}`, () => call("/api/search/image?" + searchParameters({}),
            { method: "POST", body: state.file, headers: { "Content-Type": state.file.type || "application/octet-stream" } }));
        }

        function render(results, summary) {
          $("summary").textContent = summary;
          const grid = $("results");
          grid.replaceChildren();
          for (const hit of results) {
            const thumb = el("div", { class: "thumb" }, [hit.image ? image(hit.image, hit.id) : "no image"]);
            const meta = el("dl");
            for (const [key, value] of Object.entries(hit.metadata).sort()) meta.append(el("dt", { text: key }), el("dd", { text: String(value) }));
            const body = el("div", { class: "body" }, [
              el("span", { class: "id", text: hit.id }),
              el("span", { class: "score", text: `score ${hit.score.toFixed(4)}` }),
              ...(hit.text ? [el("span", { class: "text", text: hit.text })] : []),
              meta,
              el("button", { class: "link", type: "button", text: "more like this", onclick: () => searchLike(hit.id) }),
            ]);
            grid.append(el("article", { class: "card" }, [thumb, body]));
          }
        }

        // Product images: plain links on an open server; with a key, fetched with it.
        function image(path, alt) {
          if (!key()) return el("img", { src: path, alt, loading: "lazy" });
          const img = el("img", { alt });
          fetch(path, withKey()).then((r) => r.ok ? r.blob() : null).then((b) => { if (b) img.src = URL.createObjectURL(b); });
          return img;
        }

        function askForKey() {
          const form = $("key-form");
          form.hidden = false;
          $("key").focus();
        }

        async function classify() {
          const labels = $("labels").value.split(",").map((l) => l.trim()).filter(Boolean);
          if (!state.file || labels.length === 0) { showError("Choose a photo and give comma-separated labels."); return; }
          showError("");
          try {
            const p = new URLSearchParams({ labels: labels.join(","), topK: String(Math.min(labels.length, 10)) });
            const answer = await call("/api/classify/image?" + p, { method: "POST", body: state.file });
            const box = $("classes");
            box.replaceChildren(el("strong", { text: `Zero-shot labels for ${state.file.name}` }));
            for (const score of answer.labels) {
              const percent = (score.probability * 100).toFixed(1);
              box.append(el("div", { class: "bar" }, [el("span", { text: score.label }),
                el("span", {}, [el("span", { class: "fill", style: `width:${percent}%` })]), el("span", { text: `${percent} %` })]));
            }
            box.hidden = false;
          } catch (error) { showError(error.message); }
        }

        function choose(file) {
          if (!file) return;
          state.file = file;
          const preview = $("preview");
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
          $("classify").disabled = !(state.info && state.info.model && state.info.model.zeroShot);
          if (state.info && state.info.store && state.info.model && state.info.model.vision) searchPhoto();
        }

        async function start() {
          try {
            const info = state.info = await call("/api/info");
            const parts = [];
            if (info.model) parts.push(`model ${info.model.name} (${info.model.dimension}-d)`);
            if (info.store) parts.push(`${info.store.products} products` + (info.store.productsWithImages ? "" : " (no images: start the server with --catalog)"));
            else parts.push("no catalog store: embedding and classification only");
            $("status").textContent = parts.join(" · ");
            $("compressed-label").hidden = !(info.store && info.store.compressed);
            if (info.store && Object.keys(info.store.metadataKeys).length)
              $("filters").placeholder = Object.keys(info.store.metadataKeys).sort().slice(0, 3).map((k) => `${k}=…`).join(", ");
            if (!info.model) { $("text").disabled = true; $("text").placeholder = "no model: use “more like this”"; }
          } catch (error) { showError(`The server did not answer: ${error.message}`); return; }
          const hash = new URLSearchParams(location.hash.slice(1));
          if (hash.get("text")) { $("text").value = hash.get("text"); searchText(hash.get("text")); }
          else if (hash.get("like")) searchLike(hash.get("like"));
        }

        $("key-form").addEventListener("submit", (event) => {
          event.preventDefault();
          sessionStorage.setItem("fashionclip-key", $("key").value.trim());
          $("key-form").hidden = true;
          showError("");
          start();
        });
        $("text-form").addEventListener("submit", (event) => { event.preventDefault(); searchText($("text").value); });
        $("ptw").addEventListener("input", () => { $("ptw-value").textContent = $("ptw").value; });
        $("classify").addEventListener("click", (event) => { event.stopPropagation(); classify(); });
        $("labels").addEventListener("click", (event) => event.stopPropagation());
        const drop = $("drop");
        drop.addEventListener("click", () => $("file").click());
        drop.addEventListener("keydown", (event) => { if (event.key === "Enter" && event.target === drop) $("file").click(); });
        $("file").addEventListener("change", () => choose($("file").files[0]));
        drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
        drop.addEventListener("dragleave", () => drop.classList.remove("over"));
        drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); choose(event.dataTransfer.files[0]); });
        start();
        """#
}
