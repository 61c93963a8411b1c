#!/usr/bin/env node
// The closed-loop load generator of bench/peer.py's oms runs (issue 15): Node 20, no
// dependencies, plain `http` with a keep-alive Agent, as the Vendure harness's bench.js.
//
// N clients, each starting a new order as soon as its last one is done, until --seconds
// have passed; the running ones then finish (bench/peer_runs.py `closed_loop`, bench.js
// --duration). An order is placeOrder (guest, 2 lines of qty 1 and 2 of 2 distinct skus),
// then with --pay markOrderPaid as staff (Bearer token). A failure is counted, never a
// completion: an HTTP status other than 200, a body that is not JSON, a top-level
// `errors`, a payload with `userErrors`, a placeOrder without an order, a timeout. After
// a failure a client waits 50 ms; after 50 failures the clients stop (as the Python loop).
//
// The GraphQL documents, the address, the skus and the shipping method come from bench/peer_oms.py
// in a JSON file (--config), so that the requests are those the Python generator sends, byte
// for byte. Flags override the file:
//   node bench/peer_load.js --config run.json [--url http://127.0.0.1:8000] [--token T]
//        [--clients 10] [--seconds 5] [--pay 1] [--run-id abc]
// Prints one JSON line: count, errors, error_messages (every one), seconds, orders_per_s, p50_ms, p99_ms
// (nearest rank, as bench/common.py percentile), latencies_ms (every completed order) and
// cpu_ms (this process's user + system CPU during the loop).
'use strict';
const http = require('http');
const fs = require('fs');

function options(argv) {
    const o = {};
    for (let i = 2; i < argv.length; i += 2) {
        const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
        o[key] = argv[i + 1];
    }
    const config = o.config ? JSON.parse(fs.readFileSync(o.config, 'utf8')) : {};
    const c = { timeoutMs: 120000, token: '', pay: false, ...config, ...o };
    c.clients = Number(c.clients);
    c.seconds = Number(c.seconds);
    c.pay = c.pay === true || c.pay === '1' || c.pay === 'true';
    for (const key of ['url', 'placeOrder', 'markOrderPaid', 'skus', 'address', 'shippingMethod', 'runId']) {
        if (c[key] === undefined) throw new Error(`missing ${key} (in --config or as --${key})`);
    }
    if (!(c.clients >= 1) || !(c.seconds > 0)) throw new Error('--clients must be >= 1 and --seconds > 0');
    if (c.pay && !c.token) throw new Error('--pay needs the staff --token');
    if (c.skus.length < 2) throw new Error('2 skus at least');
    return c;
}

const opts = options(process.argv);
const base = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });

function gql(query, variables, token) {
    // {"query":..,"variables":..} compact, as httpx's json= (separators (",", ":"))
    const body = JSON.stringify({ query, variables });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (token) headers.authorization = 'Bearer ' + token;
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: base.hostname, port: base.port, path: '/graphql', method: 'POST', headers, agent },
            res => {
                const chunks = [];
                res.on('data', chunk => chunks.push(chunk));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    let json;
                    try { json = JSON.parse(text); } catch {
                        return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
                    }
                    if (res.statusCode !== 200 || json.errors) {
                        return reject(new Error(`GraphQL failed (${res.statusCode}): ${text.slice(0, 300)}`));
                    }
                    resolve(json.data);
                });
                res.on('error', reject);
            },
        );
        req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer in ${opts.timeoutMs} ms`)));
        req.on('error', reject);
        req.end(body);
    });
}

function ok(payload, what) {
    if (!payload) throw new Error(`${what}: no payload`);
    if (payload.userErrors && payload.userErrors.length) throw new Error(`${what}: ${JSON.stringify(payload.userErrors)}`);
    return payload;
}

let seq = 0;
function placeVariables() {
    const n = seq++;
    const i = Math.floor(Math.random() * opts.skus.length);
    let j = Math.floor(Math.random() * (opts.skus.length - 1));
    if (j >= i) j++;
    return { input: {
        lines: [{ sku: opts.skus[i], quantity: 1 }, { sku: opts.skus[j], quantity: 2 }],
        email: `c-${opts.runId}-${n}@bench.test`, shippingAddress: opts.address,
        shippingMethod: opts.shippingMethod, idempotencyKey: `peer-${opts.runId}-${n}`,
    } };
}

async function one() {
    const placed = ok((await gql(opts.placeOrder, placeVariables())).placeOrder, 'placeOrder');
    if (!placed.order) throw new Error(`placeOrder gave no order: ${JSON.stringify(placed)}`);
    if (opts.pay) ok((await gql(opts.markOrderPaid, { id: placed.order.id }, opts.token)).markOrderPaid, 'markOrderPaid');
}

function percentile(sorted, p) { // ms; nearest rank as bench/common.py
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

async function main() {
    const latencies = [];
    const errors = [];
    const cpu0 = process.cpuUsage();
    const start = now();
    const stopAt = start + opts.seconds * 1000;
    const client = async () => {
        while (now() < stopAt && errors.length < 50) {
            const began = now();
            try {
                await one();
            } catch (e) { // counted and shown, never hidden
                errors.push(String((e && e.message) || e));
                await sleep(50);
                continue;
            }
            latencies.push(now() - began);
        }
    };
    await Promise.all(Array.from({ length: opts.clients }, client));
    const seconds = (now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    agent.destroy();
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({
        clients: opts.clients, pay: opts.pay, count: latencies.length, errors: errors.length,
        error_messages: errors, seconds, orders_per_s: latencies.length / seconds,
        p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99),
        cpu_ms: (cpu.user + cpu.system) / 1000, latencies_ms: latencies,
    }) + '\n');
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
