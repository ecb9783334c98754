// Print N TCP ports free on 127.0.0.1 and, when the machine has IPv6
// loopback, on ::1 too (Chromium may try either address for a name under
// .localhost), then "v6" or "v4".
import net from 'node:net';

function listen(host, port) {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once('error', () => resolve(null));
        srv.listen({ host, port, exclusive: true }, () => resolve(srv));
    });
}

const want = Number(process.argv[2] || 1);
const probe = await listen('::1', 0);
const v6 = probe !== null;
if (probe) {
    probe.close();
}

const ports = [];
const held = [];
for (let tries = 0; ports.length < want && tries < 50; tries++) {
    const srv4 = await listen('127.0.0.1', 0);
    if (!srv4) {
        continue;
    }
    held.push(srv4);
    const port = srv4.address().port;
    if (v6) {
        const srv6 = await listen('::1', port);
        if (!srv6) {
            continue;
        }
        held.push(srv6);
    }
    ports.push(port);
}
// Held until all are chosen, so no port is handed out twice.
for (const srv of held) {
    srv.close();
}
if (ports.length < want) {
    console.error('free-ports: could not find enough free ports');
    process.exit(1);
}
console.log(`${ports.join(' ')} ${v6 ? 'v6' : 'v4'}`);
