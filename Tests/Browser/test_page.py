"""The search page in chromium: every answer the page shows is checked against the JSON API's own
answer to the same query (the tiny fixture model's rankings are meaningless but deterministic)."""

import base64
import re
import urllib.parse

from conftest import IMAGES, shot
from playwright.sync_api import expect

NAVY = IMAGES / "dress-navy.jpg"
SNEAKERS = IMAGES / "sneakers-red.jpg"


def q(value):
    """A query-string value as the page must send it: spaces as %20."""
    return urllib.parse.quote(value, safe="")


def load(page, url):
    page.goto(url)
    expect(page.locator("#status")).to_contain_text("products")


def wait_results(page, label):
    """Waits until the summary says the results for `label` are shown; returns the cards' ids."""
    expect(page.locator("#summary")).to_contain_text(f"for {label} (")
    return page.locator("#results .card .id").all_text_contents()


def search(page, text):
    page.fill("#text", text)
    page.press("#text", "Enter")
    return wait_results(page, f'"{text}"')


def card_values(page, key):
    """The metadata value `key` of every card."""
    return page.eval_on_selector_all(
        "#results .card dl", f"""lists => lists.map(dl => {{
            const dt = [...dl.querySelectorAll('dt')].find(d => d.textContent === {key!r});
            return dt ? dt.nextElementSibling.textContent : null; }})""")


def test_multi_word_text_search_reaches_the_server_as_typed(page, open_url, api):
    load(page, open_url)
    with page.expect_response(lambda r: "/api/search?" in r.url) as answer:
        ids = search(page, "navy dress")
    url = answer.value.url
    assert "text=navy%20dress" in url and "+" not in url, url
    assert answer.value.json()["query"]["text"] == ["navy dress"]
    assert ids == api.ids("/api/search?topK=24&text=navy%20dress")
    assert len(ids) == 24
    # A form-encoded query (what a <form> or URLSearchParams writes) means the same to the server.
    echo = page.evaluate("""async () => (await (await fetch("/api/search?text=navy+dress&filter=brand%3DRalph+Lauren")).json()).query""")
    assert echo["text"] == ["navy dress"] and echo["filter"] == ["brand=Ralph Lauren"], echo


def test_filters_with_spaces_and_apostrophes_and_enter_in_the_filter_box(page, open_url, api):
    load(page, open_url)
    page.fill("#text", "shirt")
    page.fill("#filters", "brand=Ralph Lauren")
    with page.expect_response(lambda r: "/api/search?" in r.url) as answer:
        page.press("#filters", "Enter")
        ids = wait_results(page, '"shirt"')
    assert answer.value.json()["query"]["filter"] == ["brand=Ralph Lauren"]
    assert ids == ["p031"] == api.ids("/api/search?topK=24&text=shirt&filter=" + q("brand=Ralph Lauren"))
    assert card_values(page, "brand") == ["Ralph Lauren"]

    page.fill("#filters", "brand=Marc O'Polo, colour=off white")
    with page.expect_response(lambda r: "/api/search?" in r.url) as answer:
        page.press("#filters", "Enter")
        expect(page.locator("#results .card")).to_have_count(1)
    assert answer.value.json()["query"]["filter"] == ["brand=Marc O'Polo", "colour=off white"]
    assert page.locator("#results .card .id").all_text_contents() == ["p032"]

    page.fill("#filters", "brand=Levi's, price<250")
    with page.expect_response(lambda r: "/api/search?" in r.url) as answer:
        page.press("#filters", "Enter")
    assert answer.value.json()["query"]["filter"] == ["brand=Levi's", "price<250"]
    expect(page.locator("#results .card")).to_have_count(4)
    expected = api.ids("/api/search?topK=24&text=shirt&filter=" + q("brand=Levi's") + "&filter=" + q("price<250"))
    assert page.locator("#results .card .id").all_text_contents() == expected
    assert set(card_values(page, "brand")) == {"Levi's"}


def test_unknown_filter_key_and_non_numeric_comparison_are_errors_that_clear_old_cards(page, open_url):
    load(page, open_url)
    assert len(search(page, "navy dress")) == 24
    page.fill("#filters", "colr=red")
    page.press("#filters", "Enter")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("'colr'")
    expect(error).to_contain_text("colour")
    expect(page.locator("#results .card")).to_have_count(0)
    assert "for \"navy dress\" (" not in page.locator("#summary").text_content()

    page.fill("#filters", "price<abc")
    page.press("#filters", "Enter")
    expect(error).to_contain_text("price<abc")
    expect(error).to_contain_text("number")
    expect(page.locator("#results .card")).to_have_count(0)


def test_photo_search_by_file_input(page, open_url, api):
    load(page, open_url)
    page.set_input_files("#file", str(SNEAKERS))
    ids = wait_results(page, "the photo sneakers-red.jpg")
    expected = api.ids("/api/search/image?topK=24", SNEAKERS.read_bytes(), "image/jpeg")
    assert ids == expected
    expect(page.locator("#preview")).to_be_visible()
    assert page.eval_on_selector("#preview", "img => img.naturalWidth") > 0


def drop_file(page, path, mime):
    page.evaluate(
        """([b64, name, type]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            const zone = document.getElementById("drop");
            for (const kind of ["dragenter", "dragover", "drop"])
              zone.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        [base64.b64encode(path.read_bytes()).decode(), path.name, mime])


def test_photo_search_by_drag_and_drop(page, open_url, api):
    load(page, open_url)
    drop_file(page, NAVY, "image/jpeg")
    ids = wait_results(page, "the photo dress-navy.jpg")
    assert ids == api.ids("/api/search/image?topK=24", NAVY.read_bytes(), "image/jpeg")
    expect(page.locator("#drop")).not_to_have_class(re.compile("over"))


def test_classify_with_multi_word_labels_by_enter_and_a_new_photo_clears_them(page, open_url, api):
    load(page, open_url)
    page.set_input_files("#file", str(NAVY))
    wait_results(page, "the photo dress-navy.jpg")
    labels = ["navy dress", "red sneakers", "white leather bag", "striped t-shirt"]
    page.fill("#labels", ", ".join(labels))
    page.press("#labels", "Enter")
    bars = page.locator("#classes .bar")
    expect(bars).to_have_count(4)
    shown = [bars.nth(i).locator("span").first.text_content() for i in range(4)]
    status, answer = api.call(
        "POST", "/api/classify/image?labels=" + q(",".join(labels)) + "&topK=4", NAVY.read_bytes(), "image/jpeg")
    assert status == 200, answer
    assert shown == [score["label"] for score in answer["labels"]]
    assert sorted(shown) == sorted(labels)

    page.set_input_files("#file", str(SNEAKERS))
    wait_results(page, "the photo sneakers-red.jpg")
    expect(page.locator("#classes")).to_be_hidden()
    expect(bars).to_have_count(0)


def test_twelve_labels_show_twelve_bars(page, open_url):
    load(page, open_url)
    page.set_input_files("#file", str(NAVY))
    wait_results(page, "the photo dress-navy.jpg")
    labels = [f"label {i}" for i in range(12)]
    page.fill("#labels", ",".join(labels))
    page.click("#classify")
    expect(page.locator("#classes .bar")).to_have_count(12)


def test_more_like_this_has_distinct_names_and_ranks_as_the_api(page, open_url, api):
    load(page, open_url)
    search(page, "red sneakers")
    buttons = page.locator("#results .card button")
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    assert len(names) == 24 and len(set(names)) == 24, names
    first = page.locator("#results .card").first
    first_id = first.locator(".id").text_content()
    _, product = api.get(f"/api/product?id={first_id}")
    assert names[0] == f"more like {product['text']}"
    assert first.locator("img").get_attribute("alt") == product["text"]
    buttons.first.click()
    ids = wait_results(page, f"products like {first_id}")
    assert ids == api.ids(f"/api/search?topK=24&like={first_id}")
    assert page.evaluate("location.hash") == f"#like={first_id}"


def test_back_forward_and_hash_links_show_their_results(page, open_url, api):
    load(page, open_url)
    navy = search(page, "navy dress")
    sneakers = search(page, "red sneakers")
    assert navy != sneakers
    page.go_back()
    assert wait_results(page, '"navy dress"') == navy
    expect(page.locator("#text")).to_have_value("navy dress")
    page.go_forward()
    assert wait_results(page, '"red sneakers"') == sneakers
    page.evaluate("location.hash = 'text=white%20leather%20bag'")
    assert wait_results(page, '"white leather bag"') == api.ids("/api/search?topK=24&text=white%20leather%20bag")
    page.goto(open_url + "#text=striped%20t-shirt")
    assert wait_results(page, '"striped t-shirt"') == api.ids("/api/search?topK=24&text=striped%20t-shirt")


def test_a_slow_answer_does_not_overwrite_a_newer_one(page, open_url, api):
    load(page, open_url)
    held = []

    def hold_the_first(route):
        if "slow" in route.request.url and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/search?*", hold_the_first)
    page.fill("#text", "slow yellow bag")
    page.press("#text", "Enter")
    page.wait_for_function("document.getElementById('summary').textContent.includes('searching')")
    ids = search(page, "red sneakers")
    assert held, "the first search was not sent"
    try:
        held[0].continue_()
    except Exception:  # the page may have aborted it
        pass
    page.wait_for_timeout(700)
    expect(page.locator("#summary")).to_contain_text('for "red sneakers" (')
    assert page.locator("#results .card .id").all_text_contents() == ids == api.ids(
        "/api/search?topK=24&text=red%20sneakers")


def test_non_image_and_too_large_uploads(page, open_url, api):
    load(page, open_url)
    page.set_input_files("#file", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just some text\n"}])
    error = page.locator("#error")
    expect(error).to_be_visible()
    message = error.text_content()
    assert message.count("not an image") == 1 and "image the" not in message and "uploaded image:" not in message, message
    assert "notes.txt" in message, message
    expect(page.locator("#preview")).to_be_hidden()
    expect(page.locator("#classify")).to_be_disabled()
    shot(page, "state_non_image_upload")

    limit = api.get("/api/info")[1]["limits"]["maxRequestBytes"]
    uploads = []
    page.on("request", lambda r: "/api/" in r.url and r.method == "POST" and uploads.append(r.url))
    big = b"\xff\xd8\xff" + bytes(limit + 1000)
    page.set_input_files("#file", files=[{"name": "big.jpg", "mimeType": "image/jpeg", "buffer": big}])
    expect(error).to_contain_text("big.jpg")
    expect(error).to_contain_text("1 MB")
    assert str(limit) not in error.text_content()
    page.wait_for_timeout(300)
    assert uploads == [], "the file was uploaded although it is over the server's limit"


def test_page_structure_accessibility_and_favicon(page, open_url, api):
    load(page, open_url)
    search(page, "navy dress")
    nested = page.evaluate("""() => {
        const interactive = "a[href], button, input, select, textarea, [role=button], [tabindex]:not([tabindex='-1'])";
        return [...document.querySelectorAll(interactive)]
          .filter((node) => node.parentElement && node.parentElement.closest(interactive))
          .map((node) => `${node.tagName}#${node.id} in ${node.parentElement.closest(interactive).id}`);
    }""")
    assert nested == []
    alts = page.locator("#results .card img").evaluate_all("imgs => imgs.map(i => i.alt)")
    ids = page.locator("#results .card .id").all_text_contents()
    assert all(alt and alt not in ids for alt in alts), alts
    icon = page.evaluate("""async () => {
        const link = document.querySelector("link[rel~=icon]");
        const response = await fetch(link ? link.href : "/favicon.ico");
        return [response.status, response.headers.get("content-type")];
    }""")
    assert icon[0] == 200 and icon[1].startswith("image/"), icon
    status, _ = api.get("/health")
    assert status == 200
    assert [m for m in page.console_errors if "Content Security Policy" in m or "uncaught" in m] == []


def test_api_key_mode(page, key_url, key_api):
    page.goto(key_url)
    error = page.locator("#error")
    expect(page.locator("#key-form")).to_be_visible()
    expect(error).to_contain_text("needs an API key")
    shot(page, "state_key_needed")
    assert "did not answer" not in (error.text_content() + page.locator("#status").text_content())

    page.fill("#key", "not-the-key")
    page.press("#key", "Enter")
    expect(error).to_contain_text("refused")
    expect(page.locator("#key-form")).to_be_visible()
    shot(page, "state_key_refused")

    page.fill("#key", key_api.key)
    page.press("#key", "Enter")
    expect(page.locator("#status")).to_contain_text("32 products")
    expect(page.locator("#key-form")).to_be_hidden()
    expect(error).to_be_hidden()
    ids = search(page, "navy dress")
    assert ids == key_api.ids("/api/search?topK=24&text=navy%20dress")
    page.wait_for_function("[...document.querySelectorAll('#results img')].slice(0, 4).every(i => i.naturalWidth > 0)")

    page.click("#change-key")
    expect(page.locator("#key-form")).to_be_visible()
    page.fill("#key", "another-wrong-key")
    page.press("#key", "Enter")
    expect(error).to_contain_text("refused")
    page.fill("#key", key_api.key)
    page.press("#key", "Enter")
    expect(page.locator("#key-form")).to_be_hidden()
    assert wait_results(page, '"navy dress"') == ids


def test_server_stopped_and_started_again(page, own_server):
    own_server.start()
    load(page, own_server.url)
    before = search(page, "navy dress")
    own_server.stop()
    page.fill("#text", "red sneakers")
    page.press("#text", "Enter")
    error = page.locator("#error")
    expect(error).to_contain_text("cannot reach the server")
    assert "Failed to fetch" not in error.text_content()
    expect(page.locator("#results .card")).to_have_count(0)
    shot(page, "state_server_unreachable")
    own_server.start()
    expect(error).to_be_hidden(timeout=15_000)
    after = wait_results(page, '"red sneakers"')
    assert len(after) == 24 and after != before
