// Sends three events to Fusion through the real, unchanged @segment/analytics-node (its defaults,
// pointed at Fusion with `host`) and exits 0 once the SDK has flushed every one without an error,
// 1 with the first error otherwise.
//   node send-segment.js <Fusion base URL> <write key> <user id>
// Run by SegmentNodeClientTest after `npm ci --prefix server/src/test/node`.
const { Analytics } = require('@segment/analytics-node');
const [url, writeKey, user] = process.argv.slice(2);
const analytics = new Analytics({ writeKey, host: url, maxRetries: 0 });
let failed = null;
analytics.on('error', (err) => { failed = failed || err; });
let delivered = 0;
analytics.on('http_request', () => {});
const sent = (err) => { if (err) failed = failed || err; else delivered++; };
analytics.identify({ userId: user, anonymousId: user + '-device', traits: { name: 'Sega' } }, sent);
analytics.track({ userId: user, event: 'Order Completed', properties: { brand: 'brewline', revenue: 42.5 } }, sent);
analytics.track({ anonymousId: user + '-device', event: 'Ticket Resolved', properties: { brand: 'brewline', wow: true } },
  sent);
setTimeout(() => { console.error('no answer within 20 s'); process.exit(2); }, 20000).unref();
analytics.closeAndFlush({ timeout: 15000 }).then(() => {
  if (failed) {
    const r = failed.reason || failed;
    console.error('not delivered: ' + (r && r.message ? r.message : JSON.stringify(failed)));
    process.exit(1);
  }
  console.log('delivered ' + delivered);
  process.exit(delivered === 3 ? 0 : 1);
});
