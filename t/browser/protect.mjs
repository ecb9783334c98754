// Cross-origin protection as a browser meets it
// (docs/mod_cors.html#protection).  Pages on three origins submit a real
// HTML form POST, and a fetch() POST with mode 'no-cors', to B's
// /protect/echo: a CGI script that answers 200 whenever it runs.  B's
// access log shows what happened: 403 means the request was refused
// before the script ran.  Chromium sends Sec-Fetch-Site on all of them;
// the expectations follow from the directive's algorithm, not from a run.
//
// t/browser/run starts the server and sets PORT_A, PORT_B and LOGS.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const env = process.env;
const B = `http://localhost:${env.PORT_B}`;
const TIMEOUT = 10000;

// [name, page origin, path on B, how, status B's log must show]
const SCENARIOS = [
    ['form POST from another site is refused',
     `http://127.0.0.1:${env.PORT_A}`, '/protect/echo', 'form', 403],
    ['no-cors fetch POST from another site is refused',
     `http://127.0.0.1:${env.PORT_A}`, '/protect/echo', 'nocors', 403],
    ['form POST from the same origin reaches the script',
     B, '/protect/echo', 'form', 200],
    ['form POST from a trusted origin reaches the script',
     `http://localhost:${env.PORT_A}`, '/protect/echo', 'form', 200],
    ['no-cors fetch POST from a trusted origin reaches the script',
     `http://localhost:${env.PORT_A}`, '/protect/echo', 'nocors', 200],
    ['ReportOnly lets the cross-site form through',
     `http://127.0.0.1:${env.PORT_A}`, '/protreport/echo', 'form', 200],
];

function logStatus(file, tag) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
        const [method, url, status] = line.split(' ');
        if (method === 'POST' && url && url.endsWith(`t=${tag}`)) {
            return Number(status);
        }
    }
    return null;
}

async function main() {
    const bLog = path.join(env.LOGS, 'b_access_log');
    const errLog = path.join(env.LOGS, 'error_log');
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mod_cors-prot-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium', headless: true, timeout: 30000,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
               '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(TIMEOUT);
    let passed = 0;
    let failed = 0;
    try {
        for (const [i, [name, origin, where, how, want]] of
             SCENARIOS.entries()) {
            const tag = `prot${i + 1}`;
            const url = `${B}${where}?t=${tag}`;
            const page = await context.newPage();
            // B's own pages are text files: any document can hold a form
            await page.goto(origin === B ? `${B}/api/data` : `${origin}/`);
            if (how === 'form') {
                await Promise.all([
                    page.waitForNavigation({ timeout: TIMEOUT }),
                    page.evaluate((u) => {
                        const f = document.createElement('form');
                        f.method = 'POST';
                        f.action = u;
                        const i = document.createElement('input');
                        i.name = 'x';
                        i.value = '1';
                        f.appendChild(i);
                        document.body.appendChild(f);
                        f.submit();
                    }, url),
                ]);
            } else {
                await page.evaluate((u) => fetch(u, {
                    method: 'POST', mode: 'no-cors', body: 'x=1',
                    headers: { 'Content-Type':
                               'application/x-www-form-urlencoded' },
                }).catch(() => null), url);
            }
            await page.close();
            let got = null;
            for (let n = 0; n < 50 && got === null; n++) {
                got = logStatus(bLog, tag);
                if (got === null) {
                    await new Promise((r) => setTimeout(r, 100));
                }
            }
            const why = got === want ? '' : ` (B logged ${got}, want ${want})`;
            if (!why && where.startsWith('/protreport/')) {
                const text = fs.readFileSync(errLog, 'utf8');
                if (!text.includes(`/protreport/echo" from "${origin}": `
                                   + 'protect:report')) {
                    failed++;
                    console.log(`not ok ${i + 1} - ${name} (not logged as `
                                + 'protect:report)');
                    continue;
                }
            }
            if (why) {
                failed++;
                console.log(`not ok ${i + 1} - ${name}${why}`);
            } else {
                passed++;
                console.log(`ok ${i + 1} - ${name}`);
            }
        }
    } finally {
        await context.close().catch(() => {});
        fs.rmSync(profile, { recursive: true, force: true });
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed === SCENARIOS.length;
}

main().then((ok) => process.exit(ok ? 0 : 1), (e) => {
    console.error(`protect: ${e.stack || e}`);
    console.log(`0 passed, ${SCENARIOS.length} failed`);
    process.exit(1);
});
