// Open the demo page in headless Chromium, wait until every call has a
// mark, check each mark against what conf/demo.conf says, and take a
// screenshot.  Prints "ok"/"not ok" lines; scripts/demo-screenshot counts them.
//
//   node t/browser/demo.mjs PAGE_URL SCREENSHOT.png
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, shot] = process.argv.slice(2);
// Numbering goes on from the caller's checks.
let n = Number(process.env.TEST_NUMBER_BASE || 0);
const ok = (cond, name, extra) => {
    n++;
    console.log(`${cond ? "ok" : "not ok"} ${n} - ${name}`);
    if (!cond && extra) console.log(`#   ${extra}`);
};

// What each call must show, from conf/demo.conf: [call, outcome].
const expected = [
    ["GET /demo/api/data.json", "allowed"],
    ["PUT /demo/api/echo.cgi with JSON (preflighted)", "allowed"],
    ["GET /demo/api/partner/data.json", "blocked"],
    ["PATCH /demo/api/data.json", "blocked"],
    ["GET /demo/api/data.json with credentials", "allowed"],
    ["GET /demo/api/public/data.json with credentials", "blocked"],
    ["read the response header X-Request-Id", "allowed"],
    ["read the response header X-Internal", "blocked"],
];

const profile = mkdtempSync(join(tmpdir(), "mod_cors-demo-chromium-"));
let context;
try {
    context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
        headless: true,
        viewport: { width: 1100, height: 720 },
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"],
    });
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const res = await page.goto(url);
    ok(res && res.status() === 200, `the page loads (${url})`,
       `status ${res && res.status()}`);
    await page.waitForSelector("#summary[data-done]", { timeout: 30000 });
    const rows = await page.$$eval("#calls tr", (trs) => trs.map((tr) => ({
        call: tr.dataset.call,
        expected: tr.dataset.expected,
        outcome: tr.dataset.outcome,
        mark: tr.querySelector("td.mark").textContent,
        color: getComputedStyle(tr.querySelector("td.mark")).backgroundColor,
        detail: tr.querySelector("td.detail").textContent,
        headers: tr.querySelector("td.headers").textContent,
    })));
    ok(rows.length === expected.length,
       `the table has ${expected.length} calls`, `it has ${rows.length}`);
    for (const [i, [call, outcome]] of expected.entries()) {
        const row = rows[i] || {};
        // blocked by design is grey, not red: red means "not as intended"
        const mark = outcome === "allowed" ? "\u2714" : "\u2718";
        const color = outcome === "allowed" ? "rgb(46, 139, 62)"
                                            : "rgb(107, 114, 128)";
        ok(row.call === call && row.expected === outcome
           && row.outcome === outcome && row.mark === mark
           && row.color === color
           && (outcome === "allowed"
               || row.detail.startsWith("blocked, as intended")),
           `${call}: ${outcome === "allowed" ? "green mark"
                       : "grey mark, blocked as intended"}`,
           JSON.stringify(row));
    }
    const page_origin = new URL(url).origin;
    const headers = (i) => (rows[i] || {}).headers || "";
    const detail = (i) => (rows[i] || {}).detail || "";
    ok(headers(0).includes("Verdict: allowed")
       && headers(0).includes(`Access-Control-Allow-Origin: ${page_origin}`)
       && headers(0).includes("Vary: Origin"),
       "row 1 shows the headers behind its verdict", headers(0));
    ok(headers(1).includes("Verdict: allowed")
       && headers(1).includes("Access-Control-Allow-Methods: PUT,DELETE"),
       "the preflighted PUT shows the preflight's headers", headers(1));
    ok(/^HTTP 200, \{"method":"PUT","received":2\}$/.test(detail(1)),
       "the PUT reached the API, which answered 200", detail(1));
    ok(headers(4).includes("Verdict: allowed")
       && headers(4).includes("Credentials: include: the browser accepts")
       && headers(4).includes("Access-Control-Allow-Credentials: true"),
       "the credentialed call's checker says the browser accepts it",
       headers(4));
    ok(headers(5).includes("Verdict: denied")
       && headers(5).includes("Credentials: include: the browser refuses " +
                              "it: the answer's Access-Control-Allow-Origin " +
                              "is *")
       && headers(5).includes("Access-Control-Allow-Origin: *"),
       "the public API's credentialed call: the checker says why it is " +
       "blocked", headers(5));
    ok(rows.every((r) => !String(r.headers).includes("unavailable")),
       "every row has the checker's answer",
       rows.map((r) => r.headers).join(" | "));
    ok(headers(2).includes("Verdict: denied")
       && !headers(2).includes("Access-Control-Allow-Origin"),
       "the partner's row shows a denial and no ACAO", headers(2));
    ok(detail(0).includes("HTTP 200") && detail(0).includes("another origin"),
       "the allowed call shows the API's JSON", detail(0));
    ok(detail(6) === "X-Request-Id: demo-42",
       "the exposed header's value is shown", detail(6));
    const summary = await page.textContent("#summary");
    ok(summary === `${expected.length} of ${expected.length} calls ` +
                   "behaved as the policy says.",
       "the summary says every call behaved as the policy says", summary);
    ok(errors.length === 0, "no script error on the page", errors.join("; "));
    await page.screenshot({ path: shot, fullPage: true });
    ok(true, `screenshot ${shot}`);
} catch (e) {
    ok(false, "the browser check ran to the end", String(e));
} finally {
    if (context) await context.close();
    rmSync(profile, { recursive: true, force: true });
}
