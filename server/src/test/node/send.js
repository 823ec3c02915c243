// Sends three events to Fusion through the real, unchanged @rudderstack/rudder-sdk-node (defaults:
// gzip on) and exits 0 once the SDK reports every one delivered, 1 with the first error otherwise.
//   node send.js <Fusion base URL> <write key> <user id>
// Run by RudderStackNodeClientTest after `npm ci --prefix server/src/test/node`.
const Analytics = require('@rudderstack/rudder-sdk-node');
const [url, writeKey, user] = process.argv.slice(2);
let pending = 3;
const fail = (err) => {
  console.error('not delivered: ' + (err && err.response
    ? err.response.status + ' ' + JSON.stringify(err.response.data) : err));
  process.exit(1);
};
const done = (err) => {
  if (err) fail(err);
  if (--pending === 0) {
    console.log('delivered 3');
    process.exit(0);
  }
};
const client = new Analytics(writeKey, {
  dataPlaneUrl: url, flushAt: 100, retryCount: 0, logLevel: 'error', errorHandler: fail });
client.identify({ userId: user, anonymousId: user + '-device', traits: { name: 'Rudi' } }, done);
client.track({ userId: user, event: 'Order Completed', properties: { brand: 'brewline', revenue: 42.5 } }, done);
client.track({ anonymousId: user + '-device', event: 'Ticket Resolved', properties: { brand: 'brewline', wow: true } },
  done);
client.flush();
setTimeout(() => { console.error('no answer within 20 s'); process.exit(2); }, 20000).unref();
