import assert from "node:assert/strict";
import { OpenCtiError } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { NOOP_OBSERVER } from "./observer.ts";
import { PING_INTERVAL_MS, type Pinger, startPinger } from "./pinger.ts";
import type { LifecyclePort } from "./ports.ts";

type PingOutcome = "ok" | "fail" | "hang" | { state: string };

/** A pinger on a fake clock: `advance()` moves time one interval and runs the tick, `settle()` lets pings end. */
function setup(outcomes: PingOutcome[]) {
  const log = captureLogger();
  let clock = 1_000_000;
  let tick: (() => void) | undefined;
  let cancelled = false;
  const pings: number[] = [];
  const hanging: Array<() => void> = [];
  const health: boolean[] = [];
  const observed: boolean[] = [];
  const api: LifecyclePort = {
    about: () => Promise.reject(new Error("unused")),
    registerConnector: () => Promise.reject(new Error("unused")),
    pingConnector: () => {
      pings.push(clock);
      const outcome = outcomes.shift() ?? "ok";
      if (outcome === "ok") return Promise.resolve({ connectorState: null });
      if (outcome === "fail") {
        return Promise.reject(
          new OpenCtiError('OpenCTI rejected "PingConnector": heartbeat not written', {
            kind: "graphql",
          }),
        );
      }
      if (outcome === "hang") {
        return new Promise((resolve) => hanging.push(() => resolve({ connectorState: null })));
      }
      return Promise.resolve({ connectorState: outcome.state });
    },
  };
  const pinger: Pinger = startPinger({
    connectorId: "conn-1",
    initialState: null,
    queueThreshold: 500,
    api,
    logger: log.logger,
    observer: { ...NOOP_OBSERVER, ping: (ok) => observed.push(ok) },
    now: () => clock,
    every: (fn, ms) => {
      assert.equal(ms, PING_INTERVAL_MS);
      tick = fn;
      return () => (cancelled = true);
    },
    onHealthChange: (healthy) => health.push(healthy),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    pinger,
    log,
    pings,
    hanging,
    health,
    observed,
    cancelled: () => cancelled,
    settle,
    /** Moves the clock one ping interval and runs the tick, then lets the ping end. */
    async advance(times = 1) {
      for (let i = 0; i < times; i++) {
        clock += PING_INTERVAL_MS;
        tick?.();
        await settle();
      }
    },
    levels: () => log.records().map((record) => record.level),
  };
}

Deno.test("the first failed ping is a warning with its cause; the next ones within 2 minutes add no noise", async () => {
  const s = setup(["ok", "fail", "fail", "fail"]);
  await s.settle();
  await s.advance(3); // failures at +40 s, +80 s, +120 s: the run of failures lasts 80 s
  const warnings = s.log.records().filter((record) => record.level === "WARNING");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /Error pinging the API/);
  assert.match(String(warnings[0]!.attributes?.reason), /heartbeat not written/);
  assert.ok(!s.levels().includes("ERROR"));
  assert.equal(s.pinger.healthy, true);
  assert.deepEqual(s.health, []);
  assert.deepEqual(s.observed, [true, false, false, false]);
  await s.pinger.stop();
});

Deno.test("failures lasting 2 minutes are one error saying auto-enrichments stop after 5 minutes, and unhealthy", async () => {
  const s = setup(["ok", "fail", "fail", "fail", "fail", "fail"]);
  await s.settle();
  await s.advance(4); // first failure at +40 s, the fourth at +160 s: 2 minutes of failures
  const errors = s.log.records().filter((record) => record.level === "ERROR");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /failed for 120 s/);
  assert.match(
    errors[0]!.message,
    /stops sending automatic enrichments to a connector without a heartbeat for 5 minutes/,
  );
  assert.equal(errors[0]!.attributes?.failures, 4);
  assert.equal(s.pinger.healthy, false);
  assert.deepEqual(s.health, [false]);
  await s.advance(1);
  assert.equal(s.log.records().filter((record) => record.level === "ERROR").length, 1, "once");
  await s.pinger.stop();
});

Deno.test("a successful ping after failures logs the recovery and makes the pinger healthy again", async () => {
  const s = setup(["fail", "fail", "fail", "fail", "ok", "fail"]);
  await s.settle();
  await s.advance(3);
  assert.equal(s.pinger.healthy, false);
  await s.advance(1);
  assert.equal(s.pinger.healthy, true);
  assert.deepEqual(s.health, [false, true]);
  const info = s.log.records().find((record) => /works again/.test(record.message));
  assert.ok(info);
  assert.equal(info.level, "INFO");
  assert.equal(info.attributes?.failures, 4);
  assert.equal(info.attributes?.outage_s, 160);
  await s.advance(1);
  const warnings = s.log.records().filter((record) => record.level === "WARNING");
  assert.equal(warnings.length, 2, "a new run of failures warns again");
  assert.equal(s.pinger.healthy, true);
  await s.pinger.stop();
});

Deno.test("a ping unanswered for 2 minutes counts as failing, and pings never overlap", async () => {
  const s = setup(["ok", "hang"]);
  await s.settle();
  await s.advance(1); // the hanging ping starts at +40 s
  await s.advance(3); // +160 s: unanswered for 120 s
  assert.equal(s.pings.length, 2, "no ping started while one is in flight");
  assert.equal(s.pinger.healthy, false);
  const error = s.log.records().find((record) => record.level === "ERROR");
  assert.match(String(error?.attributes?.reason), /has not been answered for 120 s/);
  s.hanging.shift()!();
  await s.settle();
  assert.equal(s.pinger.healthy, true);
  await s.advance(1);
  assert.equal(s.pings.length, 3, "pinging resumes");
  await s.pinger.stop();
});

Deno.test("a slow ping that answers within 2 minutes is not a failure", async () => {
  const s = setup(["hang"]);
  await s.advance(2);
  s.hanging.shift()!();
  await s.settle();
  assert.deepEqual(s.levels(), []);
  assert.equal(s.pinger.healthy, true);
  await s.pinger.stop();
});

Deno.test("a state reset by an admin is adopted, as pycti does", async () => {
  const s = setup([{ state: "" }]);
  await s.settle();
  assert.equal(s.pinger.state, null);
  assert.ok(!s.log.records().some((record) => /remotely reset/.test(record.message)));
  const t = setup([{ state: '{"cursor":1}' }, { state: "" }]);
  await t.settle();
  assert.equal(t.pinger.state, '{"cursor":1}');
  await t.advance(1);
  assert.equal(t.pinger.state, null);
  assert.ok(t.log.records().some((record) => /remotely reset/.test(record.message)));
  await s.pinger.stop();
  await t.pinger.stop();
});

Deno.test("stop() cancels the interval and waits for the ping in flight", async () => {
  const s = setup(["hang"]);
  let stopped = false;
  const stopping = s.pinger.stop().then(() => (stopped = true));
  await s.settle();
  assert.equal(stopped, false);
  assert.ok(s.cancelled());
  s.hanging.shift()!();
  await stopping;
  assert.equal(stopped, true);
});
