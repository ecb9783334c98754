// The three browser engines behind one small interface, so that a
// scenario says what it expects and the engine is a parameter.  Each is
// Debian's package, headless, with a fresh profile:
//   chromium  /usr/bin/chromium, driven by playwright-core (CDP);
//   firefox   /usr/bin/firefox-esr, by puppeteer-core over WebDriver BiDi;
//   webkit    WebKitGTK's MiniBrowser, by WebKitWebDriver (W3C WebDriver).
//             MiniBrowser has no headless switch: t/browser/run gives it
//             a display with xvfb-run.
//
// launch(name, options) resolves to { name, version, page(url), cookie(c),
// close() }.
// page(url) opens a page at url and resolves to { evaluate(fn, arg),
// screenshot(file) }: fn, an async function of one JSON argument, runs in
// the page, and its JSON result comes back; screenshot writes a PNG.
// cookie({ name, value, domain, url }) sets a cookie for domain, as the
// page at url (same site) would get it.

import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { spawn } from 'node:child_process';
import { freePorts } from './free-ports.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

// The engines a run uses: BROWSERS (as t/browser/run sets it), or all.
export function selected() {
    return (process.env.BROWSERS || ENGINES.join(' ')).split(/\s+/)
                                                      .filter(Boolean);
}

const LAUNCH_TIMEOUT = 60000;   // ms for an engine to come up

async function launchChromium(env) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(),
                                             'mod_cors-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        timeout: LAUNCH_TIMEOUT,
        env,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
               '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync'],
    });
    return {
        version: context.browser()?.version() ?? 'chromium',
        async page(url) {
            const page = await context.newPage();
            await page.goto(url);
            return { evaluate: (fn, arg) => page.evaluate(fn, arg),
                     screenshot: (file) => page.screenshot({
                         path: file, fullPage: true }) };
        },
        cookie: ({ name, value, domain }) => context.addCookies([{
            name, value, domain, path: '/', sameSite: 'Lax' }]),
        async close() {
            await context.close().catch(() => {});
            fs.rmSync(profile, { recursive: true, force: true });
        },
    };
}

async function launchFirefox(env) {
    const browser = await puppeteer.launch({
        browser: 'firefox', executablePath: '/usr/bin/firefox-esr',
        headless: true, timeout: LAUNCH_TIMEOUT, env,
    });
    return {
        version: await browser.version(),
        async page(url) {
            const page = await browser.newPage();
            await page.goto(url);
            return { evaluate: (fn, arg) => page.evaluate(fn, arg),
                     screenshot: (file) => page.screenshot({
                         path: file, fullPage: true }) };
        },
        cookie: ({ name, value, domain }) => browser.setCookie({
            name, value, domain, path: '/', sameSite: 'Lax' }),
        close: () => browser.close().catch(() => {}),
    };
}

// WebKitGTK's MiniBrowser, wherever the architecture puts it.
function miniBrowser() {
    for (const dir of fs.readdirSync('/usr/lib')) {
        const bin = path.join('/usr/lib', dir, 'webkit2gtk-4.1', 'MiniBrowser');
        if (fs.existsSync(bin)) {
            return bin;
        }
    }
    throw new Error('MiniBrowser of webkit2gtk-4.1 not found');
}

async function launchWebKit(env) {
    const [port] = (await freePorts(1)).ports;
    // the driver starts MiniBrowser, which inherits its environment
    const driver = spawn('WebKitWebDriver', [`--port=${port}`],
                         { stdio: 'ignore', env });
    const base = `http://127.0.0.1:${port}`;
    const wd = async (method, where, body) => {
        const res = await fetch(`${base}${where}`, {
            method, headers: { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const json = await res.json();
        // an error is a status; a script's result may have "error" too
        if (!res.ok) {
            throw new Error(`WebDriver ${where}: ${json.value.error}: `
                            + json.value.message);
        }
        return json.value;
    };
    let session = null;
    for (const end = Date.now() + LAUNCH_TIMEOUT; !session;) {
        try {
            session = await wd('POST', '/session', { capabilities: {
                alwaysMatch: { 'webkitgtk:browserOptions': {
                    binary: miniBrowser(), args: ['--automation'] } } } });
        } catch (e) {
            if (Date.now() > end) {
                driver.kill();
                throw e;
            }
            await new Promise((r) => setTimeout(r, 200));
        }
    }
    const s = `/session/${session.sessionId}`;
    let first = await wd('GET', `${s}/window`);
    const open = async (url) => {
        let handle = first;
        if (handle) {
            first = null;
        }
        else {
            handle = (await wd('POST', `${s}/window/new`, { type: 'tab' }))
                     .handle;
        }
        await wd('POST', `${s}/window`, { handle });
        await wd('POST', `${s}/url`, { url });
        return handle;
    };
    return {
        version: 'WebKitGTK '
                 + (session.capabilities.browserVersion ?? ''),
        async page(url) {
            const handle = await open(url);
            return {
                async evaluate(fn, arg) {
                    await wd('POST', `${s}/window`, { handle });
                    return wd('POST', `${s}/execute/async`, {
                        script: 'const done = arguments[1];'
                            + `(${fn.toString()})(arguments[0]).then(done,`
                            + ' (e) => done({ ok: false, error: "harness: "'
                            + ' + e }));',
                        args: [arg] });
                },
                async screenshot(file) {
                    await wd('POST', `${s}/window`, { handle });
                    fs.writeFileSync(file, Buffer.from(
                        await wd('GET', `${s}/screenshot`), 'base64'));
                },
            };
        },
        async cookie({ name, value, domain, url }) {
            // WebDriver sets a cookie for the document in front
            await open(url);
            await wd('POST', `${s}/cookie`, { cookie: {
                name, value, domain, path: '/', sameSite: 'Lax' } });
        },
        async close() {
            await wd('DELETE', s).catch(() => {});
            driver.kill();
        },
    };
}

// options.clock: a file whose first 8 bytes move the browser's clocks
// (t/browser/clock.c, built by t/browser/run as CLOCK_SO).
export async function launch(name, options = {}) {
    const make = { chromium: launchChromium, firefox: launchFirefox,
                   webkit: launchWebKit }[name];
    if (!make) {
        throw new Error(`no engine ${name}`);
    }
    let env = process.env;
    if (options.clock) {
        if (!env.CLOCK_SO) {
            throw new Error('CLOCK_SO is not set; use t/browser/run');
        }
        env = { ...env, LD_PRELOAD: env.CLOCK_SO,
                CORS_TEST_CLOCK: options.clock };
    }
    return { name, ...(await make(env)) };
}
