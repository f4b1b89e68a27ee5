#!/usr/bin/env python3
"""How fast the console's chart library (the vendored dygraphs in Console/vendor) draws 100
series × 1 440 points, in headless Chromium: the first draw, and redraws as a zoom or a resize
makes them. The issue asks for a library that draws this fluidly.

    /usr/bin/python3 Benchmarks/console/chart_draw_bench.py [--series 100] [--points 1440] [--runs 5]

Needs chromium, chromium-driver and Python selenium (as Tests/run.sh installs them).
Prints figures; asserts nothing.
"""
import argparse
import os
import statistics
import tempfile

os.environ.setdefault("SE_OFFLINE", "true")
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://%(vendor)s/dygraph.min.css">
<script src="file://%(vendor)s/dygraph.min.js"></script></head>
<body><div id="chart" style="width:1200px;height:400px"></div><script>
const series = %(series)d, points = %(points)d, start = Date.UTC(2026, 10, 30);
const rows = [];
for (let i = 0; i < points; i++) {
  const row = [new Date(start + i * 60000)];
  for (let s = 0; s < series; s++) row.push(50 + 40 * Math.sin(i / 50 + s) + (s %% 7));
  rows.push(row);
}
const labels = ["time"].concat(Array.from({length: series}, (_, s) => "s" + s));
const t0 = performance.now();
const g = new Dygraph(document.getElementById("chart"), rows, {labels, legend: "never", animatedZooms: false});
const first = performance.now() - t0;
const redraws = [];
for (let k = 0; k < 10; k++) {
  const r0 = performance.now();
  g.updateOptions({dateWindow: [start + k * 3600000, start + (k + 12) * 3600000]});
  redraws.push(performance.now() - r0);
}
window.result = {first, redraws};
</script></body></html>"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=100)
    ap.add_argument("--points", type=int, default=1440)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    vendor = os.path.join(ROOT, "Console", "vendor")
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
        f.write(PAGE % {"vendor": vendor, "series": a.series, "points": a.points})
        page = f.name
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--allow-file-access-from-files"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    firsts, redraws = [], []
    try:
        for _ in range(a.runs):
            driver.get("file://" + page)
            result = driver.execute_script("return window.result")
            firsts.append(result["first"])
            redraws += result["redraws"]
    finally:
        driver.quit()
        os.unlink(page)
    version = open(os.path.join(vendor, "VERSION")).read().strip()
    print(f"dygraphs {version}, {a.series} series × {a.points} points, headless Chromium, {a.runs} page loads:")
    print(f"  first draw: median {statistics.median(firsts):.1f} ms, worst {max(firsts):.1f} ms")
    print(f"  redraw (zoom to 12 h): median {statistics.median(redraws):.1f} ms, worst {max(redraws):.1f} ms")


if __name__ == "__main__":
    main()
