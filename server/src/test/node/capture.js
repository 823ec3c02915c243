// Captures what @rudderstack/rudder-sdk-node sends, for the fixture
// server/src/test/resources/clients/rudderstack-node.json:
//   npm ci --prefix server/src/test/node && node server/src/test/node/capture.js > that file
// A loopback HTTP server records the first request's method, path, headers and raw body (base64),
// answers 200 like Fusion, and prints them as JSON. The SDK is used unchanged, with its defaults
// (gzip on), and the write key of Fusion's tests.
const http = require('http');
const Analytics = require('@rudderstack/rudder-sdk-node');

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const out = {
      capturedWith: 'server/src/test/node/capture.js',
      sdk: '@rudderstack/rudder-sdk-node ' + require('@rudderstack/rudder-sdk-node/package.json').version,
      node: process.version,
      method: req.method,
      path: req.url,
      headers: req.headers,
      bodyBase64: Buffer.concat(chunks).toString('base64'),
    };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"success":true}');
    console.log(JSON.stringify(out, null, 2));
    process.exit(0);
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = new Analytics('test-write-key', {
    dataPlaneUrl: `http://127.0.0.1:${server.address().port}`, flushAt: 100, logLevel: 'error' });
  // the SDK sends its first message at once, alone: that request is the one captured
  client.track({ userId: 'rudder-user-1', event: 'Order Completed', properties: { brand: 'brewline', revenue: 42.5 } });
  client.identify({ userId: 'rudder-user-1', anonymousId: 'rudder-device-1', traits: { name: 'Rudi' } });
  client.flush();
});
setTimeout(() => { console.error('no request within 20 s'); process.exit(2); }, 20000).unref();
