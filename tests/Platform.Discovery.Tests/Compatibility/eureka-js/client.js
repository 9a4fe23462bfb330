// Drives the unmodified npm eureka-js-client against our registry and reports each step on stdout as a
// JSON line, so the .NET test can check the server side after every step. "stop" on stdin deregisters.
'use strict';
const { Eureka } = require('eureka-js-client');
const readline = require('readline');

const say = (step, extra) => process.stdout.write(JSON.stringify(Object.assign({ step }, extra || {})) + '\n');
const app = process.env.APP;
const client = new Eureka({
  logger: { debug() {}, info() {}, warn(...a) { process.stderr.write('warn ' + a.join(' ') + '\n'); }, error(...a) { process.stderr.write('error ' + a.join(' ') + '\n'); } },
  shouldUseDelta: true,
  instance: {
    app,
    instanceId: process.env.INSTANCE_ID,
    hostName: '127.0.0.1',
    ipAddr: '127.0.0.1',
    statusPageUrl: 'http://127.0.0.1:' + process.env.PORT + '/info',
    port: { '$': Number(process.env.PORT), '@enabled': true },
    vipAddress: app.toLowerCase(),
    dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$MyDataCenterInfo', name: 'MyOwn' },
    metadata: { runtime: 'node' },
  },
  eureka: {
    serviceUrls: { default: [process.env.EUREKA_URL] },
    heartbeatInterval: 300,
    registryFetchInterval: 300,
    maxRetries: 1,
    requestRetryDelay: 100,
  },
});

let heartbeats = 0;
let lastSeen = -1;
client.on('registered', () => say('registered'));
client.on('heartbeat', () => { heartbeats++; if (heartbeats === 3) say('heartbeats', { count: heartbeats }); });
// The client emits registryUpdated only after full fetches, not deltas, so watch its cache instead.
const watch = setInterval(() => {
  const ids = client.getInstancesByAppId(app).map(i => i.instanceId).sort();
  if (ids.length !== lastSeen) { lastSeen = ids.length; say('fetched', { ids }); }
}, 50);
client.on('deregistered', () => say('deregistered'));

client.start(err => { if (err) { say('error', { message: String(err) }); process.exit(2); } });
readline.createInterface({ input: process.stdin }).on('line', line => {
  if (line.trim() === 'stop') clearInterval(watch); client.stop(err => { if (err) say('error', { message: String(err) }); process.exit(err ? 3 : 0); });
});
