#!/usr/bin/env python3
"""Drives collectlite's web console in headless Chromium (Debian's chromium + chromium-driver)
with Selenium and prints what it saw as JSON, for ConsoleBrowserTests.swift to judge.

  console_check.py --url http://127.0.0.1:PORT --scenario data|auth --out DIR [--host H]
                   [--user U --password P --wrong-password W] [--explore QUERY]

Scenario `data`: hosts view (rows and their figures), one host page (every panel), Explore
(a query drawn as a chart, completion), Status. Scenario `auth`: the sign-in dialog refuses a
wrong password and accepts the right one. Screenshots go to --out. Browser console messages
are reported as they are; the caller decides which are errors.
"""
import argparse
import json
import os
import sys
import time
import urllib.parse

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def full_page_screenshot(driver, path):
    """The whole page, not only the window: the viewport is made as tall as the page."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": min(max(height, 800), 8000), "deviceScaleFactor": 1, "mobile": False})
    time.sleep(0.5)
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def wait_ready(driver, view, timeout=60):
    """Waits until the console marks `view` as drawn (or reports an error)."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.getElementById('main').dataset.ready") in (view, "error")
        or d.execute_script("return document.getElementById('login').open"))
    state = driver.execute_script("return document.getElementById('main').dataset.ready")
    error = driver.execute_script("return document.getElementById('error').textContent")
    return state, error


def logs(driver, into):
    for entry in driver.get_log("browser"):
        into.append({"level": entry.get("level"), "message": entry.get("message")})


def hosts_view(driver, url, out, report):
    driver.get(f"{url}/#/hosts?range=15m")
    state, error = wait_ready(driver, "hosts")
    report["hosts_state"], report["hosts_error"] = state, error
    report["hosts"] = driver.execute_script("""
        return [...document.querySelectorAll('#hosts tbody tr')].map((tr) => {
          const cell = (k) => tr.querySelector(`td[data-key="${k}"]`);
          const value = (k) => { const v = cell(k).dataset.value; return v === '' ? null : Number(v); };
          const spark = (k) => { const c = cell(k).querySelector('canvas'); return c ? Number(c.dataset.points || 0) : 0; };
          return { host: tr.dataset.host, stale: tr.dataset.stale === 'true', painted: tr.dataset.painted === '1',
                   seen: value('seen'), cpu: value('cpu'), mem: value('mem'), load: value('load'), rx: value('rx'), tx: value('tx'),
                   sparkPoints: { cpu: spark('cpu'), mem: spark('mem'), load: spark('load'), rx: spark('rx'), tx: spark('tx') } };
        });""")
    report["hosts_draw_ms"] = driver.execute_script("return Number(document.getElementById('main').dataset.drawMs)")
    driver.save_screenshot(os.path.join(out, "console-hosts.png"))
    # Sorting by CPU (descending) and filtering by name, as a user would with the keyboard.
    driver.find_element(By.CSS_SELECTOR, 'th[data-key="cpu"] button').click()
    report["sorted_by_cpu"] = driver.execute_script(
        "return [...document.querySelectorAll('#hosts tbody tr')].map((tr) => tr.dataset.host)")
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    active = driver.switch_to.active_element
    report["slash_focuses_filter"] = active.get_attribute("id") == "host-filter"
    active.send_keys(report.get("filter_text", "host1"))
    time.sleep(0.4)
    report["filtered"] = driver.execute_script(
        "return [...document.querySelectorAll('#hosts tbody tr')].map((tr) => tr.dataset.host)")
    report["url_after_filter"] = driver.current_url


def host_page(driver, url, host, out, report, range_="15m"):
    driver.get(f"{url}/#/host/{urllib.parse.quote(host)}?range={range_}")
    state, error = wait_ready(driver, "host")
    report["host_state"], report["host_error"] = state, error
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("""
        return [...document.querySelectorAll('section.panel:not([hidden]) .chart')].every((c) => c.dataset.drawn === '1' || c.classList.contains('nodata'))"""))
    report["panels"] = driver.execute_script("""
        return [...document.querySelectorAll('section.panel')].map((s) => {
          const box = s.querySelector('.chart, .value');
          // Pixels painted on the chart's canvases (series, fills, grid), none for an empty box.
          let inked = 0;
          for (const canvas of box.querySelectorAll('canvas')) {
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            inked = Math.max(inked, n);
          }
          return { title: s.dataset.title, hidden: s.hidden, points: Number(box.dataset.points || 0),
                   lines: Number(box.dataset.lines || 0), drawn: box.dataset.drawn === '1', inked,
                   notes: Number(box.dataset.notes || 0), queries: s.dataset.queries || '', text: box.textContent.slice(0, 40) };
        });""")
    report["notifications"] = driver.execute_script("return Number(document.getElementById('notes').dataset.count || 0)")
    full_page_screenshot(driver, os.path.join(out, "console-host.png"))


def explore(driver, url, query, out, report):
    driver.get(f"{url}/#/explore?range=15m&q={urllib.parse.quote(query)}")
    state, error = wait_ready(driver, "explore")
    report["explore_state"], report["explore_error"] = state, error
    result = driver.execute_script("""
        const r = document.getElementById('result');
        const chart = document.getElementById('explore-chart');
        return { state: r.dataset.state, points: chart ? Number(chart.dataset.points || 0) : 0,
                 drawn: chart ? chart.dataset.drawn === '1' : false, lines: chart ? Number(chart.dataset.lines || 0) : 0 };""")
    report["explore"] = result
    driver.save_screenshot(os.path.join(out, "console-explore.png"))
    # Completion: type the start of a measurement name and take the first suggestion with Tab.
    editor = driver.find_element(By.ID, "q")
    editor.clear()
    editor.send_keys("SELECT * FROM load_sh")
    WebDriverWait(driver, 10).until(lambda d: not d.find_element(By.ID, "completions").get_attribute("hidden"))
    report["completions"] = driver.execute_script(
        "return [...document.querySelectorAll('#completions li')].map((li) => li.firstChild.textContent)")
    editor.send_keys(Keys.TAB)
    report["completed_text"] = editor.get_attribute("value")
    # A non-time-series answer is a table.
    editor.clear()
    editor.send_keys("SHOW MEASUREMENTS")
    editor.send_keys(Keys.ESCAPE)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.getElementById('result').dataset.state") in ("table", "chart", "error"))
    report["show_state"] = driver.execute_script("return document.getElementById('result').dataset.state")
    report["show_rows"] = driver.execute_script("return document.querySelectorAll('#explore-table tbody tr').length")
    report["explore_url"] = driver.current_url


def status(driver, url, out, report):
    driver.get(f"{url}/#/status")
    state, error = wait_ready(driver, "status")
    report["status_state"], report["status_error"] = state, error
    report["status_cards"] = driver.execute_script("""
        return Object.fromEntries([...document.querySelectorAll('#status-cards section')].map((s) =>
          [s.querySelector('h2').textContent, s.querySelector('.value').textContent]))""")
    report["status_disk"] = driver.execute_script("return document.getElementById('disk').textContent")
    driver.save_screenshot(os.path.join(out, "console-status.png"))


def phone(driver, url, out, report):
    driver.set_window_size(390, 844)
    driver.get(f"{url}/#/hosts?range=15m")
    wait_ready(driver, "hosts")
    report["phone_overflow"] = driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
    driver.save_screenshot(os.path.join(out, "console-phone.png"))
    driver.set_window_size(1280, 900)


def auth(driver, url, args, out, report):
    driver.get(f"{url}/")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.getElementById('login').open"))
    report["asked_for_credentials"] = True
    def sign_in(password):
        user = driver.find_element(By.ID, "login-user")
        user.clear()
        user.send_keys(args.user)
        field = driver.find_element(By.ID, "login-password")
        field.clear()
        field.send_keys(password)
        field.send_keys(Keys.ENTER)
    sign_in(args.wrong_password)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.getElementById('login').open && document.getElementById('login-error').textContent !== ''"))
    report["wrong_password_message"] = driver.execute_script("return document.getElementById('login-error').textContent")
    report["wrong_password_ready"] = driver.execute_script("return document.getElementById('main').dataset.ready || ''")
    driver.save_screenshot(os.path.join(out, "console-login-refused.png"))
    sign_in(args.password)
    state, error = wait_ready(driver, "hosts")
    report["after_sign_in_state"], report["after_sign_in_error"] = state, error
    report["after_sign_in_rows"] = driver.execute_script("return document.querySelectorAll('#hosts tbody tr').length")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--scenario", choices=["data", "auth"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--host")
    parser.add_argument("--explore")
    parser.add_argument("--filter", default="host1")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--wrong-password")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    report = {"console": [], "filter_text": args.filter}
    driver = browser(1280, 900)
    try:
        if args.scenario == "data":
            hosts_view(driver, args.url, args.out, report)
            host_page(driver, args.url, args.host, args.out, report)
            explore(driver, args.url, args.explore, args.out, report)
            status(driver, args.url, args.out, report)
            phone(driver, args.url, args.out, report)
        else:
            auth(driver, args.url, args, args.out, report)
    except Exception as error:  # reported, so the Swift test shows where it stopped
        report["exception"] = f"{type(error).__name__}: {error}"
        try:
            driver.save_screenshot(os.path.join(args.out, f"console-{args.scenario}-failure.png"))
        except Exception:
            pass
    finally:
        try:
            logs(driver, report["console"])
        finally:
            driver.quit()
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
