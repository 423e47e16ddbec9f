// Runs Microsoft's JavaScript Web PubSub SDKs, unchanged, against the standalone emulator jar.
//
//   cd webpubsub-emulator/interop/js && npm ci && node interop.mjs
//
// (build both jars first, from the repository root:
//  mvn -B -o -pl webpubsub-emulator,webpubsub-emulator/interop/spring-app -am package -DskipTests)
// Hub "chat" goes to this script's own upstream handler, hub "interop" to a Spring Boot application
// on the starter (../spring-app, run with java -jar) whose listener methods answer invokeEvent.
// Each check asserts what the other side received: a client's message, a REST existence check,
// the event handler's request. Exit code 0 only if every check passed. Findings (documented
// differences such as http needing allowInsecureConnection) are printed but do not fail the run.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { WebPubSubServiceClient, odata } from "@azure/web-pubsub";
import { WebPubSubClient, WebPubSubJsonProtocol, SendMessageError } from "@azure/web-pubsub-client";
import mqtt from "mqtt";
import { WebSocketServer } from "ws"; // the client SDK's own dependency; only for the streamNack finding

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = process.env.EMULATOR_JAR ?? resolve(HERE, "../../target/webpubsub-emulator.jar");
const APP_JAR = process.env.APP_JAR ?? resolve(HERE, "../spring-app/target/webpubsub-interop-spring-app.jar");
const ACCESS_KEY = "InteropJsKey0123456789abcdefghijklmnopqrstuv"; // 44 chars, like a portal key
const HUB = "chat";
/** The hub whose event handler is the Spring application (its listeners name this hub). */
const SPRING_HUB = "interop";
const TIMEOUT_MS = 5000;

assert.equal(ACCESS_KEY.length, 44);
for (const [what, jar] of [["emulator", JAR], ["Spring application", APP_JAR]]) {
  if (!existsSync(jar)) {
    console.error(`No ${what} jar at ${jar}: build both with (from the repository root)
  mvn -B -o -pl webpubsub-emulator,webpubsub-emulator/interop/spring-app -am package -DskipTests`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- infrastructure

const results = [];
const findings = [];
const cleanups = [];

async function check(name, fn) {
  const started = Date.now();
  try {
    await withTimeout(fn(), 20000, `check "${name}"`);
    results.push({ name, ok: true });
    console.log(`PASS  ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false, err });
    console.log(`FAIL  ${name}\n      ${String(err?.stack ?? err).split("\n").slice(0, 6).join("\n      ")}`);
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts a jar and resolves with its process once a stdout line matches `ready` (its match). */
async function startJar(what, args, ready, timeoutMs) {
  const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let out = "";
  child.stderr.on("data", (d) => (stderr += d));
  const match = await withTimeout(
    new Promise((resolveMatch, reject) => {
      child.stdout.on("data", (d) => {
        out += d;
        const m = ready.exec(out);
        if (m) resolveMatch(m);
      });
      child.on("exit", (code) => reject(new Error(`${what} exited with ${code}: ${stderr}\n${out.slice(-4000)}`)));
    }),
    timeoutMs,
    `the ${what}'s start-up line ${ready}`,
  ).catch((err) => {
    if (child.exitCode === null) child.kill("SIGTERM");
    throw err;
  });
  return { child, match };
}

/** Starts the emulator jar on `port`; each [hub, url] of `handlers` is an --event-handler. */
async function startEmulator(port, handlers) {
  const { child, match } = await startJar(
    "emulator",
    ["-jar", JAR, `--port=${port}`, `--access-key=${ACCESS_KEY}`, ...handlers.map(([hub, url]) => `--event-handler=${hub}=${url}`)],
    /Connection string: (\S+)/,
    30000,
  );
  return { child, port, connectionString: match[1] };
}

/**
 * Starts the Spring Boot application (../spring-app) on a free port, configured by command-line
 * properties with the connection string the emulator will print for `emulatorPort`, so that the
 * application verifies the emulator's signatures and answers its abuse-protection handshake.
 */
async function startSpringApp(emulatorPort) {
  const port = await freePort();
  const connectionString = `Endpoint=http://localhost:${emulatorPort};AccessKey=${ACCESS_KEY};Version=1.0;`;
  const { child, match } = await startJar(
    "Spring application",
    ["-jar", APP_JAR, `--server.port=${port}`, `--webpubsub.connection-string=${connectionString}`],
    /Started InteropApplication in ([\d.]+) seconds/,
    90000,
  );
  return { child, port, url: `http://127.0.0.1:${port}/eventhandler/{event}`, startSeconds: match[1] };
}

function decodeJwt(token) {
  const [header, payload] = token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url")));
  return { header, payload };
}

/** Connection ids whose slow upstream call the emulator gave up before the answer. */
const gaveUp = [];

/** An upstream event handler (CloudEvents over HTTP), recording every event it receives. */
async function startEventHandler() {
  const events = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(200, { "WebHook-Allowed-Origin": "*" }).end();
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const event = {
        type: req.headers["ce-type"],
        eventName: req.headers["ce-eventname"],
        connectionId: req.headers["ce-connectionid"],
        userId: req.headers["ce-userid"],
        subprotocol: req.headers["ce-subprotocol"],
        physicalConnectionId: req.headers["ce-physicalconnectionid"],
        sessionId: req.headers["ce-sessionid"],
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks),
      };
      events.push(event);
      for (const w of [...waiters]) if (w.predicate(event)) w.resolve(event);
      let connect;
      if (event.type === "azure.webpubsub.sys.connect") {
        try { connect = JSON.parse(event.body.toString("utf8")); } catch { connect = undefined; }
      }
      if (connect?.mqtt?.username === "reject-me") {
        // An MQTT client the application refuses: the CONNACK code of its version.
        const code = connect.mqtt.protocolVersion === 5 ? 0x87 : 5;
        res.writeHead(401, { "Content-Type": "application/json" })
          .end(JSON.stringify({ mqtt: { code, reason: "not this device" } }));
      } else if (event.type === "azure.webpubsub.user.add") {
        // An invocation target: answers {sum} of the JSON body's a and b.
        let operands;
        try { operands = JSON.parse(event.body.toString("utf8")); } catch { operands = undefined; }
        if (typeof operands?.a === "number" && typeof operands?.b === "number") {
          res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ sum: operands.a + operands.b }));
        } else {
          res.writeHead(400, { "Content-Type": "text/plain" }).end("add needs {a, b}");
        }
      } else if (event.type === "azure.webpubsub.user.slow") {
        // Answers after 10 s, unless the emulator gives the call up first (the caller cancelled).
        const timer = setTimeout(() => res.writeHead(204).end(), 10000);
        res.on("close", () => {
          clearTimeout(timer);
          if (!res.writableEnded) gaveUp.push(event.connectionId);
        });
      } else if (event.type === "azure.webpubsub.user.refuse") {
        res.writeHead(400, { "Content-Type": "text/plain" }).end("refused by the handler");
      } else if (event.type?.startsWith("azure.webpubsub.user.")) {
        // Answer user events with a text reply: it must reach the caller as a server message.
        res.writeHead(200, { "Content-Type": "text/plain" }).end(`handled ${event.eventName}`);
      } else {
        res.writeHead(204).end();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}/eventhandler/{event}`,
    events,
    next(predicate) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return withTimeout(
        new Promise((resolveEvent) => {
          const w = { predicate, resolve: (e) => { waiters.splice(waiters.indexOf(w), 1); resolveEvent(e); } };
          waiters.push(w);
        }),
        TIMEOUT_MS,
        "an upstream event",
      );
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/** Pass as TestClient options for `new WebPubSubClient(url)`: every option at the SDK's default. */
const SDK_DEFAULTS = Symbol("SDK defaults");

/**
 * A WebPubSubClient with an inbox of everything it received: non-reliable JSON protocol without
 * auto-reconnect, or (SDK_DEFAULTS) exactly as the SDK's README starts it (reliable protocol).
 */
class TestClient {
  constructor(name, url, options = {}) {
    this.name = name;
    this.inbox = [];
    this.waiters = [];
    this.client =
      options === SDK_DEFAULTS
        ? new WebPubSubClient(url)
        : new WebPubSubClient(url, {
            protocol: WebPubSubJsonProtocol(),
            autoReconnect: false,
            ...options,
          });
    const record = (kind) => (e) => {
      const entry = { ...e.message, via: kind };
      this.inbox.push(entry);
      for (const w of [...this.waiters]) if (w.predicate(entry)) w.resolve(entry);
    };
    this.client.on("server-message", record("server"));
    this.client.on("group-message", record("group"));
    this.client.on("disconnected", (e) => {
      const entry = { ...e, via: "disconnected" };
      this.inbox.push(entry);
      for (const w of [...this.waiters]) if (w.predicate(entry)) w.resolve(entry);
    });
  }

  async start() {
    const connected = new Promise((r) => this.client.on("connected", r));
    await this.client.start();
    this.connectedEvent = await withTimeout(connected, TIMEOUT_MS, `${this.name} connected`);
    this.connectionId = this.connectedEvent.connectionId;
    cleanups.push(() => this.client.stop());
    return this;
  }

  /** Resolves with the first received entry (past or future) matching the predicate. */
  next(predicate, what = "a message") {
    const found = this.inbox.find(predicate);
    if (found) return Promise.resolve(found);
    return withTimeout(
      new Promise((resolveEntry) => {
        const w = { predicate, resolve: (e) => { this.waiters.splice(this.waiters.indexOf(w), 1); resolveEntry(e); } };
        this.waiters.push(w);
      }),
      TIMEOUT_MS,
      `${this.name} to receive ${what}`,
    );
  }

  received(predicate) {
    return this.inbox.some(predicate);
  }
}

const isData = (data) => (m) => typeof data === "object" ? isDeepEqual(m.data, data) : m.data === data;
function isDeepEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
let seq = 0;
const unique = (prefix) => `${prefix}-${++seq}-${Date.now()}`;

// ---------------------------------------------------------------- run

const handler = await startEventHandler();
cleanups.push(() => handler.close());
const children = [];
const killChildren = () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
};
process.on("exit", killChildren); // also on failure and process.exit
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));
let emulator, springApp;
try {
  const emulatorPort = await freePort();
  // The application first: the emulator's first event to hub "interop" finds it listening.
  springApp = await startSpringApp(emulatorPort);
  children.push(springApp.child);
  emulator = await startEmulator(emulatorPort, [[HUB, handler.url], [SPRING_HUB, springApp.url]]);
  children.push(emulator.child);
} catch (err) {
  console.error(err);
  await handler.close();
  process.exit(2);
}

const { connectionString, port } = emulator;
console.log(`emulator: java -jar ${JAR} --port=${port} (pid ${emulator.child.pid})`);
console.log(`spring app: java -jar ${APP_JAR} --server.port=${springApp.port} (pid ${springApp.child.pid}, started in ${springApp.startSeconds} s), event handler of hub ${SPRING_HUB}`);
console.log(`connection string: ${connectionString.replace(ACCESS_KEY, "<key>")}`);
// The emulator speaks plain http (as Microsoft's emulator does). @azure/core-rest-pipeline refuses
// http URLs unless the documented CommonClientOptions.allowInsecureConnection is set: see findings.
const service = new WebPubSubServiceClient(connectionString, HUB, { allowInsecureConnection: true });
console.log(`@azure/web-pubsub api-version ${service.apiVersion}, endpoint ${service.endpoint}`);

async function connectClient(name, tokenOptions = {}, clientOptions = {}) {
  const { url } = await service.getClientAccessToken({ userId: name, ...tokenOptions });
  return new TestClient(name, url, clientOptions).start();
}

/**
 * Sends a marker to every connection and waits until each given client has it. Messages from one
 * sender arrive in order, so whatever the clients have not received by then was never sent to them.
 */
async function barrier(...clients) {
  const marker = unique("marker");
  await service.sendToAll(marker, { contentType: "text/plain" });
  await Promise.all(clients.map((c) => c.next(isData(marker), `marker ${marker}`)));
}

let alice, bob, carol;

await check("getClientAccessToken({userId, groups, roles}): token claims, URL, and the client connects with them", async () => {
  const group = unique("tokengroup");
  const roles = ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"];
  const token = await service.getClientAccessToken({ userId: "alice", groups: [group], roles });
  assert.equal(token.baseUrl, `ws://localhost:${port}/client/hubs/${HUB}`);
  assert.equal(token.url, `${token.baseUrl}?access_token=${token.token}`);
  const { payload } = decodeJwt(token.token);
  assert.equal(payload.aud, `http://localhost:${port}/client/hubs/${HUB}`);
  assert.equal(payload.sub, "alice");
  assert.deepEqual(payload.role, roles);
  assert.deepEqual(payload["webpubsub.group"], [group]);

  alice = await new TestClient("alice", token.url).start();
  assert.equal(alice.connectedEvent.userId, "alice");
  assert.ok(alice.connectionId);
  assert.equal(await service.connectionExists(alice.connectionId), true);
  assert.equal(await service.userExists("alice"), true);
  assert.equal(await service.groupExists(group), true, "the token's group was joined at connect");
  // the group from the token really delivers
  await service.group(group).sendToAll("to the token group", { contentType: "text/plain" });
  const m = await alice.next(isData("to the token group"));
  assert.equal(m.via, "group");
  assert.equal(m.group, group);
  // the upstream connect event carried the user id
  const connect = await handler.next((e) => e.type === "azure.webpubsub.sys.connect" && e.connectionId === alice.connectionId);
  assert.equal(connect.userId, "alice");

  bob = await connectClient("bob", { roles });
  carol = await connectClient("carol");
});

await check("userExists / groupExists / connectionExists answer false for absent targets", async () => {
  assert.equal(await service.userExists("nobody"), false);
  assert.equal(await service.groupExists(unique("empty")), false);
  assert.equal(await service.connectionExists("no-such-connection"), false);
});

await check("sendToAll text: every client receives dataType text with the exact string", async () => {
  const text = "héllo wörld ✓ " + unique("t");
  await service.sendToAll(text, { contentType: "text/plain" });
  for (const c of [alice, bob, carol]) {
    const m = await c.next(isData(text), "the text broadcast");
    assert.equal(m.via, "server");
    assert.equal(m.dataType, "text");
    assert.equal(m.data, text);
  }
});

await check("sendToAll JSON: every client receives dataType json with the exact object", async () => {
  const json = { greeting: "hi", n: 42, nested: { list: [1, "two", null, true] }, id: unique("j") };
  await service.sendToAll(json, { messageTtlSeconds: 60 });
  for (const c of [alice, bob, carol]) {
    const m = await c.next(isData(json), "the JSON broadcast");
    assert.equal(m.via, "server");
    assert.equal(m.dataType, "json");
    assert.deepEqual(m.data, json);
  }
});

await check("sendToAll JSON string and binary: dataType json (a string) and binary (the same bytes)", async () => {
  const s = unique("a JSON string");
  await service.sendToAll(s); // no contentType: serialized as a JSON string
  const m = await bob.next(isData(s));
  assert.equal(m.dataType, "json");
  const bytes = new Uint8Array([0, 1, 2, 254, 255, 10, 13]);
  await service.sendToAll(bytes);
  const b = await bob.next((x) => x.dataType === "binary");
  assert.deepEqual(new Uint8Array(b.data), bytes);
});

await check("sendToAll with filter and excludedConnections: only the selected clients receive", async () => {
  const text = unique("filtered");
  await service.sendToAll(text, { contentType: "text/plain", filter: odata`userId eq ${"bob"}` });
  const excluded = unique("excluded");
  await service.sendToAll(excluded, { contentType: "text/plain", excludedConnections: [carol.connectionId] });
  await bob.next(isData(text));
  await barrier(alice, bob, carol);
  assert.equal(alice.received(isData(text)), false, "alice is filtered out");
  assert.equal(carol.received(isData(text)), false, "carol is filtered out");
  assert.equal(alice.received(isData(excluded)), true);
  assert.equal(bob.received(isData(excluded)), true);
  assert.equal(carol.received(isData(excluded)), false, "carol is excluded");
});

await check("sendToUser (text, JSON, filter): only that user's connection receives", async () => {
  const text = unique("to carol");
  await service.sendToUser("carol", text, { contentType: "text/plain" });
  const json = { to: "carol", id: unique("json") };
  await service.sendToUser("carol", json);
  const filteredOut = unique("filtered out");
  await service.sendToUser("carol", filteredOut, { contentType: "text/plain", filter: "userId ne 'carol'" });
  const m = await carol.next(isData(text));
  assert.equal(m.via, "server");
  assert.equal(m.dataType, "text");
  const j = await carol.next(isData(json));
  assert.equal(j.dataType, "json");
  await barrier(alice, bob, carol);
  assert.equal(alice.received(isData(text)) || bob.received(isData(text)), false);
  assert.equal(carol.received(isData(filteredOut)), false, "the filter excludes carol");
});

await check("sendToConnection: only that connection receives, as a server message", async () => {
  const text = unique("to bob's connection");
  await service.sendToConnection(bob.connectionId, text, { contentType: "text/plain" });
  const json = { to: bob.connectionId };
  await service.sendToConnection(bob.connectionId, json);
  assert.equal((await bob.next(isData(text))).via, "server");
  assert.equal((await bob.next(isData(json))).dataType, "json");
  await barrier(alice, bob, carol);
  assert.equal(alice.received(isData(text)) || carol.received(isData(text)), false);
});

await check("group(..).addUser / removeUser: the user's connection receives group(..).sendToAll only while a member", async () => {
  const group = unique("users");
  await service.group(group).addUser("carol");
  assert.equal(await service.groupExists(group), true);
  const inGroup = unique("in group");
  await service.group(group).sendToAll(inGroup, { contentType: "text/plain" });
  const m = await carol.next(isData(inGroup));
  assert.equal(m.via, "group");
  assert.equal(m.group, group);
  assert.equal(m.dataType, "text");
  const json = { g: group };
  await service.group(group).sendToAll(json);
  const j = await carol.next(isData(json));
  assert.equal(j.dataType, "json");
  assert.equal(j.group, group);

  await service.group(group).removeUser("carol");
  assert.equal(await service.groupExists(group), false);
  const after = unique("after removal");
  await service.group(group).sendToAll(after, { contentType: "text/plain" });
  await barrier(alice, bob, carol);
  assert.equal(carol.received(isData(after)), false);
  assert.equal(alice.received(isData(inGroup)) || bob.received(isData(inGroup)), false);
});

await check("group(..).addConnection / removeConnection, and group(..).sendToAll with filter", async () => {
  const group = unique("conns");
  await service.group(group).addConnection(alice.connectionId);
  await service.group(group).addConnection(bob.connectionId);
  assert.equal(await service.groupExists(group), true);
  const members = [];
  for await (const member of await service.group(group).listConnections()) members.push(member);
  assert.deepEqual(
    members.map((x) => x.connectionId).sort(),
    [alice.connectionId, bob.connectionId].sort(),
    "listConnections names both members",
  );
  // one connection a page: the SDK follows the emulator's nextLink to the second page
  const paged = [];
  for await (const member of await service.group(group).listConnections({ maxPageSize: 1 })) paged.push(member);
  assert.deepEqual(paged.map((x) => x.connectionId).sort(), [alice.connectionId, bob.connectionId].sort());
  assert.deepEqual(
    new Map(paged.map((x) => [x.connectionId, x.userId])),
    new Map([[alice.connectionId, "alice"], [bob.connectionId, "bob"]]),
  );
  const top = [];
  for await (const member of await service.group(group).listConnections({ top: 1 })) top.push(member);
  assert.equal(top.length, 1, "top limits the listing");
  const filtered = unique("only alice");
  await service.group(group).sendToAll(filtered, { contentType: "text/plain", filter: "userId eq 'alice'" });
  await alice.next(isData(filtered));
  await service.group(group).removeConnection(alice.connectionId);
  const after = unique("after removeConnection");
  await service.group(group).sendToAll(after, { contentType: "text/plain" });
  await bob.next(isData(after));
  await barrier(alice, bob, carol);
  assert.equal(bob.received(isData(filtered)), false, "the filter excluded bob");
  assert.equal(alice.received(isData(after)), false, "alice was removed");
  await service.group(group).removeConnection(bob.connectionId);
  assert.equal(await service.groupExists(group), false);
});

await check("client joinGroup + sendToGroup: members receive group-message with group, fromUserId and exact data", async () => {
  const group = unique("room");
  await alice.client.joinGroup(group);
  await bob.client.joinGroup(group);
  assert.equal(await service.groupExists(group), true);
  const text = unique("text from alice");
  await alice.client.sendToGroup(group, text, "text");
  const json = { from: "alice", list: [1, 2, 3], id: unique("j") };
  await alice.client.sendToGroup(group, json, "json");
  for (const c of [alice, bob]) {
    const m = await c.next(isData(text), "alice's text");
    assert.equal(m.via, "group");
    assert.equal(m.group, group);
    assert.equal(m.fromUserId, "alice");
    assert.equal(m.dataType, "text");
    const j = await c.next(isData(json), "alice's JSON");
    assert.equal(j.dataType, "json");
    assert.deepEqual(j.data, json);
  }
  await barrier(carol);
  assert.equal(carol.received(isData(text)), false, "carol did not join");
  await bob.client.leaveGroup(group);
  await alice.client.leaveGroup(group);
  assert.equal(await service.groupExists(group), false);
});

await check("client sendToGroup with noEcho: others receive, the sender does not", async () => {
  const group = unique("noecho");
  await alice.client.joinGroup(group);
  await bob.client.joinGroup(group);
  const quiet = unique("no echo");
  await alice.client.sendToGroup(group, quiet, "text", { noEcho: true });
  const loud = unique("with echo");
  await alice.client.sendToGroup(group, loud, "text", { noEcho: false });
  await bob.next(isData(quiet));
  await bob.next(isData(loud));
  await alice.next(isData(loud)); // sent after `quiet` by the same sender: `quiet` would have come first
  assert.equal(alice.received(isData(quiet)), false, "noEcho kept the message from its sender");
});

await check("client sendEvent (text, JSON): the event handler gets the exact payload, its reply comes back as a server-message", async () => {
  const text = unique("event text");
  await carol.client.sendEvent("textevent", text, "text");
  const e = await handler.next((x) => x.type === "azure.webpubsub.user.textevent");
  assert.equal(e.eventName, "textevent");
  assert.equal(e.userId, "carol");
  assert.equal(e.connectionId, carol.connectionId);
  assert.match(e.contentType, /^text\/plain/);
  assert.equal(e.body.toString("utf8"), text);
  const reply = await carol.next(isData("handled textevent"));
  assert.equal(reply.via, "server");
  assert.equal(reply.dataType, "text");

  const json = { order: 7, items: ["a", "b"] };
  await carol.client.sendEvent("jsonevent", json, "json");
  const je = await handler.next((x) => x.type === "azure.webpubsub.user.jsonevent");
  assert.match(je.contentType, /^application\/json/);
  assert.deepEqual(JSON.parse(je.body.toString("utf8")), json);
  await carol.next(isData("handled jsonevent"));
});

await check("grantPermission / hasPermission / revokePermission: the client's joinGroup and sendToGroup follow them", async () => {
  const group = unique("guarded");
  const dave = await connectClient("dave", {}, { messageRetryOptions: { maxRetries: 0 } });
  const forbidden = async (op) => {
    const err = await op().then(() => null, (e) => e);
    assert.ok(err instanceof SendMessageError, `expected a SendMessageError, got ${err}`);
    assert.equal(err.errorDetail?.name, "Forbidden");
  };
  assert.equal(await service.hasPermission(dave.connectionId, "joinLeaveGroup", { targetName: group }), false);
  await forbidden(() => dave.client.joinGroup(group));
  assert.equal(await service.groupExists(group), false);

  await service.grantPermission(dave.connectionId, "joinLeaveGroup", { targetName: group });
  assert.equal(await service.hasPermission(dave.connectionId, "joinLeaveGroup", { targetName: group }), true);
  assert.equal(await service.hasPermission(dave.connectionId, "joinLeaveGroup", { targetName: "other" }), false);
  await dave.client.joinGroup(group);
  assert.equal(await service.groupExists(group), true);

  await bob.client.joinGroup(group);
  await forbidden(() => dave.client.sendToGroup(group, "denied", "text"));
  await service.grantPermission(dave.connectionId, "sendToGroup", { targetName: group });
  assert.equal(await service.hasPermission(dave.connectionId, "sendToGroup", { targetName: group }), true);
  const allowed = unique("granted send");
  await dave.client.sendToGroup(group, allowed, "text");
  const m = await bob.next(isData(allowed));
  assert.equal(m.fromUserId, "dave");

  await service.revokePermission(dave.connectionId, "sendToGroup", { targetName: group });
  assert.equal(await service.hasPermission(dave.connectionId, "sendToGroup", { targetName: group }), false);
  await forbidden(() => dave.client.sendToGroup(group, "denied again", "text"));
  await service.revokePermission(dave.connectionId, "joinLeaveGroup", { targetName: group });
  assert.equal(await service.hasPermission(dave.connectionId, "joinLeaveGroup", { targetName: group }), false);
  await forbidden(() => dave.client.leaveGroup(group));
  await bob.client.leaveGroup(group);
  await service.closeConnection(dave.connectionId);
});

await check("addConnectionsToGroups / removeConnectionsFromGroups with filter: membership follows the filter", async () => {
  const g1 = unique("bulk1");
  const g2 = unique("bulk2");
  await service.addConnectionsToGroups([g1, g2], odata`userId eq ${"bob"} or userId eq ${"carol"}`);
  assert.equal(await service.groupExists(g1), true);
  assert.equal(await service.groupExists(g2), true);
  const m1 = unique("to bulk1");
  await service.group(g1).sendToAll(m1, { contentType: "text/plain" });
  await bob.next(isData(m1));
  await carol.next(isData(m1));
  await barrier(alice);
  assert.equal(alice.received(isData(m1)), false, "alice does not match the filter");

  await service.removeConnectionsFromGroups([g1], "userId eq 'bob'");
  const m2 = unique("to bulk1 again");
  await service.group(g1).sendToAll(m2, { contentType: "text/plain" });
  await carol.next(isData(m2));
  await barrier(bob);
  assert.equal(bob.received(isData(m2)), false, "bob was removed from bulk1");
  const m3 = unique("to bulk2");
  await service.group(g2).sendToAll(m3, { contentType: "text/plain" });
  await bob.next(isData(m3)); // still in bulk2

  await service.removeConnectionsFromGroups([g1, g2], "userId ne null");
  assert.equal(await service.groupExists(g1), false);
  assert.equal(await service.groupExists(g2), false);
});

await check("removeUserFromAllGroups / removeConnectionFromAllGroups: groups empty afterwards", async () => {
  const g = unique("all");
  await service.group(g).addUser("carol");
  await service.group(g).addConnection(bob.connectionId);
  await service.removeUserFromAllGroups("carol");
  const m = unique("after removeUserFromAllGroups");
  await service.group(g).sendToAll(m, { contentType: "text/plain" });
  await bob.next(isData(m));
  await service.removeConnectionFromAllGroups(bob.connectionId);
  assert.equal(await service.groupExists(g), false);
  await barrier(carol);
  assert.equal(carol.received(isData(m)), false);
});

await check("closeConnection with reason: the client is disconnected with that reason, connectionExists false", async () => {
  const erin = await connectClient("erin");
  assert.equal(await service.connectionExists(erin.connectionId), true);
  await service.closeConnection(erin.connectionId, { reason: "bye erin" });
  const e = await erin.next((x) => x.via === "disconnected", "disconnected");
  assert.equal(e.message?.message, "bye erin");
  assert.equal(await service.connectionExists(erin.connectionId), false);
  assert.equal(await service.userExists("erin"), false);
});

await check("group(..).closeAllConnections and closeUserConnections: only the targets are closed", async () => {
  const g = unique("closing");
  const frank = await connectClient("frank", { groups: [g] });
  const grace = await connectClient("grace");
  await service.group(g).closeAllConnections({ reason: "group closed" });
  await frank.next((x) => x.via === "disconnected", "disconnected");
  assert.equal(await service.connectionExists(frank.connectionId), false);
  assert.equal(await service.connectionExists(grace.connectionId), true);
  await service.closeUserConnections("grace", { reason: "user closed" });
  const e = await grace.next((x) => x.via === "disconnected", "disconnected");
  assert.equal(e.message?.message, "user closed");
  assert.equal(await service.userExists("grace"), false);
  assert.equal(await service.connectionExists(alice.connectionId), true);
});

await check("closeAllConnections: every client is disconnected, no user or connection exists", async () => {
  await service.closeAllConnections({ reason: "closing all" });
  for (const c of [alice, bob, carol]) {
    const e = await c.next((x) => x.via === "disconnected", `${c.name} disconnected`);
    assert.equal(e.message?.message, "closing all");
    assert.equal(await service.connectionExists(c.connectionId), false);
  }
  assert.equal(await service.userExists("alice"), false);
  const d = await handler.next((x) => x.type === "azure.webpubsub.sys.disconnected" && x.connectionId === carol.connectionId);
  assert.ok(d);
});

// ---------------------------------------------------------------- the SDK's defaults (reliable)

await check("new WebPubSubClient(url) with every option at its default (json.reliable.webpubsub.azure.v1): start, join, send, receive", async () => {
  const dana = await connectClient("dana", { roles: ["webpubsub.joinLeaveGroup"] }, SDK_DEFAULTS);
  const erin = await connectClient("erin", { roles: ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"] }, SDK_DEFAULTS);
  const connected = await handler.next((x) => x.type === "azure.webpubsub.sys.connected" && x.connectionId === dana.connectionId);
  assert.equal(connected.subprotocol, "json.reliable.webpubsub.azure.v1");
  const group = unique("reliable-group");
  await dana.client.joinGroup(group);
  await erin.client.joinGroup(group);
  await service.sendToUser("dana", "to dana", { contentType: "text/plain" });
  const m1 = await dana.next((m) => m.via === "server" && m.data === "to dana", "a server message");
  assert.equal(m1.dataType, "text");
  await erin.client.sendToGroup(group, { from: "erin" }, "json");
  const m2 = await dana.next((m) => m.via === "group" && isDeepEqual(m.data, { from: "erin" }), "a group message");
  assert.equal(m2.group, group);
  assert.equal(m2.fromUserId, "erin");
  await service.group(group).sendToAll("to the group", { contentType: "text/plain" });
  for (const c of [dana, erin]) await c.next((m) => m.via === "group" && m.data === "to the group", "a REST group message");
  const reply = await dana.client.sendEvent("hello", "from dana", "text");
  assert.equal(reply.isDuplicated, false);
  await dana.next((m) => m.via === "server" && m.data === "handled hello", "the event handler's reply");
  // Every message exactly once (the SDK drops repeated sequence ids; the emulator must not skip any).
  assert.equal(dana.inbox.filter((m) => m.via !== "disconnected").length, 4);
  dana.client.stop();
  erin.client.stop();
  const gone = await handler.next((x) => x.type === "azure.webpubsub.sys.disconnected" && x.connectionId === dana.connectionId);
  assert.ok(gone, "stop() ends the session: disconnected upstream");
});

/** A TCP proxy in front of the emulator whose connections can be cut, as a network failure does. */
async function startProxy(target) {
  const sockets = new Set();
  let refusing = false;
  let accepted = 0;
  const server = net.createServer((inbound) => {
    if (refusing) {
      inbound.destroy();
      return;
    }
    accepted++;
    const outbound = net.connect(target, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: server.address().port,
    accepted: () => accepted,
    /** Cuts every connection (no close frame) and refuses new ones until allow(). */
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    allow() {
      refusing = false;
    },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}

await check("default client: a dropped connection is recovered (same connectionId, groups kept, messages sent while away arrive once, in order, no new connect/connected, no disconnected)", async () => {
  const proxy = await startProxy(port);
  cleanups.push(() => proxy.close());
  // The client reaches the emulator through the proxy: a token for the proxy's host and port.
  const viaProxy = new WebPubSubServiceClient(
    connectionString.replace(`localhost:${port}`, `localhost:${proxy.port}`), HUB, { allowInsecureConnection: true });
  const { url } = await viaProxy.getClientAccessToken({ userId: "frank", roles: ["webpubsub.joinLeaveGroup"] });
  const frank = new TestClient("frank", url, SDK_DEFAULTS);
  let connectedEvents = 0;
  let disconnectedEvents = 0;
  frank.client.on("connected", () => connectedEvents++);
  frank.client.on("disconnected", () => disconnectedEvents++);
  await frank.start();
  const group = unique("recovery-group");
  await frank.client.joinGroup(group);
  await service.sendToUser("frank", "before", { contentType: "text/plain" });
  await frank.next((m) => m.data === "before", "the message before the drop");

  proxy.cut();
  // Sent while the client is away: the emulator keeps them for the session.
  await new Promise((r) => setTimeout(r, 300));
  await service.sendToUser("frank", "away 1", { contentType: "text/plain" });
  await service.group(group).sendToAll("away 2", { contentType: "text/plain" });
  assert.equal(await service.connectionExists(frank.connectionId), true, "the session exists while the client is away");
  proxy.allow();

  await frank.next((m) => m.data === "away 2", "the messages sent while away");
  await service.group(group).sendToAll("after", { contentType: "text/plain" });
  await frank.next((m) => m.data === "after", "a group message after the recovery (group kept)");
  const data = frank.inbox.filter((m) => m.via !== "disconnected").map((m) => m.data);
  assert.deepEqual(data, ["before", "away 1", "away 2", "after"]);
  assert.equal(connectedEvents, 1, "the SDK saw one connected event");
  assert.equal(disconnectedEvents, 0, "the SDK saw no disconnected event");
  const upstream = handler.events.filter((e) => e.connectionId === frank.connectionId).map((e) => e.type);
  assert.deepEqual(upstream, ["azure.webpubsub.sys.connect", "azure.webpubsub.sys.connected"]);
  assert.equal(proxy.accepted(), 2, "one connection, then one recovery through the proxy");
  frank.client.stop();
  await handler.next((x) => x.type === "azure.webpubsub.sys.disconnected" && x.connectionId === frank.connectionId);
});

// ---------------------------------------------------------------- MQTT (the `mqtt` package)

const MQTT_ROLES = ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"];

/** An mqtt.js client over WebSocket with a template-shaped MQTT token, recording what it receives. */
async function mqttClient(clientId, protocolVersion, options = {}, roles = MQTT_ROLES) {
  const { url } = await service.getClientAccessToken({ userId: `u-${clientId}`, roles, clientProtocol: "mqtt" });
  const inbox = [];
  const waiters = [];
  const client = await mqtt.connectAsync(url, {
    protocolVersion,
    clientId,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT_MS,
    ...options,
  });
  client.on("message", (topic, payload, packet) => {
    const entry = { topic, payload: Buffer.from(payload), packet };
    inbox.push(entry);
    for (const w of [...waiters]) if (w.predicate(entry)) w.resolve(entry);
  });
  cleanups.push(() => client.endAsync(true));
  return {
    client,
    url,
    next(predicate, what = "an MQTT message") {
      const found = inbox.find(predicate);
      if (found) return Promise.resolve(found);
      return withTimeout(
        new Promise((resolveEntry) => {
          const w = { predicate, resolve: (e) => { waiters.splice(waiters.indexOf(w), 1); resolveEntry(e); } };
          waiters.push(w);
        }),
        TIMEOUT_MS,
        `${clientId} to receive ${what}`,
      );
    },
  };
}

/** The CONNACK code a refused connect surfaces as (mqtt.js puts it on the error). */
async function refusedCode(clientId, protocolVersion, options) {
  const { url } = await service.getClientAccessToken({ userId: clientId, roles: MQTT_ROLES, clientProtocol: "mqtt" });
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion, clientId, reconnectPeriod: 0, connectTimeout: TIMEOUT_MS, ...options });
    await client.endAsync(true);
    return "connected";
  } catch (err) {
    return err.code;
  }
}

for (const protocolVersion of [5, 4]) {
  const v = protocolVersion === 5 ? "5.0" : "3.1.1";

  await check(`mqtt ${v}: clientProtocol "mqtt" token URL, connect event with the MQTT fields, connected with a session`, async () => {
    const clientId = `devconn${protocolVersion}${++seq}`;
    const options = { username: "device-user", password: Buffer.from("pw-bytes") };
    if (protocolVersion === 5) options.properties = { userProperties: { site: "lab" } };
    const m = await mqttClient(clientId, protocolVersion, options);
    assert.match(m.url, new RegExp(`/clients/mqtt/hubs/${HUB}\\?access_token=`));
    assert.match(decodeJwt(new URL(m.url).searchParams.get("access_token")).payload.aud, new RegExp(`/clients/mqtt/hubs/${HUB}$`));
    const connect = await handler.next((e) => e.eventName === "connect" && e.connectionId === clientId);
    assert.equal(connect.subprotocol, "mqtt");
    assert.ok(connect.physicalConnectionId);
    assert.equal(connect.sessionId, undefined);
    const body = JSON.parse(connect.body.toString("utf8"));
    const expected = { protocolVersion, username: "device-user", password: Buffer.from("pw-bytes").toString("base64") };
    if (protocolVersion === 5) expected.userProperties = [{ name: "site", value: "lab" }];
    assert.deepEqual(body.mqtt, expected);
    assert.deepEqual(body.subprotocols, ["mqtt"]);
    const connected = await handler.next((e) => e.eventName === "connected" && e.connectionId === clientId);
    assert.ok(connected.sessionId);
    assert.equal(connected.physicalConnectionId, connect.physicalConnectionId);
    assert.equal(await service.connectionExists(clientId), true);
    await m.client.endAsync();
    const disconnected = await handler.next((e) => e.eventName === "disconnected" && e.connectionId === clientId);
    const mqttPart = JSON.parse(disconnected.body.toString("utf8")).mqtt;
    assert.deepEqual(mqttPart, { initiatedByClient: true, disconnectPacket: { code: 0, userProperties: null } });
  });

  await check(`mqtt ${v}: SUBSCRIBE = group membership; REST sendToGroup, a JSON client's sendToGroup and sendToAll arrive (topic, payload, QoS 1)`, async () => {
    const group = unique("mqttroom");
    const clientId = `devsub${protocolVersion}${++seq}`;
    const m = await mqttClient(clientId, protocolVersion);
    const granted = await m.client.subscribeAsync(group, { qos: 1 });
    assert.equal(granted[0].qos, 1);
    assert.equal(await service.groupExists(group), true);
    await service.group(group).sendToAll("rest text", { contentType: "text/plain" });
    const fromRest = await m.next((e) => e.topic === group && e.payload.toString() === "rest text");
    assert.equal(fromRest.packet.qos, 1);
    if (protocolVersion === 5) assert.equal(fromRest.packet.properties?.contentType, "text/plain");
    const json = await connectClient(unique("mqttjson"), { roles: MQTT_ROLES });
    await json.client.sendToGroup(group, { n: 1 }, "json");
    const fromJson = await m.next((e) => e.topic === group && e.payload.toString() === '{"n":1}');
    if (protocolVersion === 5) assert.equal(fromJson.packet.properties?.contentType, "application/json");
    const marker = unique("all");
    await service.sendToAll(marker, { contentType: "text/plain" });
    await m.next((e) => e.topic === "$webpubsub/server/messages" && e.payload.toString() === marker);
  });

  await check(`mqtt ${v}: PUBLISH at QoS 1 is acknowledged and reaches a JSON group member (dataType ${protocolVersion === 5 ? "text by content type" : "binary"})`, async () => {
    const group = unique("mqttpub");
    const json = await connectClient(unique("mqttjson"), { roles: MQTT_ROLES });
    await json.client.joinGroup(group);
    const clientId = `devpub${protocolVersion}${++seq}`;
    const m = await mqttClient(clientId, protocolVersion);
    const options = { qos: 1 };
    if (protocolVersion === 5) options.properties = { contentType: "text/plain" };
    const packet = await m.client.publishAsync(group, "from mqtt", options); // resolves on PUBACK
    assert.equal(packet?.cmd, "publish");
    const got = await json.next((e) => e.via === "group" && e.group === group);
    assert.equal(got.fromUserId, `u-${clientId}`);
    if (protocolVersion === 5) {
      assert.equal(got.dataType, "text");
      assert.equal(got.data, "from mqtt");
    } else {
      assert.equal(got.dataType, "binary");
      assert.equal(Buffer.from(got.data).toString(), "from mqtt");
    }
  });

  await check(`mqtt ${v}: a connect handler's 401 {"mqtt":{"code":${protocolVersion === 5 ? 135 : 5}}} is the CONNACK code`, async () => {
    const code = await refusedCode(`devrej${protocolVersion}${++seq}`, protocolVersion, { username: "reject-me" });
    assert.equal(code, protocolVersion === 5 ? 0x87 : 5);
  });

  await check(`mqtt ${v}: wildcard subscriptions are refused in the SUBACK (${protocolVersion === 5 ? "0xA2, shared 0x9E" : "0x80"})`, async () => {
    const m = await mqttClient(`devwild${protocolVersion}${++seq}`, protocolVersion);
    const topics = protocolVersion === 5 ? ["a/+", "$share/g/t"] : ["a/#"];
    // mqtt.js rejects a SUBACK with a failure code; the SUBACK is on the error.
    const error = await m.client.subscribeAsync(topics, { qos: 1 }).then(() => undefined, (err) => err);
    assert.ok(error, "the subscription was refused");
    assert.deepEqual(error.packet?.granted, protocolVersion === 5 ? [0xa2, 0x9e] : [0x80]);
  });
}
// ---------------------------------------------------------------- invocations and group streams

await check("invokeEvent: the event handler's JSON answer is the result (dataType json), the request an ordinary user event", async () => {
  const inv = await connectClient("invoker");
  const result = await inv.client.invokeEvent("add", { a: 1, b: 2 }, "json");
  assert.equal(result.dataType, "json");
  assert.deepEqual(result.data, { sum: 3 });
  assert.ok(result.invocationId);
  const call = await handler.next((e) => e.type === "azure.webpubsub.user.add" && e.connectionId === inv.connectionId);
  assert.equal(call.eventName, "add");
  assert.equal(call.contentType, "application/json");
  assert.deepEqual(JSON.parse(call.body.toString("utf8")), { a: 1, b: 2 });
  assert.equal(inv.inbox.filter((m) => m.via === "server").length, 0, "the answer is not also a server message");
});

await check("invokeEvent: a handler's 400 with a text body rejects with InvocationError {name BadRequest, that message}", async () => {
  const inv = await connectClient("refused-invoker");
  const err = await inv.client.invokeEvent("refuse", "x", "text").then(
    () => assert.fail("the invocation should fail"),
    (e) => e,
  );
  assert.equal(err.name, "InvocationError");
  assert.equal(err.errorDetail?.name, "BadRequest");
  assert.equal(err.errorDetail?.message, "refused by the handler");
});

await check("invokeEvent with abortSignal: the SDK's cancelInvocation makes the emulator give up the upstream call; the client stays usable", async () => {
  const inv = await connectClient("aborting-invoker");
  const controller = new AbortController();
  const pending = inv.client.invokeEvent("slow", "wait", "text", { abortSignal: controller.signal });
  await handler.next((e) => e.type === "azure.webpubsub.user.slow" && e.connectionId === inv.connectionId);
  controller.abort();
  await assert.rejects(pending, (e) => e.name === "InvocationError");
  const started = Date.now();
  while (!gaveUp.includes(inv.connectionId)) {
    assert.ok(Date.now() - started < TIMEOUT_MS, "the emulator did not give up the upstream call");
    await new Promise((r) => setTimeout(r, 50));
  }
  const again = await inv.client.invokeEvent("add", { a: 5, b: 6 }, "json");
  assert.deepEqual(again.data, { sum: 11 });
});

// ---------------------------------------------------------------- invocations answered by Spring listeners

// Hub "interop": the emulator's event handler is the Spring Boot application (../spring-app), whose
// @WebPubSubInvocationListener methods answer. The JS client is the same as above; only the hub differs.
const springService = new WebPubSubServiceClient(connectionString, SPRING_HUB, { allowInsecureConnection: true });

async function connectSpringClient(name) {
  const { url } = await springService.getClientAccessToken({ userId: name });
  return new TestClient(name, url).start();
}

/** The rejection of an invokeEvent that must fail. */
async function invocationError(client, ...args) {
  return client.invokeEvent(...args).then(
    (result) => assert.fail(`the invocation should fail, it answered ${JSON.stringify(result)}`),
    (e) => e,
  );
}

let springInvoker;

await check("spring: a listener's returned record answers invokeEvent with typed JSON (the JSON payload bound to a record, the caller's user id)", async () => {
  springInvoker = await connectSpringClient("spring-invoker");
  const result = await springInvoker.client.invokeEvent("add", { a: 40, b: 2 }, "json");
  assert.equal(result.dataType, "json");
  assert.deepEqual(result.data, { sum: 42, by: "spring-invoker" });
  assert.ok(result.invocationId);
  const again = await springInvoker.client.invokeEvent("add", { a: -7, b: 3 }, "json");
  assert.deepEqual(again.data, { sum: -4, by: "spring-invoker" });
  assert.notEqual(again.invocationId, result.invocationId);
});

await check("spring: a listener's Mono answers invokeEvent (typed JSON after a delay, and text)", async () => {
  const avg = await springInvoker.client.invokeEvent("average", { values: [1, 2, 4.5] }, "json");
  assert.equal(avg.dataType, "json");
  assert.deepEqual(avg.data, { average: 2.5, count: 3 });
  const shout = await springInvoker.client.invokeEvent("shout", "héllo wörld", "text");
  assert.equal(shout.dataType, "text");
  assert.equal(shout.data, "HÉLLO WÖRLD");
});

await check("spring: binary in and out (byte[]), and a void listener is success without data", async () => {
  const bytes = new Uint8Array([0, 1, 2, 254, 255]);
  const reversed = await springInvoker.client.invokeEvent("reverse", bytes.buffer, "binary");
  assert.equal(reversed.dataType, "binary");
  assert.deepEqual([...new Uint8Array(reversed.data)], [255, 254, 2, 1, 0]);
  const touched = await springInvoker.client.invokeEvent("touch", "x", "text");
  assert.ok(touched.invocationId);
  assert.equal(touched.dataType, undefined);
  assert.equal(touched.data, undefined);
});

await check("spring: WebPubSubEventRejectedException (a Mono.error and a throw) is an InvocationError with its name and reason", async () => {
  const withdraw = await invocationError(springInvoker.client, "withdraw", { a: 1, b: 1 }, "json");
  assert.equal(withdraw.name, "InvocationError");
  assert.deepEqual(withdraw.errorDetail, { name: "BadRequest", message: "Insufficient funds" });
  const secret = await invocationError(springInvoker.client, "secret", "", "text");
  assert.equal(secret.name, "InvocationError");
  assert.deepEqual(secret.errorDetail, { name: "Forbidden", message: "Only admins may read the secret" });
  const empty = await invocationError(springInvoker.client, "average", { values: [] }, "json");
  assert.deepEqual(empty.errorDetail, { name: "BadRequest", message: "No values to average" });
});

await check("spring: any other exception is InvocationError InternalServerError \"Invocation failed\", no internals; the client stays usable", async () => {
  const crash = await invocationError(springInvoker.client, "crash", "", "text");
  assert.equal(crash.name, "InvocationError");
  assert.deepEqual(crash.errorDetail, { name: "InternalServerError", message: "Invocation failed" });
  const everything = JSON.stringify({ message: crash.message, detail: crash.errorDetail, ...crash });
  assert.doesNotMatch(everything, /hunter2|IllegalStateException|database|\bat io\./);
  const after = await springInvoker.client.invokeEvent("add", { a: 1, b: 1 }, "json");
  assert.deepEqual(after.data, { sum: 2, by: "spring-invoker" });
});

await check("spring: a payload the record cannot bind is BadRequest without parser internals; an event with no listener is accepted without data", async () => {
  const badPayload = await invocationError(springInvoker.client, "add", "not a JSON object", "text");
  assert.equal(badPayload.name, "InvocationError");
  assert.equal(badPayload.errorDetail?.name, "BadRequest", JSON.stringify(badPayload.errorDetail));
  assert.ok(badPayload.errorDetail?.message, "a message");
  assert.doesNotMatch(JSON.stringify(badPayload.errorDetail), /jackson|Exception|\bat |Operands/i);
  // As for any user event, the starter accepts an event no listener takes (204: success, no data);
  // the application still sees it as a WebPubSubUserEvent.
  const unknown = await springInvoker.client.invokeEvent("nobody-listens", "x", "text");
  assert.ok(unknown.invocationId);
  assert.equal(unknown.data, undefined);
  findings.push(`Spring app: text where "add" expects a JSON object → ${JSON.stringify(badPayload.errorDetail)}`);
});

async function readStream(stream) {
  const data = [];
  try {
    for await (const m of stream) data.push(m.data);
    return { data, error: null };
  } catch (error) {
    return { data, error };
  }
}

await check("openGroupStream: a member's onGroupStream reads the fragments in order, then the end", async () => {
  const group = unique("stream");
  const roles = ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"];
  const writerClient = await connectClient("stream-writer", { roles });
  const reader = await connectClient("stream-reader", { roles });
  await reader.client.joinGroup(group);
  const read = new Promise((resolveRead) => {
    reader.client.onGroupStream(async (stream) => {
      resolveRead({ groupName: stream.groupName, streamId: stream.streamId, ...(await readStream(stream)) });
    });
  });
  const writer = await writerClient.client.openGroupStream(group);
  await writer.write("first", "text");
  await writer.write({ second: 2 }, "json");
  await writer.write(new Uint8Array([3, 3, 3]).buffer, "binary");
  await writer.end();
  const got = await withTimeout(read, TIMEOUT_MS, "the stream at the reader");
  assert.equal(got.groupName, group);
  assert.equal(got.streamId, writer.streamId);
  assert.equal(got.error ?? null, null);
  assert.deepEqual(got.data.slice(0, 2), ["first", { second: 2 }]);
  assert.deepEqual([...new Uint8Array(got.data[2])], [3, 3, 3]);
  assert.equal(got.data.length, 3);
});

await check("openGroupStream abort: the member's stream ends with the publisher's error (UserError)", async () => {
  const group = unique("aborted-stream");
  const roles = ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"];
  const writerClient = await connectClient("abort-writer", { roles });
  const reader = await connectClient("abort-reader", { roles });
  await reader.client.joinGroup(group);
  const read = new Promise((resolveRead) => {
    reader.client.onGroupStream(async (stream) => resolveRead(await readStream(stream)));
  });
  const writer = await writerClient.client.openGroupStream(group);
  await writer.write("only", "text");
  await writer.abort({ message: "stopped by the writer", userErrorCode: "E42" });
  const got = await withTimeout(read, TIMEOUT_MS, "the aborted stream at the reader");
  assert.deepEqual(got.data, ["only"]);
  assert.ok(got.error, "the reader's iteration ends with an error");
  const detail = JSON.stringify({ name: got.error.name, message: got.error.message, ...got.error });
  assert.match(detail, /UserError|stopped by the writer/);
});

// ---------------------------------------------------------------- findings (not pass/fail)

{
  // Without allowInsecureConnection the server SDK refuses any http:// endpoint before sending.
  const strict = new WebPubSubServiceClient(connectionString, HUB);
  const outcome = await strict.userExists("anyone").then(
    (v) => `userExists resolved ${v}`,
    (err) => `userExists rejected: ${err?.message ?? err}`,
  );
  findings.push(`WebPubSubServiceClient without { allowInsecureConnection: true } on an http endpoint: ${outcome}`);
}

{
  // Why the emulator never sends streamNack TransientError (emulator README, Group streams): what the
  // client SDK does with one. A ws server in the script nacks fragment 2 once and records what follows.
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", handleProtocols: (p) => [...p][0] });
  await once(wss, "listening");
  const sent = [];
  wss.on("connection", (ws) => {
    ws.send(JSON.stringify({ type: "system", event: "connected", connectionId: "nack-probe", userId: "probe" }));
    let nacked = false;
    ws.on("message", (raw) => {
      const m = JSON.parse(raw.toString());
      if (m.type === "sendToGroup" && m.stream) {
        ws.send(JSON.stringify({ type: "streamAck", streamId: m.stream.streamId, expectedSequenceId: 1 }));
      } else if (m.type === "streamData" && m.data !== undefined) {
        sent.push(m.streamSequenceId);
        const id = m.streamSequenceId;
        const reply = id === 2 && !nacked
          ? { type: "streamNack", streamId: m.streamId, expectedSequenceId: 2, name: "TransientError", message: "try again" }
          : nacked && id !== 2
            ? { type: "streamNack", streamId: m.streamId, expectedSequenceId: 2, name: "InvalidSequenceId", message: "Expected streamSequenceId 2" }
            : { type: "streamAck", streamId: m.streamId, expectedSequenceId: id + 1 };
        if (id === 2) nacked = true;
        ws.send(JSON.stringify(reply));
      }
    });
  });
  const probe = new WebPubSubClient(`ws://127.0.0.1:${wss.address().port}/client/hubs/probe`, {
    protocol: WebPubSubJsonProtocol(),
    autoReconnect: false,
  });
  try {
    await probe.start();
    const writer = await probe.openGroupStream("g");
    for (const text of ["one", "two", "three", "four"]) await writer.write(text, "text");
    await new Promise((r) => setTimeout(r, 1500));
    findings.push(
      `streamNack TransientError for fragment 2 (a script's ws server, not the emulator): the client SDK then sent ` +
        `streamSequenceIds ${JSON.stringify(sent)}${sent.filter((id) => id === 2).length > 1 ? " (it resent 2)" : " and did not resend 2"}`,
    );
  } catch (err) {
    findings.push(`streamNack TransientError probe failed: ${err?.message ?? err}`);
  } finally {
    probe.stop();
    await new Promise((r) => wss.close(r));
  }
}

// ---------------------------------------------------------------- summary

for (const fn of cleanups.reverse()) {
  try { await fn(); } catch { /* best effort */ }
}
killChildren();
await Promise.race([
  Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : undefined))),
  new Promise((r) => setTimeout(r, 5000)),
]);

if (findings.length) {
  console.log("\nFindings:");
  for (const f of findings) console.log(`- ${f}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
const versionOf = (name) => JSON.parse(readFileSync(resolve(HERE, "node_modules", name, "package.json"), "utf8")).version;
console.log(
  `\n${new Date().toISOString()} node ${process.version}, @azure/web-pubsub ${versionOf("@azure/web-pubsub")} ` +
    `(api-version ${service.apiVersion}), @azure/web-pubsub-client ${versionOf("@azure/web-pubsub-client")}, ws ${versionOf("ws")}`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
