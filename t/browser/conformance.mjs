// mod_cors as the browser sees it.  Each scenario loads a page on one
// origin, runs fetch() to the API origin from inside it, and checks what
// the browser allowed: whether fetch() resolved or failed with a
// TypeError, and what the script could read (status, body, headers).
// Whether a preflight was sent is read from the API's access log, since
// preflights never show in the drivers' request events.  Every scenario
// runs in each engine of engines.mjs.
//
// Every expectation comes from the manual (docs/mod_cors.html), the Fetch
// standard's CORS protocol and, where engines differ by design, the
// engine's own documented behaviour; never from a run.  t/browser/run
// starts the server and sets PORT_A, PORT_A2, PORT_B, PORT_C, LOGS and
// CLOCK_SO; httpd.conf.in holds the policies, one per top-level path.

import { ENGINES, launch, selected } from './engines.mjs';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
for (const name of ['PORT_A', 'PORT_A2', 'PORT_B', 'PORT_C', 'LOGS']) {
    if (!env[name]) {
        console.error(`conformance: ${name} is not set; use t/browser/run`);
        process.exit(2);
    }
}
const PA = env.PORT_A;
const B = `http://localhost:${env.PORT_B}`;
const FETCH_TIMEOUT = 5000;     // ms for one fetch() inside the page
const CALL_TIMEOUT = 10000;     // ms for page.evaluate around it

// The page origins.  Names under .localhost resolve to loopback in
// Chromium; all of them reach the page vhost on PORT_A.
const PAGES = {
    a: `http://127.0.0.1:${PA}`,
    a2: `http://127.0.0.1:${env.PORT_A2}`,     // same site as a
    // same site as B: Chromium blocks third-party cookies, and a
    // credentialed request needs the cookie to reach B
    local: `http://localhost:${PA}`,
    app: `http://a.app.localhost:${PA}`,
    deep: `http://x.y.app.localhost:${PA}`,
    bare: `http://app.localhost:${PA}`,
    evil: `http://evil.localhost:${PA}`,
    lookalike: `http://evilapp.localhost:${PA}`,
    foo: `http://foo.localhost:${PA}`,
};

// Where the engines cap Access-Control-Max-Age (Firefox at 86400 s, the
// largest CORSMaxAge, in netwerk/protocol/http/nsCORSListenerProxy.cpp).
const CHROMIUM_CAP = 'Chromium keeps a preflight 7200 s at most '
    + '(services/network/cors/preflight_result.cc)';
const WEBKIT_CAP = 'WebKit keeps a preflight 600 s at most '
    + '(WebCore/loader/CrossOriginPreflightResultCache.cpp)';

const HELLO = 'hello from B\n';
const BASIC_OK = 'Basic ' + Buffer.from('alice:wonderland').toString('base64');
const BASIC_BAD = 'Basic ' + Buffer.from('alice:guess').toString('base64');

// Scenario fields:
//   name, path (on B), page (key of PAGES, or a list: one call from each
//   in turn), init (fetch options), calls (repeat count, default 1).
//   clock            seconds the browser's clock reads at each call, from
//                    0 (t/browser/clock.c moves it): the preflight cache's
//                    hours pass in moments
//   expect.allowed   true: fetch resolved; false: it failed with TypeError
//   expect.status, body, bodyIncludes, redirected, headers {name: value
//                    or null for unreadable}: what the script read
//   expect.preflights, actuals: requests in B's access log for this
//                    scenario; preflightStatus, actualStatus: their status
//   expect.preflightsSoFar  with clock: preflights in B's log after each
//                    call
//   expect.backend   {preflights, actuals} in the proxied backend's log
//   expect.notes     the module's note on each of them in B's log
//   expect.origins   the Origin each of them carried
//   via              'sandbox' or 'data': the call comes from a frame of
//                    an opaque origin in the page
//   engines          {name: {expect, why}}: where an engine differs by
//                    design, what it does instead, and where it says so
const SCENARIOS = [
    // The main policy: one origin, PUT DELETE, X-Custom Content-Type.
    {
        name: 'simple GET from an allowed origin is readable',
        path: '/api/data',
        expect: { allowed: true, status: 200, body: HELLO,
                  preflights: 0, actuals: 1 },
    },
    {
        name: 'POST text/plain needs no preflight',
        path: '/api/echo',
        init: { method: 'POST', body: 'x',
                headers: { 'Content-Type': 'text/plain' } },
        expect: { allowed: true, status: 200, body: 'POST',
                  preflights: 0, actuals: 1 },
    },
    {
        name: 'GET with a header allowed by name is preflighted and allowed',
        path: '/api/data',
        init: { headers: { 'X-Custom': '1' } },
        expect: { allowed: true, status: 200, body: HELLO,
                  preflights: 1, preflightStatus: 204, actuals: 1 },
    },
    {
        name: 'POST application/json with Content-Type listed is allowed',
        path: '/api/echo',
        init: { method: 'POST', body: '{}',
                headers: { 'Content-Type': 'application/json' } },
        expect: { allowed: true, status: 200, body: 'POST',
                  preflights: 1, actuals: 1 },
    },
    {
        name: 'PUT listed in CORSAllowMethods is allowed',
        path: '/api/echo',
        init: { method: 'PUT', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflights: 1, preflightStatus: 204, actuals: 1 },
    },
    {
        name: 'DELETE listed in CORSAllowMethods is allowed',
        path: '/api/echo',
        init: { method: 'DELETE' },
        expect: { allowed: true, status: 200, body: 'DELETE',
                  preflights: 1, actuals: 1 },
    },
    {
        name: 'PATCH not listed is blocked at the preflight',
        path: '/api/echo',
        init: { method: 'PATCH', body: 'x' },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: 'a header not listed is blocked at the preflight',
        path: '/api/data',
        init: { headers: { 'X-Other': '1' } },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: 'Authorization not listed is blocked at the preflight',
        path: '/api/data',
        init: { headers: { Authorization: BASIC_OK } },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: 'an exposed header is readable',
        path: '/api/data',
        expect: { allowed: true, status: 200,
                  headers: { 'X-Exposed': 'yes' }, actuals: 1 },
    },
    {
        name: 'a header not exposed is unreadable',
        path: '/api/data',
        expect: { allowed: true, status: 200,
                  headers: { 'X-Hidden': null }, actuals: 1 },
    },
    {
        name: 'a 404 is readable',
        path: '/api/missing',
        expect: { allowed: true, status: 404, bodyIncludes: 'Not Found',
                  actuals: 1 },
    },
    {
        name: 'a 500 from a CGI script is readable',
        path: '/api/fail',
        expect: { allowed: true, status: 500, body: 'boom', actuals: 1 },
    },
    {
        name: 'a 403 from Require all denied is readable',
        path: '/api/denied',
        expect: { allowed: true, status: 403, bodyIncludes: 'Forbidden',
                  headers: { 'X-Exposed': 'yes' }, actuals: 1 },
    },
    {
        name: 'a Redirect inside the policy is followed',
        path: '/api/old',
        expect: { allowed: true, status: 200, body: HELLO,
                  redirected: true, preflights: 0, actuals: 2 },
    },
    {
        name: 'a denied origin cannot read a simple GET',
        page: 'evil',
        path: '/api/data',
        expect: { allowed: false, preflights: 0, actuals: 1,
                  actualStatus: 200 },
    },
    {
        name: 'a denied origin is blocked at the preflight',
        page: 'evil',
        path: '/api/echo',
        init: { method: 'PUT', body: 'x' },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },

    // "*" for everything, credentials off.
    {
        name: '* lets any origin read',
        page: 'evil',
        path: '/star/data',
        expect: { allowed: true, status: 200, body: HELLO, preflights: 0,
                  actuals: 1 },
    },
    {
        name: 'a header allowed by * is allowed',
        path: '/star/data',
        init: { headers: { 'X-Anything': '1' } },
        expect: { allowed: true, status: 200, body: HELLO, preflights: 1,
                  actuals: 1 },
    },
    {
        name: 'PATCH allowed by CORSAllowMethods * is allowed',
        path: '/star/echo',
        init: { method: 'PATCH', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PATCH',
                  preflights: 1, actuals: 1 },
    },
    {
        name: 'Authorization is not covered by CORSAllowHeaders *',
        path: '/star/data',
        init: { headers: { Authorization: BASIC_OK } },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: '* origin with credentials is blocked',
        page: 'local',
        path: '/star/data',
        init: { credentials: 'include' },
        expect: { allowed: false, preflights: 0, actuals: 1 },
    },
    {
        name: 'CORSExposeHeaders * exposes every header',
        path: '/star/data',
        expect: { allowed: true, status: 200,
                  headers: { 'X-Hidden': 'no', 'X-Exposed': 'yes' },
                  actuals: 1 },
    },

    // Method names: the config's "put" is PUT; "patch" is not PATCH.
    {
        name: 'PATCH listed is allowed',
        path: '/methods/echo',
        init: { method: 'PATCH', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PATCH',
                  preflights: 1, actuals: 1 },
    },
    {
        name: 'patch (lower case) is not PATCH and is blocked',
        path: '/methods/echo',
        init: { method: 'patch', body: 'x' },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: 'put (normalized by fetch) matches the listed put',
        path: '/methods/echo',
        init: { method: 'put', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflights: 1, actuals: 1 },
    },

    // Credentials on: /cred/private/ checks the session cookie.
    {
        name: 'credentials on: the cookie is sent and the page reads 200',
        page: 'local',
        path: '/cred/private/data',
        init: { credentials: 'include' },
        expect: { allowed: true, status: 200, body: HELLO, preflights: 0,
                  actuals: 1 },
    },
    {
        name: 'credentials on, script omits them: the page reads the 403',
        page: 'local',
        path: '/cred/private/data',
        expect: { allowed: true, status: 403, actuals: 1 },
    },
    {
        name: 'credentials on: PUT with a header, * echoed, is allowed',
        page: 'local',
        path: '/cred/private/echo',
        init: { method: 'PUT', body: 'x', credentials: 'include',
                headers: { 'X-Custom': '1' } },
        expect: { allowed: true, status: 200, body: 'PUT', preflights: 1,
                  actuals: 1, actualStatus: 200 },
    },
    // Trust: a lookalike origin that a credentialed regex matches reads
    // nothing with credentials; a real subdomain does.
    {
        name: 'a credentialed regex: a real subdomain reads with credentials',
        page: 'app',
        path: '/trust/data',
        init: { credentials: 'include' },
        expect: { allowed: true, status: 200, body: HELLO, preflights: 0,
                  actuals: 1 },
    },
    {
        name: 'a credentialed regex: a lookalike it matches reads nothing '
              + 'with credentials',
        page: 'lookalike',
        path: '/trust/data',
        init: { credentials: 'include' },
        expect: { allowed: false, preflights: 0, actuals: 1,
                  actualStatus: 200 },
    },
    {
        name: 'a credentialed regex: the lookalike may read without them',
        page: 'lookalike',
        path: '/trust/data',
        expect: { allowed: true, status: 200, body: HELLO, preflights: 0,
                  actuals: 1 },
    },
    {
        name: 'credentials off: a request with cookies is blocked',
        page: 'local',
        path: '/nocred/private/data',
        init: { credentials: 'include' },
        // the cookie did reach the server (200): only the browser refuses
        expect: { allowed: false, preflights: 0, actuals: 1,
                  actualStatus: 200 },
    },
    {
        name: 'credentials off: a request without cookies is readable',
        page: 'local',
        path: '/nocred/data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1 },
    },

    // http://*.app.localhost:*
    {
        name: '*.app.localhost allows a.app.localhost',
        page: 'app',
        path: '/sub/data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1 },
    },
    {
        name: '*.app.localhost allows x.y.app.localhost',
        page: 'deep',
        path: '/sub/data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1 },
    },
    {
        name: '*.app.localhost does not allow app.localhost itself',
        page: 'bare',
        path: '/sub/data',
        expect: { allowed: false, actuals: 1 },
    },
    {
        name: '*.app.localhost does not allow evil.localhost',
        page: 'evil',
        path: '/sub/data',
        expect: { allowed: false, actuals: 1 },
    },
    {
        name: '*.app.localhost does not allow 127.0.0.1',
        path: '/sub/data',
        expect: { allowed: false, actuals: 1 },
    },
    {
        name: '*.app.localhost: PUT from a.app.localhost is allowed',
        page: 'app',
        path: '/sub/echo',
        init: { method: 'PUT', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PUT', preflights: 1,
                  actuals: 1 },
    },

    // CORSAllowOriginMatch
    {
        name: 'CORSAllowOriginMatch allows foo.localhost',
        page: 'foo',
        path: '/re/data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1 },
    },
    {
        name: 'CORSAllowOriginMatch does not allow evil.localhost',
        page: 'evil',
        path: '/re/data',
        expect: { allowed: false, actuals: 1 },
    },

    // The policy of /ht/ is in .htaccess.
    {
        name: '.htaccess: a header it lists is allowed',
        path: '/ht/data.txt',
        init: { headers: { 'X-Ht': '1' } },
        expect: { allowed: true, status: 200, body: 'hello from ht\n',
                  headers: { 'X-Exposed': 'yes', 'X-Hidden': null },
                  preflights: 1, actuals: 1 },
    },
    {
        name: '.htaccess: a header it does not list is blocked',
        path: '/ht/data.txt',
        init: { headers: { 'X-Custom': '1' } },
        expect: { allowed: false, preflights: 1, preflightStatus: 403,
                  actuals: 0 },
    },
    {
        name: '.htaccess: another origin is blocked',
        page: 'evil',
        path: '/ht/data.txt',
        expect: { allowed: false, actuals: 1 },
    },
    {
        name: '<Directory>: an allowed origin reads',
        path: '/dir/data.txt',
        expect: { allowed: true, status: 200, body: 'hello from dir\n',
                  actuals: 1 },
    },

    // Require valid-user: preflights are answered before authentication.
    {
        name: 'behind Require valid-user the preflight succeeds, 401 readable',
        path: '/locked/data',
        init: { headers: { 'X-Custom': '1' } },
        expect: { allowed: true, status: 401, preflights: 1,
                  preflightStatus: 204, actuals: 1, actualStatus: 401 },
    },
    {
        name: 'Authorization listed: a right password reads 200',
        path: '/locked/data',
        init: { headers: { Authorization: BASIC_OK } },
        expect: { allowed: true, status: 200, body: HELLO, preflights: 1,
                  actuals: 1 },
    },
    {
        name: 'Authorization listed: a wrong password reads 401',
        path: '/locked/data',
        init: { headers: { Authorization: BASIC_BAD } },
        expect: { allowed: true, status: 401, preflights: 1, actuals: 1 },
    },

    // Preflight caching and status.
    // The cache's lifetime, each engine's own (docs/mod_cors.html#CORSMaxAge).
    {
        name: 'no CORSMaxAge: a preflight is kept 5 seconds',
        path: '/api/echo',
        init: { method: 'PUT', body: 'x' },
        // the other scenarios' first calls come between the first two
        clock: [0, 2, 7],
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflightsSoFar: [1, 1, 2], actuals: 3 },
    },
    {
        name: 'CORSMaxAge 600: a preflight is kept 600 seconds',
        path: '/cache/echo',
        init: { method: 'PUT', body: 'x' },
        clock: [0, 6, 570, 630],
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflightsSoFar: [1, 1, 1, 2], actuals: 4 },
    },
    {
        name: 'CORSMaxAge 700: a preflight is kept 700 seconds',
        path: '/cache700/echo',
        init: { method: 'PUT', body: 'x' },
        clock: [0, 570, 630, 730],
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflightsSoFar: [1, 1, 1, 2], actuals: 4 },
        engines: { webkit: {
            why: WEBKIT_CAP, expect: { preflightsSoFar: [1, 1, 2, 2] } } },
    },
    {
        name: 'CORSMaxAge 86400: a preflight is kept a day',
        path: '/cachemax/echo',
        init: { method: 'PUT', body: 'x' },
        clock: [0, 7170, 7230, 86370, 86430],
        expect: { allowed: true, status: 200, body: 'PUT',
                  preflightsSoFar: [1, 1, 1, 1, 2], actuals: 5 },
        engines: {
            chromium: { why: CHROMIUM_CAP,
                        expect: { preflightsSoFar: [1, 1, 2, 3, 3] } },
            webkit: { why: WEBKIT_CAP,
                      expect: { preflightsSoFar: [1, 2, 2, 3, 3] } },
        },
    },
    {
        name: 'CORSMaxAge 0: every call is preflighted',
        path: '/nocache/echo',
        init: { method: 'PUT', body: 'x' },
        calls: 2,
        expect: { allowed: true, status: 200, body: 'PUT', preflights: 2,
                  actuals: 2 },
    },
    {
        name: 'CORSPreflightStatus 200 is accepted',
        path: '/p200/echo',
        init: { method: 'PUT', body: 'x' },
        expect: { allowed: true, status: 200, body: 'PUT', preflights: 1,
                  preflightStatus: 200, actuals: 1 },
    },

    // Vary: Origin keeps a cached response of one origin from another.
    {
        name: 'Vary: Origin: a cached response is not reused for another '
              + 'origin',
        page: ['a', 'a2'],
        path: '/vary/data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 2 },
    },

    // A proxied backend that sends Access-Control-Allow-Origin:
    // https://other.example and more of its own.
    {
        name: 'proxy: the backend\'s conflicting policy is replaced',
        path: '/proxy/data.txt',
        expect: { allowed: true, status: 200, body: 'hello from C\n',
                  headers: { 'X-Backend': 'c', 'X-Secret': null },
                  actuals: 1, backend: { preflights: 0, actuals: 1 } },
    },
    {
        name: 'proxy: the preflight is answered without the backend',
        path: '/proxy/data.txt',
        init: { headers: { 'X-Custom': '1' } },
        expect: { allowed: true, status: 200, body: 'hello from C\n',
                  preflights: 1, actuals: 1,
                  backend: { preflights: 0, actuals: 1 } },
    },
    {
        name: 'proxy: a denied origin is blocked',
        page: 'evil',
        path: '/proxy/data.txt',
        expect: { allowed: false, actuals: 1 },
    },

    // A CGI script that sets ACAO * and ACEH X-Hidden itself.
    {
        name: 'CGI: the script\'s own ACAO is replaced, allowed origin reads',
        path: '/api/rogue',
        expect: { allowed: true, status: 200, body: 'rogue',
                  headers: { 'X-Exposed': 'yes', 'X-Hidden': null },
                  actuals: 1 },
    },
    {
        name: 'CGI: the script\'s ACAO * does not let a denied origin read',
        page: 'evil',
        path: '/api/rogue',
        expect: { allowed: false, actuals: 1 },
    },
];

// An opaque origin: the same fetch() from a frame whose origin is "null"
// in every engine (HTML's sandboxed origin browsing context flag; a data:
// URL's document), by the frame's own script.
SCENARIOS.push(
    {
        name: 'a sandboxed frame sends Origin null: CORSAllowOrigin null '
              + 'lets it read',
        path: '/nullok/data', via: 'sandbox',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1,
                  origins: 'null' },
    },
    {
        name: 'a sandboxed frame sends Origin null: a policy without it '
              + 'lets it read nothing',
        path: '/api/data', via: 'sandbox',
        expect: { allowed: false, actuals: 1, origins: 'null' },
    },
    {
        name: 'a data: frame sends Origin null: CORSAllowOrigin null lets it '
              + 'read',
        path: '/nullok/data', via: 'data',
        expect: { allowed: true, status: 200, body: HELLO, actuals: 1,
                  origins: 'null' },
    },
);

// Shadow, then the switch (docs/migrating.md, "Run in shadow first"): the
// same calls to a recipe with its mod_cors twin in shadow, where every
// request must be shadow:agree, then to the twin alone: the page sees
// the same, call for call.
const SWITCH_CALLS = [
    ['a GET from the allowed origin',
     { expect: { allowed: true, status: 200, body: HELLO,
                 preflights: 0, actuals: 1 } }],
    ['a GET from another origin',
     { page: 'evil', expect: { allowed: false, preflights: 0, actuals: 1 } }],
    ['a GET with X-Custom, preflighted',
     { init: { headers: { 'X-Custom': '1' } },
       expect: { allowed: true, status: 200, body: HELLO,
                 preflights: 1, actuals: 1 } }],
];
for (const [what, sc] of SWITCH_CALLS) {
    SCENARIOS.push({ ...sc, name: `the recipe, mod_cors in shadow: ${what}`,
                     path: '/shadowrecipe/data',
                     expect: { ...sc.expect, notes: 'shadow:agree' } });
    SCENARIOS.push({ ...sc, name: `switched to mod_cors: ${what}`,
                     path: '/shadowmodule/data' });
}

// Runs inside the page: the fetch() of pageFetch from a frame of an
// opaque origin -- sandboxed (srcdoc) or a data: URL -- which posts its
// result back.
async function framedFetch({ url, init, read, timeout, via }) {
    const script = `<script>
        fetch(${JSON.stringify(url)}, ${JSON.stringify(init)})
        .then(async (res) => {
            const headers = {};
            for (const name of ${JSON.stringify(read)}) {
                headers[name] = res.headers.get(name);
            }
            parent.postMessage({ ok: true, status: res.status,
                                 body: await res.text(), headers,
                                 redirected: res.redirected }, '*');
        }, (e) => parent.postMessage({ ok: false,
                                       error: e.name + ': ' + e.message },
                                     '*'));
        <\/script>`;
    const frame = document.createElement('iframe');
    const answer = new Promise((resolve) => {
        window.addEventListener('message', (e) => {
            if (e.source === frame.contentWindow) {
                resolve(e.data);
            }
        });
        setTimeout(() => resolve({ ok: false, error: 'harness: no answer '
                                   + 'from the frame' }), timeout);
    });
    if (via === 'sandbox') {
        frame.sandbox = 'allow-scripts';
        frame.srcdoc = script;
    } else {
        frame.src = 'data:text/html,' + encodeURIComponent(script);
    }
    document.body.appendChild(frame);
    const res = await answer;
    frame.remove();
    return res;
}

// Runs inside the page: one fetch() with a bounded time.
async function pageFetch({ url, init, read, timeout }) {
    try {
        const res = await fetch(url, {
            ...init, signal: AbortSignal.timeout(timeout),
        });
        const body = await res.text();
        const headers = {};
        for (const name of read) {
            headers[name] = res.headers.get(name);
        }
        return { ok: true, status: res.status, body, headers,
                 redirected: res.redirected, now: Date.now() };
    } catch (e) {
        return { ok: false, error: `${e.name}: ${e.message}` };
    }
}

function withTimeout(promise, ms, what) {
    let timer;
    const limit = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    });
    return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// The access log lines of one scenario, by its tag in the query string.
function readLog(file) {
    const byTag = new Map();
    let text = '';
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch {
        return byTag;
    }
    for (const line of text.split('\n')) {
        const f = line.split(' ');
        if (f.length < 3) {
            continue;
        }
        const m = /[?&]t=(\w+)/.exec(f[1]);
        if (!m) {
            continue;
        }
        const entry = { method: f[0], status: Number(f[2]), origin: f[3],
                        acrm: f[4], acrpn: f[5], note: f[6] };
        entry.preflight = entry.method === 'OPTIONS' && entry.acrm
                          && entry.acrm !== '-';
        if (!byTag.has(m[1])) {
            byTag.set(m[1], []);
        }
        byTag.get(m[1]).push(entry);
    }
    return byTag;
}

function judgeCall(exp, res) {
    const why = [];
    if (!exp.allowed) {
        if (res.ok) {
            why.push(`fetch resolved (status ${res.status}), expected a `
                     + 'TypeError');
        } else if (!res.error.startsWith('TypeError')) {
            why.push(`failed with ${res.error}, expected a TypeError`);
        }
        return why;
    }
    if (!res.ok) {
        return [`fetch failed: ${res.error}`];
    }
    if (exp.status !== undefined && res.status !== exp.status) {
        why.push(`status ${res.status}, expected ${exp.status}`);
    }
    if (exp.body !== undefined && res.body !== exp.body) {
        why.push(`body ${JSON.stringify(res.body.slice(0, 60))}, expected `
                 + JSON.stringify(exp.body));
    }
    if (exp.bodyIncludes !== undefined
        && !res.body.includes(exp.bodyIncludes)) {
        why.push(`body lacks ${JSON.stringify(exp.bodyIncludes)}`);
    }
    if (exp.redirected !== undefined && res.redirected !== exp.redirected) {
        why.push(`redirected ${res.redirected}, expected ${exp.redirected}`);
    }
    for (const [name, want] of Object.entries(exp.headers || {})) {
        if (res.headers[name] !== want) {
            why.push(`${name} read as ${JSON.stringify(res.headers[name])}, `
                     + `expected ${JSON.stringify(want)}`);
        }
    }
    return why;
}

function judgeLog(exp, lines, backendLines, seen) {
    const why = [];
    if (exp.preflightsSoFar !== undefined
        && seen.join() !== exp.preflightsSoFar.join()) {
        why.push(`preflights after each call ${seen.join(', ')}, expected `
                 + exp.preflightsSoFar.join(', '));
    }
    const pre = lines.filter((l) => l.preflight);
    const act = lines.filter((l) => !l.preflight);
    if (exp.preflights !== undefined && pre.length !== exp.preflights) {
        why.push(`${pre.length} preflight(s) logged, expected `
                 + exp.preflights);
    }
    if (exp.actuals !== undefined && act.length !== exp.actuals) {
        why.push(`${act.length} actual request(s) logged, expected `
                 + exp.actuals);
    }
    if (exp.preflightStatus !== undefined) {
        const bad = pre.filter((l) => l.status !== exp.preflightStatus);
        if (bad.length) {
            why.push(`preflight status ${bad[0].status}, expected `
                     + exp.preflightStatus);
        }
    }
    if (exp.actualStatus !== undefined) {
        const bad = act.filter((l) => l.status !== exp.actualStatus);
        if (bad.length) {
            why.push(`actual request status ${bad[0].status}, expected `
                     + exp.actualStatus);
        }
    }
    if (exp.origins !== undefined) {
        const bad = lines.filter((l) => l.origin !== exp.origins);
        if (bad.length) {
            why.push(`Origin ${bad[0].origin}, expected ${exp.origins}`);
        }
    }
    if (exp.notes !== undefined) {
        const bad = lines.filter((l) => l.note !== exp.notes);
        if (bad.length) {
            why.push(`note ${bad[0].note}, expected ${exp.notes}`);
        }
    }
    if (exp.backend) {
        const bpre = backendLines.filter((l) => l.method === 'OPTIONS');
        const bact = backendLines.filter((l) => l.method !== 'OPTIONS');
        if (bpre.length !== exp.backend.preflights) {
            why.push(`backend saw ${bpre.length} OPTIONS, expected `
                     + exp.backend.preflights);
        }
        if (bact.length !== exp.backend.actuals) {
            why.push(`backend saw ${bact.length} request(s), expected `
                     + exp.backend.actuals);
        }
    }
    return why;
}

// A tag's lines in the log once enough(lines) holds, or after ms.
async function logLines(file, tag, enough, ms) {
    const end = Date.now() + ms;
    let lines = [];
    while (Date.now() < end) {
        lines = readLog(file).get(tag) || [];
        if (enough(lines)) {
            break;
        }
        await new Promise((r) => setTimeout(r, 20));
    }
    return lines;
}

// A scenario's expectation in one engine: where engines differ by
// design, sc.engines[name].expect says what that engine does, and why.
function expectIn(sc, engine) {
    return { ...sc.expect, ...(sc.engines?.[engine]?.expect || {}) };
}

// Every scenario in one engine; each gets a tag of its own in B's log.
// Those with a clock come last, as the clock only moves forward.
async function runEngine(name, results, bLog) {
    const clock = path.join(env.LOGS, `clock-${name}`);
    const fd = fs.openSync(clock, 'w+');
    const offset = Buffer.alloc(8);
    // rewritten in place: the browser has it mapped, and a read past the
    // end of a mapped file is a SIGBUS
    const setClock = (seconds) => {
        offset.writeBigInt64LE(BigInt(seconds) * 1000000000n);
        fs.writeSync(fd, offset, 0, 8, 0);
    };
    setClock(0);
    const browser = await launch(name, { clock }).catch((e) => {
        fs.closeSync(fd);
        throw e;
    });
    try {
        // The session cookie /cred/private/ and /nocred/private/ check,
        // on B's host.  Pages on localhost:PORT_A send it (same site);
        // pages on 127.0.0.1 are cross-site.
        await browser.cookie({ name: 'session', value: 'ok',
                               domain: 'localhost',
                               url: `${PAGES.local}/` });
        const pages = {};
        for (const [key, origin] of Object.entries(PAGES)) {
            pages[key] = await withTimeout(browser.page(`${origin}/`),
                                           CALL_TIMEOUT, `${name} page`);
        }
        const call = async (key, { url, sc }) => {
            try {
                return await withTimeout(pages[key].evaluate(
                    sc.via ? framedFetch : pageFetch, {
                        url, init: sc.init || {},
                        read: Object.keys(expectIn(sc, name).headers || {}),
                        timeout: FETCH_TIMEOUT, via: sc.via,
                    }), CALL_TIMEOUT, 'page.evaluate');
            } catch (e) {
                return { ok: false, error: `harness: ${e.message}` };
            }
        };
        const timed = [];
        for (const [i, sc] of SCENARIOS.entries()) {
            const tag = `${name[0]}${i + 1}`;
            const query = sc.path.includes('?') ? '&' : '?';
            const entry = { engine: name, tag, sc, calls: [], seen: [],
                            url: `${B}${sc.path}${query}t=${tag}` };
            results.push(entry);
            if (sc.clock) {
                timed.push(entry);
                continue;
            }
            for (let n = 0; n < (sc.calls || 1); n++) {
                for (const key of [sc.page || 'a'].flat()) {
                    entry.calls.push({ key, res: await call(key, entry) });
                }
            }
        }
        const times = [...new Set(timed.flatMap((e) => e.sc.clock))]
                      .sort((x, y) => x - y);
        for (const t of times) {
            setClock(t);
            for (const entry of timed.filter((e) => e.sc.clock.includes(t))) {
                const key = entry.sc.page || 'a';
                const before = Date.now();
                let res = await call(key, entry);
                const ahead = Math.round((res.now - before) / 1000);
                if (res.ok && ahead < t - 1) {
                    res = { ok: false, error: `harness: the page's clock `
                            + `was ${ahead} s ahead, not ${t} s (did `
                            + `${env.CLOCK_SO} load?)` };
                }
                entry.calls.push({ key: `at ${t} s`, res });
                // a preflight's line comes before its request's
                const n = entry.calls.length;
                const lines = await logLines(bLog, entry.tag, (ls) =>
                    ls.filter((l) => !l.preflight).length >= n, CALL_TIMEOUT);
                entry.seen.push(lines.filter((l) => l.preflight).length);
            }
        }
    } finally {
        await browser.close();
        fs.closeSync(fd);
    }
}

async function main() {
    const started = Date.now();
    const bLog = path.join(env.LOGS, 'b_access_log');
    const cLog = path.join(env.LOGS, 'c_access_log');
    const engines = selected();
    const results = [];
    const broken = [];
    for (const name of engines) {
        const t0 = Date.now();
        try {
            await runEngine(name, results, bLog);
        } catch (e) {
            // an engine that could not start fails the suite
            broken.push(name);
            console.log(`not ok - ${name} could not run: ${e.message}`);
        }
        console.log(`# ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    // One last request, so every line before it has been written.
    await fetch(`http://127.0.0.1:${env.PORT_B}/end?t=end`,
                { signal: AbortSignal.timeout(FETCH_TIMEOUT) }).catch(() => {});
    if (!(await logLines(bLog, 'end', (ls) => ls.length, 5000)).length) {
        console.log('# the access log never showed the final request');
    }
    const bLines = readLog(bLog);
    const cLines = readLog(cLog);

    const count = Object.fromEntries(engines.map((e) => [e,
        { passed: 0, failed: broken.includes(e) ? SCENARIOS.length : 0 }]));
    for (const { engine, tag, sc, calls, seen } of results) {
        if (broken.includes(engine)) {
            continue;
        }
        const exp = expectIn(sc, engine);
        const why = [];
        for (const { key, res } of calls) {
            for (const w of judgeCall(exp, res)) {
                why.push(calls.length > 1 ? `${key}: ${w}` : w);
            }
        }
        why.push(...judgeLog(exp, bLines.get(tag) || [],
                             cLines.get(tag) || [], seen));
        // an engine's own answer says whose it is
        const own = sc.engines?.[engine]?.why;
        const name = own ? `${sc.name}; ${own}` : sc.name;
        if (why.length) {
            count[engine].failed++;
            console.log(`not ok ${tag} - ${engine}: ${name} `
                        + `(${why.join('; ')})`);
        } else {
            count[engine].passed++;
            console.log(`ok ${tag} - ${engine}: ${name}`);
        }
    }

    // Loopback to loopback should never need Private Network Access.
    const pna = [...bLines.values()].flat().filter((l) => l.acrpn
                                                    && l.acrpn !== '-');
    if (pna.length) {
        console.log(`# note: ${pna.length} request(s) carried `
                    + 'Access-Control-Request-Private-Network');
    }
    console.log(`# ${SCENARIOS.length} scenarios in ${engines.length} `
                + `engines in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let passed = 0;
    let failed = 0;
    for (const e of engines) {
        console.log(`${e}: ${count[e].passed} passed, ${count[e].failed} `
                    + 'failed');
        passed += count[e].passed;
        failed += count[e].failed;
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed === SCENARIOS.length * engines.length;
}

main().then((ok) => process.exit(ok ? 0 : 1), (e) => {
    console.error(`conformance: ${e.stack || e}`);
    console.log(`0 passed, ${SCENARIOS.length * ENGINES.length} failed`);
    process.exit(1);
});
