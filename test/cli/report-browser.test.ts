/**
 * The bundle's index.html opened in a real browser: Debian's chromium driven by playwright-core (playwright's
 * own browser download cannot work here). The chronology rows and the chart must be there, the console must stay
 * free of errors, no request may leave the file, and nothing a servicer's mail carries may run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, setupHome, tempDir } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const PROOF = join(ROOT, "examples/proof-of-payment.pdf");
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe("index.html in headless Chromium", () => {
  let index: string;
  let rows: number;
  let events: number;

  beforeAll(() => {
    const { L } = setupHome();
    const work = tempDir("loanmail-browser-");
    const must = (r: ReturnType<typeof L>) => {
      if (r.code !== 0) throw new Error(r.stderr);
      return r;
    };
    must(
      L(
        "compose",
        "notice-of-error",
        "--loan",
        "1",
        // Written the day it was mailed, and recorded now.
        "--dated",
        day(40),
        "--set",
        "error=the March payment sits in suspense",
        "--summary",
        "I paid 1500 on time and it was not applied.",
        "--attach",
        `${PROOF}=Proof of payment`,
      ),
    );
    must(L("mailed", "1", "--tracking", "9407111899223344556677", "--date", day(40), "--delivered", day(37)));
    const tag = (JSON.parse(must(L("--json", "cases")).stdout) as { cases: { tag: string }[] }).cases[0]?.tag;
    const eml = join(work, "reply.eml");
    writeFileSync(
      eml,
      [
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Re: [${tag}] <script>alert(1)</script><img src=x onerror=alert(2)>`,
        `Date: ${new Date(Date.now() - 34 * 86_400_000).toUTCString().replace("GMT", "+0000")}`,
        "Message-ID: <browser-1@servicer.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>We received your letter.</p><script>alert(1)</script><img src="https://tracker.test/p.gif">',
        '<link rel="stylesheet" href="https://evil.test/x.css"><iframe src="https://evil.test/"></iframe>',
        "",
      ].join("\r\n"),
    );
    must(L("import", eml));
    must(L("call", "1", "--with", "Agent Smith", "--summary", "Promised a callback", "--date", day(30)));
    must(L("note", "1", 'Servicer wrote "</td></tr></table><h1>forged</h1>"'));
    const zip = join(work, "bundle.zip");
    must(L("export", "1", "--out", zip));
    const dir = join(work, "x");
    execFileSync("unzip", ["-o", "-q", zip, "-d", dir], { env: { ...process.env, LANG: "C.UTF-8" } });
    index = join(dir, "index.html");
    const doc = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as {
      cases: { rows: { type: string }[] }[];
    };
    rows = doc.cases.reduce((n, c) => n + c.rows.length, 0);
    events = doc.cases.reduce((n, c) => n + c.rows.filter((r) => r.type !== "clock-missed").length, 0);
  });

  it("shows the chronology and the chart, logs no error and requests nothing but the file", async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, or bash scripts/test-deps.sh)`,
      );
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const url = pathToFileURL(index).href;
      await page.goto(url, { waitUntil: "load" });

      expect(await page.locator("#chronology table.chronology tbody tr.event").count()).toBe(rows);
      expect(await page.locator("#chronology table.chronology tbody tr.event").first().isVisible()).toBe(true);
      const chart = page.locator("svg#timeline-chart");
      expect(await chart.isVisible()).toBe(true);
      expect(await chart.locator("circle.event-dot").count()).toBe(events);
      expect(await page.locator("#clocks table.clocks tbody tr.clock").count()).toBeGreaterThan(0);
      expect(await page.locator("#exhibits table.exhibits tbody tr.exhibit").count()).toBeGreaterThan(0);
      // What the servicer wrote is shown as text, never run or rendered as markup.
      expect(await page.locator("script, iframe, img, link[rel=stylesheet], h1:text('forged')").count()).toBe(0);
      expect(await page.getByText("<script>alert(1)</script>").count()).toBeGreaterThan(0);
      expect(await page.getByText('"</td></tr></table><h1>forged</h1>"').count()).toBeGreaterThan(0);

      // Printed, the chart and the chronology are still there.
      await page.emulateMedia({ media: "print" });
      expect(await chart.isVisible()).toBe(true);
      const pdf = await page.pdf({ format: "Letter" });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });
});
