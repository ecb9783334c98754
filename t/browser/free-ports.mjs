// TCP ports free on 127.0.0.1 and, when the machine has IPv6 loopback,
// on ::1 too (Chromium may try either address for a name under
// .localhost).  As a program, `node free-ports.mjs N` prints N of them,
// then "v6" or "v4".
import net from 'node:net';
import { pathToFileURL } from 'node:url';

function listen(host, port) {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once('error', () => resolve(null));
        srv.listen({ host, port, exclusive: true }, () => resolve(srv));
    });
}

// Resolves to { ports: [want ports], v6 }, or rejects.
export async function freePorts(want) {
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
        throw new Error('could not find enough free ports');
    }
    return { ports, v6 };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
    try {
        const { ports, v6 } = await freePorts(Number(process.argv[2] || 1));
        console.log(`${ports.join(' ')} ${v6 ? 'v6' : 'v4'}`);
    } catch (e) {
        console.error(`free-ports: ${e.message}`);
        process.exit(1);
    }
}
