extension WebPage {
    /// The photo half of the page's script (`script` holds it): search by a chosen or dropped photo,
    /// refused in MB before the upload when it is over the server's limit; zero-shot labels for it,
    /// cleared when another photo comes.
    static let photoScript = #"""
        function megabytes(bytes) {
          const mb = bytes / 1048576;
          return `${Number.isInteger(mb) || mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
        }

        // The server could not use the photo `file` (422): say which, and forget it.
        function unusable(file, error) {
          if (file === state.file) { state.file = null; $("classify").disabled = true; $("preview").hidden = true; }
          showError(`The photo ${file.name} cannot be used: ${error.message}`);
        }

        function searchPhoto() {
          if (!state.file) return;
          remember("");
          const file = state.file;
          run(`the photo ${file.name}`, "/api/search/image?" + encode(searchParameters()),
            { method: "POST", body: file, headers: { "Content-Type": file.type || "application/octet-stream" } });
        }

        function clearClasses() { $("classes").replaceChildren(); $("classes").hidden = true; }

        async function classify() {
          const labels = $("labels").value.split(",").map((l) => l.trim()).filter(Boolean);
          if (!state.file || labels.length === 0) { showError("Choose a photo and give comma-separated labels."); return; }
          showError("");
          const file = state.file;
          try {
            const p = encode([["labels", labels.join(",")], ["topK", String(labels.length)]]);
            const answer = await call("/api/classify/image?" + p, { method: "POST", body: file });
            if (file !== state.file) return;
            const box = $("classes");
            box.replaceChildren(el("strong", { text: `Zero-shot labels for ${file.name}` }));
            for (const score of answer.labels) {
              const percent = (score.probability * 100).toFixed(1);
              box.append(el("div", { class: "bar" }, [el("span", { text: score.label }),
                el("span", { class: "track" }, [el("span", { class: "fill", style: `width:${percent}%` })]),
                el("span", { class: "percent", text: `${percent} %` })]));
            }
            box.hidden = false;
          } catch (error) {
            if (file !== state.file) return;
            if (error.status === 422) unusable(file, error); else fail(error);
          }
        }

        function choose(file) {
          if (!file) return;
          clearClasses();
          const preview = $("preview");
          if (state.preview) URL.revokeObjectURL(state.preview);
          state.preview = null;
          preview.hidden = true;
          const limit = state.info && state.info.limits.maxRequestBytes;
          if (limit && file.size > limit) {
            state.file = null;
            $("classify").disabled = true;
            clearResults();
            showError(`The photo ${file.name} is ${megabytes(file.size)}; this server takes photos of at most ${megabytes(limit)}.`);
            return;
          }
          state.file = file;
          preview.src = state.preview = URL.createObjectURL(file);
          preview.hidden = false;
          $("classify").disabled = !(state.info && state.info.model && state.info.model.zeroShot);
          if (state.info && state.info.store && state.info.model && state.info.model.vision) searchPhoto();
        }

        // The photo controls: a file chooser, dropping a file on the zone, Enter in the labels box.
        $("labels").addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); classify(); } });
        $("classify").addEventListener("click", classify);
        $("choose").addEventListener("click", () => $("file").click());
        $("preview").addEventListener("error", () => { $("preview").hidden = true; });
        $("file").addEventListener("change", () => { choose($("file").files[0]); $("file").value = ""; });
        const drop = $("drop");
        drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
        drop.addEventListener("dragleave", () => drop.classList.remove("over"));
        drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); choose(event.dataTransfer.files[0]); });
        """#
}
