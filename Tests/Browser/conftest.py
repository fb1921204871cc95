"""Fixtures of the browser test: Debian's chromium through Playwright, the servers that
Scripts/browser-test.sh started (their URLs in the environment), the JSON API read directly for the
expected answers, and a screenshot of every test's page in FASHIONCLIP_SCREENSHOTS."""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

# Searches over the tiny model take milliseconds; the margin is for a loaded CI machine.
expect.set_options(timeout=10_000)

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "Demo" / "catalog" / "images"


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the browser test through Scripts/browser-test.sh")
    return value


class API:
    """The JSON API of one server, called without the page, for the answers the page must show."""

    def __init__(self, base, key=None):
        self.base = base.rstrip("/")
        self.key = key

    def call(self, method, path, body=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.key:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def get(self, path):
        return self.call("GET", path)

    def ids(self, path, body=None, content_type=None):
        status, answer = self.call("POST" if body else "GET", path, body, content_type)
        assert status == 200, f"{path}: {status} {answer}"
        return [hit["id"] for hit in answer["results"]]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        # As root (CI) chromium runs only without its sandbox; a container's small /dev/shm would crash it.
        browser = playwright.chromium.launch(executable_path=env("CHROMIUM"), args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def open_url():
    return env("FASHIONCLIP_OPEN_URL")


@pytest.fixture(scope="session")
def key_url():
    return env("FASHIONCLIP_KEY_URL")


@pytest.fixture(scope="session")
def api(open_url):
    return API(open_url)


@pytest.fixture(scope="session")
def key_api(key_url):
    return API(key_url, env("FASHIONCLIP_API_KEY_VALUE"))


def shot(page, name):
    """A screenshot of the page as it is now, as <name>.png (states a test passes through)."""
    shots = Path(env("FASHIONCLIP_SCREENSHOTS"))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


@pytest.fixture
def page(browser, request):
    """A fresh page (its own storage) that records console errors; a screenshot of it is saved as
    <test name>.png when the test ends, and the test fails on an uncaught script error or a
    Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    yield page
    try:
        shot(page, request.node.name)
    finally:
        context.close()
    broken = [m for m in page.console_errors if m.startswith("uncaught") or "Content Security Policy" in m]
    assert broken == [], f"the page's script failed: {broken}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A `fashionclip serve` of the test's own, on a fixed port, that the test stops and starts."""

    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.process = None

    def start(self):
        command = [env("FASHIONCLIP_BIN_PATH"), "serve", "--model", env("FASHIONCLIP_MODEL_PATH"),
                   "--store", env("FASHIONCLIP_STORE"), "--catalog", env("FASHIONCLIP_CATALOG"),
                   "--host", "127.0.0.1", "--port", str(self.port)]
        environment = {k: v for k, v in os.environ.items() if k != "FASHIONCLIP_API_KEY"}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment)
        line = self.process.stdout.readline().decode()
        assert "listening on" in line, f"the server did not start: {line}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "health", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"{self.url}health did not answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def own_server():
    server = ServerProcess(free_port())
    yield server
    server.stop()
