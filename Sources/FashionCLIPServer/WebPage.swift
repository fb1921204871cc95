import Hummingbird
import NIOCore

/// The web page served at `/`: search the catalog by text, by photo or by product ("more like
/// this"), with filters, and classify a photo zero-shot. One self-contained document (no scripts or
/// fonts from elsewhere) that talks to the JSON API; its script is `/app.js` (`WebPage.script`).
enum WebPage {
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        // Everything the page loads comes from this server; images may be data: URLs (previews).
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: blob:; style-src 'unsafe-inline'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `GET /favicon.ico`: the page's icon, a small SVG (the page links it; browsers also ask for this path
    /// by themselves).
    static func iconResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "max-age=86400"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: icon)))
    }

    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0a5cd5"/>\
        <path d="M10 7h13v4.5h-8v3.5h7v4.5h-7V25h-5z" fill="#fff"/></svg>
        """

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>FashionCLIP catalog search</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml">
        <style>\(style)</style>
        </head>
        <body>
        <header>
          <h1>FashionCLIP <span>catalog search</span></h1>
          <p class="muted"><span id="status">connecting…</span>
            <button id="change-key" class="link" type="button" hidden>change API key</button></p>
          <form id="key-form" class="row" hidden autocomplete="off">
            <label>API key <input id="key" type="password" aria-label="API key"></label>
            <button type="submit">Use key</button>
          </form>
        </header>
        <main>
          <section class="panel" id="query">
            <form id="text-form" autocomplete="off">
              <input id="text" type="search" placeholder="Describe it: striped long-sleeve t-shirt" aria-label="text query">
              <button type="submit">Search</button>
            </form>
            <div class="row">
              <label>Filters <input id="filters" type="text" placeholder="brand=Nike, price<100" aria-label="filters"></label>
              <label>Results <select id="topk"><option>12</option><option selected>24</option><option>48</option><option>96</option></select></label>
              <label title="Weight of the products' own texts in the score">Product text
                <input id="ptw" type="range" min="0" max="1" step="0.1" value="0"><output id="ptw-value">0</output></label>
              <label id="compressed-label" hidden><input id="compressed" type="checkbox"> int8 scan</label>
            </div>
            <div id="drop" class="drop">
              <img id="preview" alt="the chosen photo" hidden>
              <div><strong>Search by photo</strong>: drop an image here, or
                <button id="choose" type="button" class="secondary">choose a photo</button>
                <input id="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif" hidden>
                <p class="muted">JPEG, PNG, WebP or GIF; then classify it with your own labels.</p>
              </div>
            </div>
            <div class="row">
              <label>Labels <input id="labels" type="text" placeholder="t-shirt, dress, sneakers, bag" aria-label="labels"></label>
              <button id="classify" type="button" disabled>Classify the photo</button>
            </div>
          </section>
          <p id="error" class="error" role="alert" hidden></p>
          <section id="classes" class="panel" hidden></section>
          <p id="summary" class="muted"></p>
          <section id="results" class="grid" aria-live="polite"></section>
        </main>
        <script src="/app.js"></script>
        </body>
        </html>
        """

    static let style = """
        :root { --ink: #1d1d1f; --muted: #6e6e73; --line: #d9d9de; --accent: #0a5cd5; --card: #fff; --bg: #f5f5f7; }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
        header { padding: 18px 24px 6px; }
        h1 { margin: 0; font-size: 22px; } h1 span { font-weight: 400; color: var(--muted); }
        main { padding: 0 24px 40px; max-width: 1400px; }
        .muted { color: var(--muted); margin: 4px 0; }
        .panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px; margin: 12px 0; }
        form { display: flex; gap: 8px; }
        input[type=search], input[type=text], input[type=password] { flex: 1; padding: 9px 11px; border: 1px solid var(--line); border-radius: 7px; font: inherit; }
        button { padding: 9px 16px; border: 0; border-radius: 7px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
        button:disabled { background: #a9b8d6; cursor: default; }
        button.link { background: none; color: var(--accent); padding: 0; font-size: 13px; text-align: left; }
        #change-key { margin-left: 10px; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); padding: 5px 12px; }
        .row { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-top: 10px; }
        .row label { display: flex; gap: 6px; align-items: center; color: var(--muted); }
        .row label input[type=text] { min-width: 340px; }
        select { padding: 8px 10px; border: 1px solid var(--line); border-radius: 7px; font: inherit; background: #fff; }
        .drop { display: flex; gap: 14px; align-items: center; margin-top: 12px; padding: 12px; border: 2px dashed var(--line);
                border-radius: 10px; }
        .drop p { margin: 4px 0 0; }
        .drop.over { border-color: var(--accent); background: #eef4ff; }
        .drop img { width: 96px; height: 96px; object-fit: cover; border-radius: 8px; }
        .error { background: #fdecea; color: #8a1c12; border-radius: 8px; padding: 10px 14px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; }
        .card .thumb { aspect-ratio: 1; background: #eee; display: flex; align-items: center; justify-content: center; color: var(--muted); }
        .card .thumb img { width: 100%; height: 100%; object-fit: contain; background: #fff; }
        .card .body { padding: 9px 11px; display: flex; flex-direction: column; gap: 3px; flex: 1; }
        .card .body button { margin-top: auto; padding-top: 6px; }
        .card .id { font-weight: 600; word-break: break-all; }
        .card .score { font-variant-numeric: tabular-nums; color: var(--accent); font-size: 13px; }
        .card .text { font-size: 13px; }
        .card dl { margin: 0; font-size: 12px; color: var(--muted); display: grid; grid-template-columns: auto 1fr; gap: 0 8px; }
        .card dd { margin: 0; color: var(--ink); word-break: break-word; }
        #classes strong { display: block; margin-bottom: 6px; }
        .bar { display: grid; grid-template-columns: minmax(120px, 240px) minmax(120px, 520px) 64px; gap: 10px; align-items: center; margin: 3px 0; }
        .bar .track { display: block; height: 10px; border-radius: 5px; background: #e8ecf4; overflow: hidden; }
        .bar span.fill { display: block; height: 10px; border-radius: 5px; background: var(--accent); }
        .bar .percent { text-align: right; font-variant-numeric: tabular-nums; }
        """
}
