// Cross-origin protection as a browser meets it
// (docs/mod_cors.html#protection), in each engine of engines.mjs.  Pages
// on three origins submit a real HTML form POST, a fetch() POST with mode
// 'no-cors' and a WebSocket handshake to B's /protect/echo: a CGI script
// that answers 200 whenever it runs.  B's access log shows what happened:
// 403 means the request was refused before the script ran; the log shows
// the Sec-Fetch-Site each engine sent, and a cross-site form or fetch()
// POST must carry "cross-site" in all three.  The expectations follow from the
// directive's algorithm, not from a run.
//
// t/browser/run starts the server and sets PORT_A, PORT_B and LOGS.

import { ENGINES, launch, selected } from './engines.mjs';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
const B = `http://localhost:${env.PORT_B}`;
const TIMEOUT = 10000;

// [name, page origin, path on B, how, status B's log must show, and the
// Sec-Fetch-Site it must show, where every engine sends it]
const SCENARIOS = [
    ['form POST from another site is refused',
     `http://127.0.0.1:${env.PORT_A}`, '/protect/echo', 'form', 403,
     'cross-site'],
    ['no-cors fetch POST from another site is refused',
     `http://127.0.0.1:${env.PORT_A}`, '/protect/echo', 'nocors', 403,
     'cross-site'],
    ['form POST from the same origin reaches the script',
     B, '/protect/echo', 'form', 200],
    ['form POST from a trusted origin reaches the script',
     `http://localhost:${env.PORT_A}`, '/protect/echo', 'form', 200],
    ['no-cors fetch POST from a trusted origin reaches the script',
     `http://localhost:${env.PORT_A}`, '/protect/echo', 'nocors', 200],
    ['ReportOnly lets the cross-site form through',
     `http://127.0.0.1:${env.PORT_A}`, '/protreport/echo', 'form', 200],
    // a WebSocket handshake is a GET any page may send with cookies: it is
    // judged like an unsafe method (B's script is no WebSocket server, so
    // the handshake fails either way: only B's log tells them apart)
    ['a WebSocket handshake from another site is refused',
     `http://127.0.0.1:${env.PORT_A}`, '/protect/echo', 'ws', 403],
    ['a WebSocket handshake from a trusted origin reaches the script',
     `http://localhost:${env.PORT_A}`, '/protect/echo', 'ws', 200],
];

// B's log line of a scenario: { status, site } (Sec-Fetch-Site), or null.
function logStatus(file, tag) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
        const f = line.split(' ');
        if (f[0] && f[1] && f[1].endsWith(`t=${tag}`)) {
            return { status: Number(f[2]), site: f[7] };
        }
    }
    return null;
}

// Runs inside the page: a real form POST (into an iframe of the page, so
// that the page stays to report), a no-cors fetch() POST, or a WebSocket.
async function submit({ url, how, timeout }) {
    if (how === 'ws') {
        await new Promise((resolve) => {
            const ws = new WebSocket(url.replace(/^http/, 'ws'));
            ws.onopen = ws.onerror = ws.onclose = resolve;
            setTimeout(resolve, timeout);
        });
        return true;
    }
    if (how === 'form') {
        const sink = document.createElement('iframe');
        sink.name = 'sink';
        document.body.appendChild(sink);
        const loaded = new Promise((resolve) => {
            sink.onload = resolve;
            setTimeout(resolve, timeout);
        });
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = url;
        f.target = 'sink';
        const i = document.createElement('input');
        i.name = 'x';
        i.value = '1';
        f.appendChild(i);
        document.body.appendChild(f);
        f.submit();
        await loaded;
        return true;
    }
    await fetch(url, {
        method: 'POST', mode: 'no-cors', body: 'x=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }).catch(() => null);
    return true;
}

async function runEngine(name, bLog, errLog, count) {
    const browser = await launch(name);
    try {
        for (const [i, [what, origin, where, how, want, site]] of
             SCENARIOS.entries()) {
            const tag = `prot${name[0]}${i + 1}`;
            const url = `${B}${where}?t=${tag}`;
            // B's own pages are text files: any document can hold a form
            const report = `/protreport/echo" from "${origin}": `
                           + 'protect:report';
            const reports = () => fs.readFileSync(errLog, 'utf8')
                                    .split(report).length - 1;
            const before = reports();
            const page = await browser.page(origin === B ? `${B}/api/data`
                                                         : `${origin}/`);
            await page.evaluate(submit, { url, how, timeout: TIMEOUT / 2 });
            let got = null;
            for (let n = 0; n < 50 && got === null; n++) {
                got = logStatus(bLog, tag);
                if (got === null) {
                    await new Promise((r) => setTimeout(r, 100));
                }
            }
            let why = got && got.status === want ? ''
                : ` (B logged ${got && got.status}, want ${want})`;
            if (!why && site && got.site !== site) {
                why = ` (Sec-Fetch-Site ${got.site}, want ${site})`;
            }
            if (!why && where.startsWith('/protreport/')
                && reports() <= before) {
                why = ' (not logged as protect:report)';
            }
            if (why) {
                count.failed++;
                console.log(`not ok ${tag} - ${name}: ${what}${why}`);
            } else {
                count.passed++;
                console.log(`ok ${tag} - ${name}: ${what}`);
            }
        }
    } finally {
        await browser.close();
    }
}

async function main() {
    const bLog = path.join(env.LOGS, 'b_access_log');
    const errLog = path.join(env.LOGS, 'error_log');
    const engines = selected();
    let passed = 0;
    let failed = 0;
    const lines = [];
    for (const name of engines) {
        const count = { passed: 0, failed: 0 };
        try {
            await runEngine(name, bLog, errLog, count);
        } catch (e) {
            count.failed = SCENARIOS.length - count.passed;
            console.log(`not ok - ${name} could not run: ${e.message}`);
        }
        lines.push(`${name}: ${count.passed} passed, ${count.failed} failed`);
        passed += count.passed;
        failed += count.failed;
    }
    for (const line of lines) {
        console.log(line);
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed === SCENARIOS.length * engines.length;
}

main().then((ok) => process.exit(ok ? 0 : 1), (e) => {
    console.error(`protect: ${e.stack || e}`);
    console.log(`0 passed, ${SCENARIOS.length * ENGINES.length} failed`);
    process.exit(1);
});
