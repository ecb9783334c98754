// Open the demo page in one browser engine (ENGINE: chromium, firefox or
// webkit; t/browser/engines.mjs), wait until every call has a mark, check
// each mark against what conf/demo.conf says, and take a screenshot.
// Prints "ok"/"not ok" lines; scripts/demo-screenshot counts them.
//
//   ENGINE=firefox node t/browser/demo.mjs PAGE_URL SCREENSHOT.png
import { launch } from "./engines.mjs";

const [url, shot] = process.argv.slice(2);
const engine = process.env.ENGINE || "chromium";
// Numbering goes on from the caller's checks.
let n = Number(process.env.TEST_NUMBER_BASE || 0);
const ok = (cond, name, extra) => {
    n++;
    console.log(`${cond ? "ok" : "not ok"} ${n} - ${engine}: ${name}`);
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

// Runs in the page: what the demo shows, once every call has its mark.
async function shown({ timeout }) {
    const end = Date.now() + timeout;
    while (!document.querySelector("#summary[data-done]")) {
        if (Date.now() > end) {
            return null;
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        rows: [...document.querySelectorAll("#calls tr")].map((tr) => ({
            call: tr.dataset.call,
            expected: tr.dataset.expected,
            outcome: tr.dataset.outcome,
            mark: tr.querySelector("td.mark").textContent,
            color: getComputedStyle(tr.querySelector("td.mark"))
                .backgroundColor,
            detail: tr.querySelector("td.detail").textContent,
            headers: tr.querySelector("td.headers").textContent,
        })),
        summary: document.querySelector("#summary").textContent,
        errors: document.documentElement.dataset.errors || "",
    };
}

let browser;
try {
    browser = await launch(engine);
    const res = await fetch(url);
    ok(res.status === 200, `the page loads (${url})`, `status ${res.status}`);
    const page = await browser.page(url);
    const seen = await page.evaluate(shown, { timeout: 30000 });
    ok(seen !== null, "every call gets its mark within 30 s");
    const rows = seen ? seen.rows : [];
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
    const summary = seen ? seen.summary : "";
    ok(summary === `${expected.length} of ${expected.length} calls ` +
                   "behaved as the policy says.",
       "the summary says every call behaved as the policy says", summary);
    ok(seen && seen.errors === "", "no script error on the page",
       seen && seen.errors);
    await page.screenshot(shot);     /* the caller checks the file */
} catch (e) {
    ok(false, "the browser check ran to the end", String(e));
} finally {
    if (browser) await browser.close();
}
